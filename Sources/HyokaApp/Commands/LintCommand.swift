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

    @OptionGroup var scope: ScopeOptions

    func run() async throws {
        try await withApplication(databaseOptions) { app in
            try await migrate(app)
            let dataset = try await DatasetLoader.load(on: app.db, municipalityCode: scope.municipalityCode, fiscalYear: scope.year)
            print(Lint.table(Lint.check(dataset)))
        }
    }
}
