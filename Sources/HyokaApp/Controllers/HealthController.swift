import Fluent
import FluentSQLiteDriver  // SQLDatabase, for the raw round trip
import Vapor

/// `GET /healthz`: for operators and load balancers. Answers 200 when the database is
/// reachable and migrated, 503 otherwise, with the details in both cases.
enum HealthController {
    struct Health: Content {
        var status: String
        var version: String
        var database: DatabaseHealth
    }

    struct DatabaseHealth: Content {
        var kind: String
        var reachable: Bool
        var migrations: HyokaMigrations.State
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let reachable: Bool
        do {
            // A round trip to the server (or the SQLite file), not just a pooled handle.
            _ = try await MigrationLog.query(on: req.db).count()
            reachable = true
        } catch {
            reachable = await canQuery(req.db)
        }
        let migrations = await HyokaMigrations.state(on: req.db)
        let healthy = reachable && migrations.status == "current"
        let body = Health(
            status: healthy ? "ok" : "unavailable",
            version: HyokaConfiguration.version,
            database: DatabaseHealth(kind: req.application.hyoka.database.kind, reachable: reachable, migrations: migrations)
        )
        let response = Response(status: healthy ? .ok : .serviceUnavailable)
        try response.content.encode(body, as: .json)
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

    /// Whether the database answers at all (before the migration log exists).
    private static func canQuery(_ database: any Database) async -> Bool {
        guard let sql = database as? any SQLDatabase else { return false }
        do {
            try await sql.raw("SELECT 1").run()
            return true
        } catch {
            return false
        }
    }
}
