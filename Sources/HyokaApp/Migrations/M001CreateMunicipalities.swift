import Fluent

/// 地方公共団体: every record in Hyoka belongs to one.
struct M001CreateMunicipalities: AsyncMigration {
    /// Stored in the migration log: fixed, so that renaming the type never re-runs it.
    var name: String { "001_create_municipalities" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Municipality.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("name_en", .string)
            .field("prefecture", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Municipality.schema).delete()
    }
}
