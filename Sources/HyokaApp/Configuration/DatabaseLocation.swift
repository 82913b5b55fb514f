import Foundation

/// Where Hyoka keeps its data: an SQLite file (the default, one machine) or a PostgreSQL
/// server (a prefecture or the whole country sharing one deployment).
public enum DatabaseLocation: Equatable, Sendable, CustomStringConvertible {
    case sqlite(path: String)
    case sqliteInMemory
    case postgres(url: String)

    public static let defaultSQLitePath = "hyoka.sqlite"

    public struct InvalidLocation: Error, CustomStringConvertible {
        public let text: String
        public var description: String {
            "データベースの指定「\(text)」を読めません。SQLiteのファイルパス（例: hyoka.sqlite）か postgres://user@host:5432/db の形で指定してください (cannot read the database setting: give an SQLite file path or a postgres:// URL)"
        }
    }

    /// Reads `--database` / `DATABASE_URL`: `postgres://` or `postgresql://` URLs, `sqlite://PATH`,
    /// `sqlite::memory:` / `:memory:`, or a plain file path.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw InvalidLocation(text: text) }
        if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            guard let url = URLComponents(string: trimmed), url.host?.isEmpty == false else { throw InvalidLocation(text: text) }
            self = .postgres(url: trimmed)
        } else if trimmed == ":memory:" || trimmed == "sqlite::memory:" {
            self = .sqliteInMemory
        } else if trimmed.hasPrefix("sqlite://") {
            let path = String(trimmed.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw InvalidLocation(text: text) }
            self = .sqlite(path: path)
        } else if trimmed.contains("://") {
            throw InvalidLocation(text: text)
        } else {
            self = .sqlite(path: trimmed)
        }
    }

    /// `sqlite` or `postgresql`, as reported by `/healthz`.
    public var kind: String {
        switch self {
        case .sqlite, .sqliteInMemory: "sqlite"
        case .postgres: "postgresql"
        }
    }

    /// For logs: a PostgreSQL password is never printed.
    public var description: String {
        switch self {
        case let .sqlite(path): return "sqlite:\(path)"
        case .sqliteInMemory: return "sqlite::memory:"
        case let .postgres(url):
            guard var components = URLComponents(string: url) else { return "postgresql" }
            if components.password != nil { components.password = "***" }
            return components.string ?? "postgresql"
        }
    }
}
