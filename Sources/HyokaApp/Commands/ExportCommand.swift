import ArgumentParser
import Foundation
import HyokaCore
import HyokaImport
import Vapor

/// `hyoka export`: the workbook of the database (or of one municipality or fiscal year).
struct ExportCommand: AsyncParsableCommand, ParsableCommandWithDatabase {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the Hyoka workbook as CSV files (a folder, or a .zip), one .xlsx, or one JSON file; computed columns included."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, xlsx, json
    }

    @OptionGroup var databaseOptions: DatabaseOptions

    @ArgumentParser.Option(name: .long, help: "csv (a folder of CSV files, or a .zip when --out ends in .zip), xlsx (one workbook) or json (one file).")
    var format: Format = .csv

    @ArgumentParser.Option(name: .long, help: "Where to write: a folder for csv, a file for json.")
    var out: String

    @OptionGroup var scope: ScopeOptions

    func run() async throws {
        try await withApplication(databaseOptions) { app in
            try await migrate(app)
            let dataset = try await DatasetLoader.load(on: app.db, municipalityCode: scope.municipalityCode, fiscalYear: scope.year)
            let tables = Workbook.tables(from: dataset)
            let url = URL(fileURLWithPath: out)
            switch format {
            case .csv where url.pathExtension.lowercased() == "zip": try WorkbookFiles.writeZip(tables, to: url)
            case .csv: try WorkbookFiles.writeFolder(tables, to: url)
            case .xlsx: try XLSX.write(tables, to: url)
            case .json: try Data(WorkbookFiles.json(tables).utf8).write(to: url, options: .atomic)
            }
            let rows = tables.reduce(0) { $0 + $1.rows.count }
            print("\(url.path): \(tables.count) 表, \(rows) 行 (\(tables.count) tables, \(rows) rows)")
        }
    }
}
