import ArgumentParser
import Fluent
import Foundation
import HyokaImport
import Vapor

/// `hyoka demo`: a fresh SQLite database with the fictional はなみ市 and, when the seed
/// documents are at hand, the five published documents under their municipalities (北九州市
/// and 伊賀市); then serves it.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a fresh demo database (fictional はなみ市 + the seed documents as 北九州市 and 伊賀市) and serve it."
    )

    @ArgumentParser.Option(name: .long, help: "SQLite file to (re)build (default: hyoka-demo.sqlite). Only a demo database is ever replaced.")
    var database = "hyoka-demo.sqlite"

    @ArgumentParser.Option(name: .long, help: "Folder of the seed documents (default: ../shared/seeds when it exists).")
    var seeds: String?

    @ArgumentParser.Option(name: .long, help: "Address to listen on.")
    var hostname = "127.0.0.1"

    @ArgumentParser.Option(name: .long, help: "Port to listen on.")
    var port = 8080

    @ArgumentParser.Flag(name: .customLong("no-serve"), help: "Build the database and stop.")
    var noServe = false

    /// The seed documents and what a document does not say about itself: its municipality
    /// (北九州市, 401005, for four; the manifesto is 伊賀市's, 242161, by its 0595 telephone
    /// number and its 住民自治協議会) and, for two, the fiscal year of its figures.
    static let seedDocuments: [(file: String, municipality: String, fiscalYear: Int?)] = [
        ("program-evaluation-table.txt", "401005", 2024), ("policy-pdca-sheet.txt", "401005", nil), ("regional-collaboration-plan.txt", "401005", nil),
        ("department-manifesto.txt", "242161", nil), ("reform-overview.txt", "401005", 2023),
    ]

    func run() async throws {
        let location = try DatabaseLocation(parsing: database)
        guard case let .sqlite(path) = location else {
            throw ValidationError("hyoka demo builds an SQLite file; give a file path to --database (use hyoka import for PostgreSQL)")
        }
        try await Self.prepareFreshFile(path)
        let app = try await Application.make(Environment(name: "development", arguments: ["hyoka", "serve", "--hostname", hostname, "--port", String(port)]))
        do {
            try configure(app, HyokaConfiguration(database: location))
            try await migrate(app)
            try await Self.build(on: app.db, seeds: seedsDirectory())
            if !noServe { try await app.execute() }
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    func seedsDirectory() -> URL? {
        if let seeds { return URL(fileURLWithPath: seeds) }
        let beside = URL(fileURLWithPath: "../shared/seeds")
        return FileManager.default.fileExists(atPath: beside.path) ? beside : nil
    }

    /// Removes an earlier demo database; refuses to touch any other file.
    static func prepareFreshFile(_ path: String) async throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        let app = try await Application.make(.init(name: "development", arguments: ["hyoka"]))
        var isDemo = false
        do {
            try configure(app, HyokaConfiguration(database: .sqlite(path: path)))
            let migrated = await HyokaMigrations.state(on: app.db).applied > 0
            let municipalities = migrated ? try await Municipality.query(on: app.db).all().map(\.code) : []
            isDemo = !migrated || municipalities.contains(DemoCity.code)
        } catch {
            isDemo = false
        }
        try await app.asyncShutdown()
        guard isDemo else {
            throw ValidationError("\(path) はデモ用のデータベースではないため上書きしません。別の --database を指定してください (\(path) is not a demo database; it is left alone: pass another --database)")
        }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Writes the fictional city, then imports every seed document found.
    static func build(on db: any Database, seeds: URL?) async throws {
        let city = DemoCity().dataset()
        let report = try await db.transaction { tx in
            var store = DatasetStore(database: tx, actor: "hyoka demo", source: "import", origin: "demo")
            return try await store.write(city)
        }
        say("\(DemoCity.name): 事業 \(city.programs.count)、指標 \(city.indicators.count)、年度 \(DemoCity.years.first!)〜\(DemoCity.years.last!)（\(report.created.values.reduce(0, +)) 件を作成）")
        guard let seeds else {
            say("種データ（../shared/seeds）が見つからないため、北九州市・伊賀市の公表資料は取り込みません (no seed folder; pass --seeds DIR)")
            return
        }
        for document in seedDocuments {
            let url = seeds.appendingPathComponent(document.file)
            guard FileManager.default.fileExists(atPath: url.path) else {
                say("\(document.file): 見つからないため読み飛ばしました (not found, skipped)")
                continue
            }
            let outcome = try await Importer.run(url, layout: nil, options: ReadOptions(municipalityCode: document.municipality, fiscalYear: document.fiscalYear), dryRun: false,
                                                 on: db, actor: "hyoka demo")
            let created = outcome.store?.created.values.reduce(0, +) ?? 0
            say("\(document.file): \(outcome.layout.rawValue) として \(created) 件を作成、警告 \(outcome.read.warnings.count) 件\(outcome.succeeded ? "" : "、エラーのため取り込めませんでした")")
            for error in outcome.errors { say("  \(error)") }
        }
    }
}

/// Writes a line to standard output at once: the demo goes on serving, so buffered output
/// would reach a log only when the server stops.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
