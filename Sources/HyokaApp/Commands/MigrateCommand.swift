import ArgumentParser
import Fluent
import Vapor

/// `hyoka migrate`: bring the schema up to date (or list what would run), without serving.
struct MigrateCommand: AsyncParsableCommand, ParsableCommandWithDatabase {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or update the database schema (SQLite file or PostgreSQL)."
    )

    @OptionGroup var databaseOptions: DatabaseOptions

    @ArgumentParser.Flag(name: .long, help: "Only list the migrations that would run.")
    var dryRun = false

    func run() async throws {
        // The application loads `.env` into the environment, so settings are read after it.
        let app = try await Application.make(.init(name: "development", arguments: ["hyoka"]))
        do {
            let configuration = try databaseOptions.configuration()
            try configure(app, configuration)
            let before = await HyokaMigrations.state(on: app.db)
            if dryRun {
                print(before.pending.isEmpty ? "No pending migrations (\(configuration.database))."
                      : "Pending migrations (\(configuration.database)):\n" + before.pending.map { "  \($0)" }.joined(separator: "\n"))
            } else {
                try await migrate(app)
                let after = await HyokaMigrations.state(on: app.db)
                print("Migrated \(configuration.database): \(before.pending.count) applied now, \(after.applied) in all, \(after.pending.count) pending.")
            }
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
