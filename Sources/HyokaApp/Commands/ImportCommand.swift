import ArgumentParser
import Foundation
import HyokaCore
import HyokaImport
import Vapor

/// `hyoka import PATH`: a workbook folder or a published document, in one transaction.
struct ImportCommand: AsyncParsableCommand, ParsableCommandWithDatabase {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a Hyoka workbook folder or a published document (all five published layouts) in one transaction."
    )

    @OptionGroup var databaseOptions: DatabaseOptions

    @ArgumentParser.Argument(help: "A workbook folder of CSV files, or a document file.")
    var path: String

    @ArgumentParser.Option(name: .long, help: "Layout: \(DocumentLayout.allCases.map(\.rawValue).joined(separator: ", ")) (default: detected).")
    var layout: String?

    @ArgumentParser.Option(name: .long, help: "A mapping file (docs/mapping.md) for a city's own layout: .xlsx, .csv or .json; PATH may then be a folder of such files.")
    var mapping: String?

    @ArgumentParser.Option(name: .long, help: "Municipality code (団体コード) for documents that do not state it (e.g. 401005 for 北九州市).")
    var municipality: String?

    @ArgumentParser.Option(name: .customLong("fiscal-year"), help: "Fiscal year for documents that do not state it (2024 or 令和6年度).")
    var fiscalYear: String?

    @ArgumentParser.Flag(name: .customLong("dry-run"), help: "Check and report without writing anything.")
    var dryRun = false

    @ArgumentParser.Flag(name: .long, help: "Import a published document as drafts instead of marking its cycle published.")
    var draft = false

    func validate() throws {
        if let layout, DocumentLayout(rawValue: layout) == nil {
            throw ValidationError("--layout must be one of \(DocumentLayout.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let fiscalYear, FiscalYear(parsing: fiscalYear) == nil {
            throw ValidationError("--fiscal-year: cannot read \(fiscalYear) as a fiscal year; write 2024 or 令和6年度")
        }
        if let municipality {
            do { _ = try MunicipalityCode(municipality) } catch { throw ValidationError("--municipality: \(error)") }
        }
    }

    func run() async throws {
        let succeeded = try await withApplication(databaseOptions) { app in
            try await migrate(app)
            let options = ReadOptions(municipalityCode: municipality.flatMap { try? MunicipalityCode($0).value },
                                      fiscalYear: fiscalYear.flatMap { FiscalYear(parsing: $0)?.year }, draft: draft)
            let outcome: Importer.Outcome
            if let mapping {
                let loaded: ImportMapping
                do { loaded = try ImportMapping.load(URL(fileURLWithPath: mapping)) } catch {
                    print(String(describing: error))
                    return false
                }
                let files = try Self.files(at: URL(fileURLWithPath: path), format: loaded.source.format.rawValue)
                outcome = try await Importer.runMapped(files, mapping: loaded, options: options, dryRun: dryRun, on: app.db, actor: "hyoka import",
                                                       progress: ProgressBar.callback())
            } else {
                outcome = try await Importer.run(URL(fileURLWithPath: path), layout: layout.flatMap(DocumentLayout.init(rawValue:)),
                                                 options: options, dryRun: dryRun, on: app.db, actor: "hyoka import",
                                                 progress: ProgressBar.callback())
            }
            print(Importer.report(outcome))
            return outcome.succeeded
        }
        if !succeeded { throw ExitCode.failure }
    }
}

extension ImportCommand {
    /// The file at `url`, or the files of a folder with the mapping's extension, in name order.
    static func files(at url: URL, format: String) throws -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ValidationError("\(url.path): ファイルがありません (no such file)")
        }
        guard isDirectory.boolValue else { return [url] }
        let files = try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension.lowercased() == format }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        guard !files.isEmpty else { throw ValidationError("\(url.path): .\(format) のファイルがありません (no .\(format) files in the folder)") }
        return files
    }
}

/// Runs `body` with a configured application on the `--database` of the command, and
/// shuts the application down whatever happens.
func withApplication<T>(_ options: DatabaseOptions, _ body: (Application) async throws -> T) async throws -> T {
    let app = try await Application.make(.init(name: "production", arguments: ["hyoka"]))
    do {
        try configure(app, try options.configuration())
        let result = try await body(app)
        try await app.asyncShutdown()
        return result
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}
