import ArgumentParser
import Fluent
import Foundation
import HyokaCore
import Vapor

/// `hyoka user add|list|disable|reset-password`: staff accounts from the command line.
/// There is no default account: the first admin is made with `hyoka user add --role admin`.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage staff accounts (the first admin is created here; there is no default password).",
        subcommands: [Add.self, List.self, Disable.self, ResetPassword.self]
    )

    /// Shortest password accepted: long passphrases beat complexity rules.
    static let minimumPasswordLength = 12

    /// Reads the new password: one line from standard input with `--password-stdin`
    /// (scripts), else typed twice at the terminal without echo.
    static func readPassword(fromStdin: Bool) throws -> String {
        let password: String
        if fromStdin {
            guard let line = readLine(strippingNewline: true) else { throw ValidationError("--password-stdin: no password on standard input") }
            password = line
        } else {
            guard isatty(STDIN_FILENO) == 1 else {
                throw ValidationError("no terminal to type the password on: pipe it in with --password-stdin")
            }
            let first = try prompt("パスワード (password): ")
            let second = try prompt("もう一度 (again): ")
            guard first == second else { throw ValidationError("the two passwords differ; nothing was changed") }
            password = first
        }
        guard password.count >= minimumPasswordLength else {
            throw ValidationError("the password has \(password.count) characters; use at least \(minimumPasswordLength) (a passphrase of several words is best)")
        }
        return password
    }

    private static func prompt(_ text: String) throws -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var settings = termios()
        tcgetattr(STDIN_FILENO, &settings)
        let saved = settings
        settings.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &settings)
        defer {
            var restore = saved
            tcsetattr(STDIN_FILENO, TCSANOW, &restore)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else { throw ValidationError("no password typed") }
        return line
    }

    static func find(_ login: String, on db: any Database) async throws -> User {
        guard let user = try await User.query(on: db).filter(\.$login == login).first() else {
            throw ValidationError("no account with login \(login); `hyoka user list` shows them")
        }
        return user
    }

    struct Add: AsyncParsableCommand, ParsableCommandWithDatabase {
        static let configuration = CommandConfiguration(abstract: "Create an account.")

        @OptionGroup var databaseOptions: DatabaseOptions
        @ArgumentParser.Argument(help: "Login name (letters, digits, . _ -).") var login: String
        @ArgumentParser.Option(help: "editor, approver, planner, reviewer or admin.") var role: String
        @ArgumentParser.Option(name: .customLong("name"), help: "Display name (default: the login).") var displayName: String?
        @ArgumentParser.Option(help: "団体コード; required for every role but admin.") var municipality: String?
        @ArgumentParser.Option(help: "Department (課・部・局) name as held; required for editor and approver.") var department: String?
        @ArgumentParser.Flag(name: .customLong("password-stdin"), help: "Read the password from standard input.") var passwordStdin = false

        func validate() throws {
            guard login.range(of: "^[A-Za-z0-9._-]{2,64}$", options: .regularExpression) != nil else {
                throw ValidationError("login \(login): use 2–64 letters, digits, dots, underscores or hyphens")
            }
            guard let parsed = Role(label: role) else {
                throw ValidationError("--role \(role): use one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if parsed != .admin, municipality == nil { throw ValidationError("--municipality is required for the role \(parsed.rawValue)") }
            if parsed == .editor || parsed == .approver, department == nil {
                throw ValidationError("--department is required for the role \(parsed.rawValue)")
            }
        }

        func run() async throws {
            let password = try UserCommand.readPassword(fromStdin: passwordStdin)
            try await withApplication(databaseOptions) { app in
                try await migrate(app)
                let role = Role(label: role)!
                try await app.db.transaction { db in
                    if try await User.query(on: db).filter(\.$login == login).first() != nil {
                        throw ValidationError("an account \(login) exists already; use `hyoka user reset-password \(login)`")
                    }
                    let user = User()
                    user.login = login
                    user.displayName = displayName ?? login
                    user.role = role.rawValue
                    user.isDisabled = false
                    user.passwordHash = try Bcrypt.hash(password)
                    if let municipality {
                        let code = try MunicipalityCode(municipality).value
                        guard let m = try await Municipality.query(on: db).filter(\.$code == code).first() else {
                            throw ValidationError("--municipality \(code): no such municipality is held; import its data first")
                        }
                        user.$municipality.id = try m.requireID()
                        if let department {
                            guard let d = try await Department.query(on: db).filter(\.$municipality.$id == m.requireID()).filter(\.$name == department).first() else {
                                // Say which names exist, closest first, so the next try works.
                                let names = try await Department.query(on: db).filter(\.$municipality.$id == m.requireID()).all().map(\.name)
                                let stem = department.replacingOccurrences(of: "（架空）", with: "")
                                let close = names.filter { $0.contains(stem) || stem.contains($0) } + names.filter { !($0.contains(stem) || stem.contains($0)) }.sorted()
                                throw ValidationError("--department \(department): \(m.name) にその課・部・局はありません (no such department). 登録されている名前 (names): \(close.prefix(12).joined(separator: "、"))\(names.count > 12 ? " …" : "")")
                            }
                            user.$department.id = try d.requireID()
                        }
                    }
                    try await user.create(on: db)
                    try await Audit(actor: "hyoka user add", userID: nil, source: "command")
                        .record(on: db, municipalityID: user.$municipality.id, entity: "users", id: user.id, label: login, [
                            .init(field: "login", before: nil, after: login), .init(field: "role", before: nil, after: role.rawValue),
                            .init(field: "department_id", before: nil, after: user.$department.id?.uuidString),
                        ])
                }
                print("アカウント \(login)（\(role.japanese)）を作成しました (created account \(login), role \(role.rawValue))")
            }
        }
    }

    struct List: AsyncParsableCommand, ParsableCommandWithDatabase {
        static let configuration = CommandConfiguration(abstract: "List the accounts.")
        @OptionGroup var databaseOptions: DatabaseOptions

        func run() async throws {
            try await withApplication(databaseOptions) { app in
                try await migrate(app)
                let users = try await User.query(on: app.db).with(\.$municipality).with(\.$department).sort(\.$login).all()
                print(["login", "role", "name", "municipality", "department", "status"].joined(separator: "\t"))
                for u in users {
                    print([u.login, u.role, u.displayName, u.municipality?.code ?? "-", u.department?.name ?? "-", u.isDisabled ? "disabled" : "active"]
                        .joined(separator: "\t"))
                }
                print("計 \(users.count) 件 (\(users.count) accounts)")
            }
        }
    }

    struct Disable: AsyncParsableCommand, ParsableCommandWithDatabase {
        static let configuration = CommandConfiguration(abstract: "Disable an account (it can no longer sign in; its history stays).")
        @OptionGroup var databaseOptions: DatabaseOptions
        @ArgumentParser.Argument var login: String

        func run() async throws {
            try await withApplication(databaseOptions) { app in
                try await migrate(app)
                try await app.db.transaction { db in
                    let user = try await UserCommand.find(login, on: db)
                    guard !user.isDisabled else { return }
                    user.isDisabled = true
                    try await user.save(on: db)
                    try await Audit(actor: "hyoka user disable", userID: nil, source: "command")
                        .record(on: db, municipalityID: user.$municipality.id, entity: "users", id: user.id, label: login,
                                [.init(field: "is_disabled", before: "false", after: "true")])
                    _ = try await StaffSession.endEverything(for: user, actor: "hyoka user disable", on: db)
                }
                print("アカウント \(login) を無効にしました (disabled \(login))")
            }
        }
    }

    struct ResetPassword: AsyncParsableCommand, ParsableCommandWithDatabase {
        static let configuration = CommandConfiguration(commandName: "reset-password", abstract: "Set a new password for an account.")
        @OptionGroup var databaseOptions: DatabaseOptions
        @ArgumentParser.Argument var login: String
        @ArgumentParser.Flag(name: .customLong("password-stdin"), help: "Read the password from standard input.") var passwordStdin = false

        func run() async throws {
            let password = try UserCommand.readPassword(fromStdin: passwordStdin)
            try await withApplication(databaseOptions) { app in
                try await migrate(app)
                let ended = try await app.db.transaction { db in
                    let user = try await UserCommand.find(login, on: db)
                    user.passwordHash = try Bcrypt.hash(password)
                    try await user.save(on: db)
                    // The hash itself never goes into the audit log.
                    try await Audit(actor: "hyoka user reset-password", userID: nil, source: "command")
                        .record(on: db, municipalityID: user.$municipality.id, entity: "users", id: user.id, label: login,
                                [.init(field: "password", before: "(set)", after: "(changed)")])
                    return try await StaffSession.endEverything(for: user, actor: "hyoka user reset-password", on: db)
                }
                print("アカウント \(login) のパスワードを変更しました。ログイン中のセッション \(ended.sessions) 件を終了し、APIトークン \(ended.tokens) 件を無効にしました "
                      + "(password changed for \(login); \(ended.sessions) sessions ended, \(ended.tokens) API tokens revoked: create new ones with `hyoka token create`)")
            }
        }
    }
}
