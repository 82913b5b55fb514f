import ArgumentParser
import Foundation
import HyokaCore
import HyokaImport
import Vapor

/// `hyoka export`: the workbook of the database (or of one municipality or fiscal year).
struct ExportCommand: AsyncParsableCommand, ParsableCommandWithDatabase {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the Hyoka workbook as CSV files (a folder, or a .zip), one .xlsx, one JSON file, or the open-data bundle; computed columns included."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, xlsx, json, bundle
    }

    @OptionGroup var databaseOptions: DatabaseOptions

    @ArgumentParser.Option(name: .long, help: "csv (a folder of CSV files, or a .zip when --out ends in .zip), xlsx (one workbook), json (one file), or bundle (the open-data ZIP of published data only: CSV in UTF-8 with BOM and CP932, JSON, data dictionary, licence; one municipality, one year or all).")
    var format: Format = .csv

    @ArgumentParser.Option(name: .long, help: "Where to write: a folder for csv, a file for json.")
    var out: String

    @OptionGroup var scope: ScopeOptions

    @ArgumentParser.Flag(name: .customLong("every-municipality"),
                         help: "With --format bundle: one bundle per municipality that has published data, written into the --out folder as /open-data names them.")
    var everyMunicipality = false

    func validate() throws {
        if everyMunicipality && format != .bundle {
            throw ValidationError("--every-municipality は --format bundle と一緒に使います (--every-municipality goes with --format bundle)")
        }
        if everyMunicipality && scope.municipality != nil {
            throw ValidationError("--every-municipality と --municipality は同時に指定できません (give one of them)")
        }
    }

    func run() async throws {
        try await withApplication(databaseOptions) { app in
            try await migrate(app)
            if format == .bundle && everyMunicipality { return try await writeEveryBundle(app) }
            if format == .bundle { return try await writeBundle(app) }
            let dataset = try await DatasetLoader.load(on: app.db, municipalityCode: scope.municipalityCode, fiscalYear: scope.year)
            let tables = Workbook.tables(from: dataset, siteURL: app.hyoka.publicURL)
            let url = URL(fileURLWithPath: out)
            switch format {
            case .csv where url.pathExtension.lowercased() == "zip": try WorkbookFiles.writeZip(tables, to: url)
            case .csv: try WorkbookFiles.writeFolder(tables, to: url)
            case .xlsx: try XLSX.write(tables, to: url)
            case .json: try Data(WorkbookFiles.json(tables).utf8).write(to: url, options: .atomic)
            case .bundle: return
            }
            let rows = tables.reduce(0) { $0 + $1.rows.count }
            print("\(url.path): \(tables.count) 表, \(rows) 行 (\(tables.count) tables, \(rows) rows)")
        }
    }

    /// Every municipality's bundle, one at a time (memory holds one municipality's data):
    /// what a shared deployment's `/open-data` serves, written ahead.
    func writeEveryBundle(_ app: Application) async throws {
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var written = 0, rows = 0
        for municipality in try await Municipality.query(on: app.db).sort(\.$code).all() {
            let data = PublicView.of(try await DatasetLoader.load(on: app.db, municipalityCode: municipality.code, fiscalYear: scope.year))
            guard !data.municipalities.isEmpty else { continue }
            let url = folder.appendingPathComponent(OpenDataBundle.fileName(municipalityCode: municipality.code, year: scope.year))
            let summary = try OpenDataBundle.write(data, publisher: municipality.name, year: scope.year, licence: app.hyoka.openDataLicence,
                                                   asOf: try await OpenDataController.asOf(municipality.code, on: app.db),
                                               siteURL: app.hyoka.publicURL, to: url)
            written += 1
            rows += summary.rows
        }
        print("\(folder.path): \(written) 団体のバンドル, \(rows) 行 (\(written) bundles, \(rows) rows)")
    }

    /// The open-data bundle: what `/open-data` serves, for one municipality.
    func writeBundle(_ app: Application) async throws {
        let municipalities = try await Municipality.query(on: app.db).sort(\.$code).all()
        guard let municipality = scope.municipalityCode.flatMap({ code in municipalities.first { $0.code == code } })
            ?? (municipalities.count == 1 ? municipalities.first : nil) else {
            throw ValidationError("--municipality を指定してください（保持している団体: \(municipalities.map(\.code).joined(separator: ", "))） (name the municipality of the bundle)")
        }
        let data = PublicView.of(try await DatasetLoader.load(on: app.db, municipalityCode: municipality.code, fiscalYear: scope.year))
        guard !data.municipalities.isEmpty else {
            throw ValidationError("\(municipality.name) には公表された評価サイクルがありません。オープンデータは公表されたデータだけを含みます (nothing of \(municipality.code) is published yet)")
        }
        let url = URL(fileURLWithPath: out)
        let summary = try OpenDataBundle.write(data, publisher: municipality.name, year: scope.year, licence: app.hyoka.openDataLicence,
                                               asOf: try await OpenDataController.asOf(municipality.code, on: app.db),
                                               siteURL: app.hyoka.publicURL, to: url)
        print("\(url.path): \(summary.tables) 表, \(summary.rows) 行, UTF-8 と CP932 (\(summary.tables) tables, \(summary.rows) rows)"
              + (summary.substituted > 0 ? "; CP932 で表せない \(summary.substituted) 字を〓に (\(summary.substituted) characters substituted in CP932)" : ""))
    }
}
