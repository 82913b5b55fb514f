import Fluent

/// 局・部・課: the department tree of a municipality.
struct M003CreateDepartments: AsyncMigration {
    var name: String { "003_create_departments" }

    func prepare(on database: any Database) async throws {
        try await database.schema("departments")
            .id()
            .field("municipality_id", .uuid, .required, .references("municipalities", "id", onDelete: .cascade))
            .field("parent_id", .uuid, .references("departments", "id", onDelete: .setNull))
            .field("code", .string)
            .field("name", .string, .required)
            .field("level", .string, .required)
            .field("sort_order", .int, .required, .sql(.default(0)))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.createIndex("departments_municipality_name", on: "departments", columns: ["municipality_id", "name"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema("departments").delete()
    }
}
