import Fluent
import FluentSQLiteDriver  // SQLDatabase

/// A version counter on every record a staff form edits (besides sheets, which have one
/// since M012): a save names the version it was based on and is refused when the record
/// moved on meanwhile.
struct M018AddRecordVersions: AsyncMigration {
    var name: String { "018_add_record_versions" }

    static let tables = ["evaluations", "manifesto_goals", "collaboration_projects", "inventory_reviews"]

    func prepare(on database: any Database) async throws {
        for table in Self.tables {
            try await database.schema(table).field("version", .int, .required, .sql(.default(0))).update()
        }
    }

    func revert(on database: any Database) async throws {
        for table in Self.tables {
            try await database.schema(table).deleteField("version").update()
        }
    }
}
