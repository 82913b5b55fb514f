import Fluent

/// Every change: who, when, which record and field, before and after. Rows are only ever
/// inserted.
struct M015CreateAuditEntries: AsyncMigration {
    var name: String { "015_create_audit_entries" }

    func prepare(on database: any Database) async throws {
        try await database.schema("audit_entries")
            .id()
            .field("municipality_id", .uuid, .references("municipalities", "id", onDelete: .setNull))
            .field("user_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("actor", .string, .required)
            .field("source", .string, .required)
            .field("at", .datetime, .required)
            .field("entity", .string, .required)
            .field("entity_id", .uuid)
            .field("entity_label", .string)
            .field("field", .string, .required)
            .field("before", .string)
            .field("after", .string)
            .create()
        try await database.createIndex("audit_entries_entity", on: "audit_entries", columns: ["entity", "entity_id"])
        try await database.createIndex("audit_entries_at", on: "audit_entries", columns: ["at"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_entries").delete()
    }
}
