import Foundation
import HyokaApp
import Testing
import Vapor
import VaporTesting

extension DatabaseTests {
    @Suite struct HealthTests {
        struct Health: Decodable {
            struct DatabaseHealth: Decodable {
                let kind: String
                let reachable: Bool
                let migrations: HyokaMigrations.State
            }
            let status: String
            let version: String
            let database: DatabaseHealth
        }

        @Test func answersOverRealHTTPWhenMigrated() async throws {
            try await TestDatabase.withApp { app in
                try await app.testing(method: .running(hostname: "127.0.0.1", port: 0)).test(.GET, "/healthz") { response in
                    #expect(response.status == .ok)
                    #expect(response.headers.contentType == .json)
                    let health = try response.content.decode(Health.self)
                    #expect(health.status == "ok")
                    #expect(health.version == HyokaConfiguration.version)
                    #expect(health.database.kind == TestDatabase.kind)
                    #expect(health.database.reachable)
                    #expect(health.database.migrations.status == "current")
                    #expect(health.database.migrations.pending.isEmpty)
                    #expect(health.database.migrations.applied == HyokaMigrations.all.count)
                }
            }
        }

        @Test func reportsAnUnmigratedDatabaseAsUnavailable() async throws {
            try await TestDatabase.withApp(migrated: false) { app in
                try await app.testing().test(.GET, "/healthz") { response in
                    #expect(response.status == .serviceUnavailable)
                    let health = try response.content.decode(Health.self)
                    #expect(health.status == "unavailable")
                    #expect(health.database.reachable)
                    #expect(health.database.migrations.status == "empty")
                    #expect(health.database.migrations.pending == HyokaMigrations.all.map(\.name))
                }
            }
        }

        @Test func unknownPathsAreNotFound() async throws {
            try await TestDatabase.withApp { app in
                try await app.testing().test(.GET, "/no-such-page") { response in
                    #expect(response.status == .notFound)
                    #expect(response.body.string.contains("ページが見つかりません"))
                }
                try await app.testing().test(.GET, "/no-such-page", headers: ["Accept": "application/json"]) { response in
                    #expect(response.status == .notFound)
                    #expect(response.headers.contentType == .json)
                }
            }
        }
    }
}
