import Fluent

/// 事務事業 and their links to 施策: one program serves several plan nodes, each link with
/// its own 事業・取組概要.
struct M006CreatePrograms: AsyncMigration {
    var name: String { "006_create_programs" }

    func prepare(on database: any Database) async throws {
        try await database.schema("programs")
            .id()
            .field("municipality_id", .uuid, .required, .references("municipalities", "id", onDelete: .cascade))
            .field("department_id", .uuid, .references("departments", "id", onDelete: .setNull))
            .field("number", .string)
            .field("name", .string, .required)
            .field("summary", .string)
            .field("sdg_goals", .string, .required, .sql(.default("")))
            .field("start_fiscal_year", .int)
            .field("end_fiscal_year", .int)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "municipality_id", "name")
            .create()
        try await database.createIndex("programs_municipality_number", on: "programs", columns: ["municipality_id", "number"])
        try await database.createIndex("programs_department", on: "programs", columns: ["department_id"])
        try await database.schema("plan_links")
            .id()
            .field("plan_node_id", .uuid, .required, .references("plan_nodes", "id", onDelete: .cascade))
            .field("program_id", .uuid, .required, .references("programs", "id", onDelete: .cascade))
            .field("number", .string)
            .field("summary", .string)
            .field("sort_order", .int, .required, .sql(.default(0)))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "plan_node_id", "program_id")
            .create()
        try await database.createIndex("plan_links_program", on: "plan_links", columns: ["program_id"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema("plan_links").delete()
        try await database.schema("programs").delete()
    }
}
