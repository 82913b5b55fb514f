import ArgumentParser
import Vapor

/// `hyoka serve`: the web application, migrating the database first so that one command
/// takes a new machine to a running site.
struct ServeCommand: AsyncParsableCommand, ParsableCommandWithDatabase {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the web app; creates and migrates the database on first start."
    )

    @OptionGroup var databaseOptions: DatabaseOptions

    @ArgumentParser.Option(name: .long, help: "Address to listen on.")
    var hostname = "127.0.0.1"

    @ArgumentParser.Option(name: .long, help: "Port to listen on.")
    var port = 8080

    @ArgumentParser.Option(name: .long, help: "Vapor environment: development, production or testing.")
    var env = "development"

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
    }

    func run() async throws {
        // The application loads `.env` into the environment, so settings are read after it.
        let app = try await Application.make(Environment(
            name: env,
            arguments: ["hyoka", "serve", "--hostname", hostname, "--port", String(port)]
        ))
        do {
            let configuration = try databaseOptions.configuration()
            try configure(app, configuration)
            app.logger.info("Database: \(configuration.database)")
            try await migrate(app)
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
