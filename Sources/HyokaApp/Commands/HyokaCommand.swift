import ArgumentParser
import HyokaCore
import Vapor

/// `hyoka`: the one binary. Each subcommand is a job an operator runs.
public struct HyokaCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "hyoka",
        abstract: "Hyoka（評価）: 自治体の行政評価プラットフォーム / performance evaluation for Japanese local governments.",
        version: HyokaConfiguration.version,
        subcommands: [ServeCommand.self, DemoCommand.self, MigrateCommand.self, ImportCommand.self, ExportCommand.self, LintCommand.self, UserCommand.self, TokenCommand.self, GenerateCommand.self]
    )

    public init() {}

    /// Parses the process arguments and runs the chosen subcommand. Spelled out because a
    /// plain `main()` call from top-level code picks the synchronous overload, which
    /// refuses async subcommands.
    public static func runFromCommandLine() async {
        // Log level from LOG_LEVEL (default info), once per process.
        var environment = Environment(name: "production", arguments: ["hyoka"])
        try? LoggingSystem.bootstrap(from: &environment)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// A command that touches data: it takes `--database` like every other such command.
protocol ParsableCommandWithDatabase: ParsableCommand {
    var databaseOptions: DatabaseOptions { get }
}

/// The `--database` option every command that touches data takes.
struct DatabaseOptions: ParsableArguments {
    @ArgumentParser.Option(name: .long, help: ArgumentHelp(
        "SQLite file path or postgres:// URL (default: $DATABASE_URL, else hyoka.sqlite in the working directory).",
        valueName: "path-or-url"))
    var database: String?

    func configuration() throws -> HyokaConfiguration {
        do {
            return try HyokaConfiguration.resolve(databaseOption: database)
        } catch let error as DatabaseLocation.InvalidLocation {
            throw ValidationError(error.description)
        } catch let error as HyokaConfiguration.InvalidSetting {
            throw ValidationError(error.description)
        }
    }
}

/// `--municipality` and `--fiscal-year`: which part of the data a command reads.
struct ScopeOptions: ParsableArguments {
    @ArgumentParser.Option(name: .long, help: "Only this municipality (団体コード).")
    var municipality: String?

    @ArgumentParser.Option(name: .customLong("fiscal-year"), help: "Only this fiscal year's yearly records (2024 or 令和6年度).")
    var fiscalYear: String?

    func validate() throws {
        if let fiscalYear, FiscalYear(parsing: fiscalYear) == nil {
            throw ValidationError("--fiscal-year: cannot read \(fiscalYear) as a fiscal year; write 2024 or 令和6年度")
        }
        if let municipality {
            do { _ = try MunicipalityCode(municipality) } catch { throw ValidationError("--municipality: \(error)") }
        }
    }

    var municipalityCode: String? { municipality.flatMap { try? MunicipalityCode($0).value } }
    var year: Int? { fiscalYear.flatMap { FiscalYear(parsing: $0)?.year } }
}
