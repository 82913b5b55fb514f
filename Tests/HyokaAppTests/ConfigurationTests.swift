import Foundation
import Testing
@testable import HyokaApp

@Suite struct ConfigurationTests {
    @Test func readsDatabaseLocations() throws {
        #expect(try DatabaseLocation(parsing: "hyoka.sqlite") == .sqlite(path: "hyoka.sqlite"))
        #expect(try DatabaseLocation(parsing: "/var/lib/hyoka/city.sqlite") == .sqlite(path: "/var/lib/hyoka/city.sqlite"))
        #expect(try DatabaseLocation(parsing: "sqlite:///tmp/x.sqlite") == .sqlite(path: "/tmp/x.sqlite"))
        #expect(try DatabaseLocation(parsing: ":memory:") == .sqliteInMemory)
        let url = "postgres://hyoka:secret@127.0.0.1:5433/hyoka?tlsmode=disable"
        #expect(try DatabaseLocation(parsing: url) == .postgres(url: url))
        #expect(try DatabaseLocation(parsing: "postgresql://db.example/hyoka").kind == "postgresql")
        #expect(try DatabaseLocation(parsing: "hyoka.sqlite").kind == "sqlite")
    }

    @Test(arguments: ["", "   ", "mysql://localhost/hyoka", "postgres://", "sqlite://"])
    func rejectsUnreadableLocations(text: String) {
        #expect(throws: DatabaseLocation.InvalidLocation.self) { try DatabaseLocation(parsing: text) }
    }

    @Test func neverPrintsAPassword() throws {
        let location = try DatabaseLocation(parsing: "postgres://hyoka:secret@127.0.0.1:5433/hyoka")
        #expect(!location.description.contains("secret"))
        #expect(location.description.contains("127.0.0.1:5433"))
    }

    @Test func optionThenEnvironmentThenDefault() throws {
        let env = ["DATABASE_URL": "postgres://db.example/hyoka"]
        #expect(try HyokaConfiguration.resolve(databaseOption: "x.sqlite", environment: env).database == .sqlite(path: "x.sqlite"))
        #expect(try HyokaConfiguration.resolve(databaseOption: nil, environment: env).database == .postgres(url: "postgres://db.example/hyoka"))
        #expect(try HyokaConfiguration.resolve(databaseOption: nil, environment: [:]).database == .sqlite(path: "hyoka.sqlite"))
        #expect(try HyokaConfiguration.resolve(databaseOption: nil, environment: ["DATABASE_URL": ""]).database == .sqlite(path: "hyoka.sqlite"))
    }

    @Test func anInvalidSettingNamesItself() {
        do {
            _ = try HyokaConfiguration.resolve(databaseOption: nil, environment: ["DATABASE_URL": "mysql://x/y"])
            Issue.record("an unreadable DATABASE_URL was accepted")
        } catch {
            #expect(String(describing: error).contains("mysql://x/y"))
        }
    }
}

@Suite struct CommandLineTests {
    @Test func helpListsEveryCommandWithADescription() {
        let help = HyokaCommand.helpMessage()
        for (name, words) in [("serve", "Run the web app"), ("migrate", "database schema")] {
            #expect(help.contains(name), "\(name) missing from --help")
            #expect(help.contains(words), "\(name) has no description in --help")
        }
        for command in [ServeCommand.self, HyokaApp.MigrateCommand.self] as [any ParsableCommandWithDatabase.Type] {
            #expect(command.helpMessage().contains("--database"), "\(command) lacks --database")
        }
    }

    @Test func serveDefaultsToLoopbackPort8080() throws {
        let serve = try ServeCommand.parse([])
        #expect(serve.hostname == "127.0.0.1")
        #expect(serve.port == 8080)
        #expect(serve.databaseOptions.database == nil)
        let custom = try ServeCommand.parse(["--hostname", "0.0.0.0", "--port", "9000", "--database", "city.sqlite"])
        #expect(custom.port == 9000 && custom.hostname == "0.0.0.0" && custom.databaseOptions.database == "city.sqlite")
        #expect(throws: (any Error).self) { try ServeCommand.parse(["--port", "70000"]) }
    }
}

@Suite struct ProgressBarTests {
    @Test func drawsTheShareDone() {
        #expect(ProgressBar.line(done: 0, total: 10, width: 10) == "\r[..........]   0% 0 / 10 件")
        #expect(ProgressBar.line(done: 5, total: 10, width: 10) == "\r[#####.....]  50% 5 / 10 件")
        #expect(ProgressBar.line(done: 10, total: 10, width: 10) == "\r[##########] 100% 10 / 10 件")
    }
}
