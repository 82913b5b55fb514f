import Fluent
import Foundation
import HyokaImport
@testable import HyokaApp
import Testing
import Vapor
import VaporTesting

/// The database a test runs on: a new SQLite file per test by default, or the PostgreSQL
/// server named by `DATABASE_URL` (as `.ci/run` sets it), emptied before each test.
enum TestDatabase {
    static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else { return nil }
        return url
    }

    /// `sqlite` or `postgresql`: which engine this run tests.
    static var kind: String { postgresURL == nil ? "sqlite" : "postgresql" }

    /// A configuration for one test. Tests revert every migration on PostgreSQL, so a
    /// database whose name does not say it is for tests is refused.
    static func configuration() throws -> HyokaConfiguration {
        if let url = postgresURL {
            let name = URLComponents(string: url)?.path ?? ""
            guard name.lowercased().contains("test") else {
                throw TestSetupError("DATABASE_URL names \(name): the tests empty the database they run on, so its name must contain 'test'")
            }
            return HyokaConfiguration(database: try DatabaseLocation(parsing: url))
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-test-\(UUID().uuidString).sqlite").path
        return HyokaConfiguration(database: .sqlite(path: path))
    }

    /// Runs `body` with a configured app. With `migrated`, the schema is created first; on
    /// PostgreSQL, whatever an earlier test left is reverted before and after.
    static func withApp(migrated: Bool = true, _ body: (Application) async throws -> Void) async throws {
        let configuration = try configuration()
        try await VaporTesting.withApp(configure: { app in
            // Migration steps at info level would bury the test results in CI's output.
            app.logger.logLevel = .warning
            try configure(app, configuration)
        }) { app in
            if case .postgres = configuration.database { try await app.autoRevert() }
            if migrated { try await migrate(app) }
            do {
                try await body(app)
            } catch {
                try await cleanUp(app, configuration)
                throw error
            }
            try await cleanUp(app, configuration)
        }
    }

    static func cleanUp(_ app: Application, _ configuration: HyokaConfiguration) async throws {
        switch configuration.database {
        case .postgres:
            try await app.autoRevert()
        case let .sqlite(path):
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        case .sqliteInMemory:
            break
        }
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Every test that touches a database is nested here: on PostgreSQL they share one server,
/// so they run one at a time.
@Suite(.serialized) struct DatabaseTests {}

extension TestDatabase {
    /// Writes records the way an import does (one transaction, audited), for test setup.
    /// Writes as a request to this server would: the next page sees it at once.
    static func store(_ dataset: Dataset, in app: Application, origin: String = "test") async throws {
        try await storeBehindTheServer(dataset, in: app, origin: origin)
        app.dataVersionClock.forget()
    }

    /// Writes as another process would (`hyoka import` while `hyoka serve` runs): the
    /// server notices within `DataVersionClock.freshness`.
    static func storeBehindTheServer(_ dataset: Dataset, in app: Application, origin: String = "test") async throws {
        _ = try await app.db.transaction { tx in
            var store = DatasetStore(database: tx, actor: "test", source: "import", origin: origin)
            return try await store.write(dataset)
        }
    }
}
