import ArgumentParser
import Foundation
import HyokaCore
import HyokaImport

/// `hyoka lint`: the consistency checks of the data held, printed as a table.
struct LintCommand: AsyncParsableCommand, ParsableCommandWithDatabase {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check the data for inconsistencies (rates, 増減, grades, baselines, budgets) and print the findings."
    )

    @OptionGroup var databaseOptions: DatabaseOptions

    @ArgumentParser.Option(name: .long, help: "Only this municipality (団体コード).")
    var municipality: String?

    @ArgumentParser.Option(name: .customLong("fiscal-year"), help: "Only this fiscal year's yearly records (2024 or 令和6年度).")
    var fiscalYear: String?

    func validate() throws {
        if let fiscalYear, FiscalYear(parsing: fiscalYear) == nil {
            throw ValidationError("--fiscal-year: cannot read \(fiscalYear) as a fiscal year; write 2024 or 令和6年度")
        }
    }

    func run() async throws {
        try await withApplication(databaseOptions) { app in
            try await migrate(app)
            let dataset = try await DatasetLoader.load(on: app.db, municipalityCode: municipality.flatMap { try? MunicipalityCode($0).value },
                                                       fiscalYear: fiscalYear.flatMap { FiscalYear(parsing: $0)?.year })
            print(Lint.table(Lint.check(dataset)))
        }
    }
}
