import Fluent
import FluentSQLiteDriver
import Foundation
import HyokaCore
import Testing
import Vapor
@testable import HyokaApp

extension DatabaseTests {
    @Suite struct MigrationTests {
        @Test func migrateCommandCreatesAndUpdatesTheSchema() async throws {
            let configuration = try TestDatabase.configuration()
            let argument: String = switch configuration.database {
            case let .sqlite(path): path
            case let .postgres(url): url
            case .sqliteInMemory: ":memory:"
            }
            // Start from nothing on PostgreSQL too.
            try await TestDatabase.withApp(migrated: false) { _ in }

            var command = try #require(try HyokaCommand.parseAsRoot(["migrate", "--database", argument]) as? HyokaApp.MigrateCommand)
            try await command.run()
            // A second run finds nothing to do and must not fail.
            command = try #require(try HyokaCommand.parseAsRoot(["migrate", "--database", argument]) as? HyokaApp.MigrateCommand)
            try await command.run()

            let app = try await Application.make(.testing)
            do {
                try configure(app, configuration)
                let state = await HyokaMigrations.state(on: app.db)
                #expect(state.status == "current")
                #expect(state.applied == HyokaMigrations.all.count)
                if case let .sqlite(path) = configuration.database {
                    #expect(FileManager.default.fileExists(atPath: path))
                    let mode = try await (app.db as! any SQLDatabase).raw("PRAGMA journal_mode").first(decoding: JournalMode.self)
                    #expect(mode?.journal_mode == "wal")
                }
                try await TestDatabase.cleanUp(app, configuration)
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
        }

        struct JournalMode: Decodable { let journal_mode: String }

        @Test func everyMigrationReverts() async throws {
            try await TestDatabase.withApp { app in
                try await app.autoRevert()
                let state = await HyokaMigrations.state(on: app.db)
                #expect(state.applied == 0)
                try await app.autoMigrate()
                #expect(await HyokaMigrations.state(on: app.db).status == "current")
            }
        }

        @Test func municipalitiesAreUniqueByCode() async throws {
            try await TestDatabase.withApp { app in
                let kitakyushu = Municipality(code: try MunicipalityCode("401005"), name: "北九州市", nameEnglish: "Kitakyushu", prefecture: "福岡県")
                try await kitakyushu.save(on: app.db)
                let found = try await Municipality.query(on: app.db).filter(\.$code == "401005").first()
                #expect(found?.name == "北九州市")
                #expect(found?.createdAt != nil)
                let duplicate = Municipality(code: try MunicipalityCode("401005"), name: "重複", prefecture: "福岡県")
                await #expect(throws: (any Error).self) { try await duplicate.save(on: app.db) }
                #expect(try await Municipality.query(on: app.db).count() == 1)
            }
        }
    }
}
