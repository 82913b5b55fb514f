import Fluent
import FluentSQLiteDriver  // SQLDatabase

extension Database {
    /// A plain (non-unique) index, for the lookups the portal makes. Fluent's schema builder
    /// only knows unique constraints; SQLKit's builder writes the same statement for SQLite
    /// and PostgreSQL. Dropping the table drops its indexes.
    func createIndex(_ name: String, on table: String, columns: [String]) async throws {
        guard let sql = self as? any SQLDatabase else { return }
        var builder = sql.create(index: name).on(table)
        for column in columns { builder = builder.column(column) }
        try await builder.run()
    }
}
