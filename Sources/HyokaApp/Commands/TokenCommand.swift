import ArgumentParser
import Fluent
import Foundation
import Vapor

/// `hyoka token create|list|revoke --user LOGIN`: bearer tokens for the API's write routes.
/// A token acts as its account: the same policy, validation and audit as the forms.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Manage API tokens of staff accounts (stored hashed; shown once when created).",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand, ParsableCommandWithDatabase {
        static let configuration = CommandConfiguration(abstract: "Create a token for an account and print it once.")
        @OptionGroup var databaseOptions: DatabaseOptions
        @ArgumentParser.Option(help: "The account's login.") var user: String
        @ArgumentParser.Option(help: "What the token is for (shown by `list`).") var label = "api"

        func run() async throws {
            try await withApplication(databaseOptions) { app in
                try await migrate(app)
                let (token, record) = try await APITokens.create(login: user, label: label, actor: "hyoka token create", on: app.db)
                FileHandle.standardError.write(Data("トークンを作成しました。この表示の後は再表示できません (token \(record.prefix)… created; it is not shown again):\n".utf8))
                print(token)
            }
        }
    }

    struct List: AsyncParsableCommand, ParsableCommandWithDatabase {
        static let configuration = CommandConfiguration(abstract: "List an account's tokens (ids and prefixes, never the tokens).")
        @OptionGroup var databaseOptions: DatabaseOptions
        @ArgumentParser.Option(help: "The account's login.") var user: String

        func run() async throws {
            try await withApplication(databaseOptions) { app in
                try await migrate(app)
                let account = try await UserCommand.find(user, on: app.db)
                let tokens = try await APIToken.query(on: app.db).filter(\.$user.$id == account.requireID()).sort(\.$createdAt).all()
                let format = ISO8601DateFormatter()
                print(["id", "prefix", "label", "created", "last_used", "status"].joined(separator: "\t"))
                for t in tokens {
                    print([t.id?.uuidString.lowercased() ?? "-", t.prefix, t.label, t.createdAt.map(format.string) ?? "-",
                           t.lastUsedAt.map(format.string) ?? "-", t.revokedAt == nil ? "active" : "revoked"].joined(separator: "\t"))
                }
                print("計 \(tokens.count) 件 (\(tokens.count) tokens)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand, ParsableCommandWithDatabase {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its id or prefix; it stops working at once.")
        @OptionGroup var databaseOptions: DatabaseOptions
        @ArgumentParser.Option(help: "The account's login.") var user: String
        @ArgumentParser.Argument(help: "The token's id or prefix, as `list` shows them.") var token: String

        func run() async throws {
            try await withApplication(databaseOptions) { app in
                try await migrate(app)
                let record = try await APITokens.revoke(token, login: user, actor: "hyoka token revoke", on: app.db)
                print("トークン \(record.prefix)… を失効させました (revoked token \(record.prefix)…)")
            }
        }
    }
}
