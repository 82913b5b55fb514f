import Fluent
import FluentSQLiteDriver  // SQLDatabase

/// Audit entries can be added, never changed or deleted: the database itself refuses, so
/// neither the app nor a mistaken script can rewrite history. (Dropping the whole table,
/// as reverting migrations does, is a schema change and still possible for an operator.)
struct M017AuditEntriesAppendOnly: AsyncMigration {
    var name: String { "017_audit_entries_append_only" }

    static let message = "audit entries cannot be changed or deleted"

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            for (name, event) in [("audit_entries_no_update", "UPDATE"), ("audit_entries_no_delete", "DELETE")] {
                try await sql.raw("CREATE TRIGGER \(unsafeRaw: name) BEFORE \(unsafeRaw: event) ON audit_entries BEGIN SELECT RAISE(ABORT, '\(unsafeRaw: Self.message)'); END").run()
            }
        } else {
            try await sql.raw("""
                CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '\(unsafeRaw: Self.message)'; END $$
                """).run()
            try await sql.raw("CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()").run()
            try await sql.raw("CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()").run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            try await sql.raw("DROP TRIGGER IF EXISTS audit_entries_no_update").run()
            try await sql.raw("DROP TRIGGER IF EXISTS audit_entries_no_delete").run()
        } else {
            try await sql.raw("DROP TRIGGER IF EXISTS audit_entries_no_change ON audit_entries").run()
            try await sql.raw("DROP TRIGGER IF EXISTS audit_entries_no_truncate ON audit_entries").run()
            try await sql.raw("DROP FUNCTION IF EXISTS audit_entries_append_only()").run()
        }
    }
}
