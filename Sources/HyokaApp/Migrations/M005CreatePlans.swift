import Fluent

/// 基本計画 and its tree of 政策・施策 (plan nodes, coded like `I-2-(1)-②`).
struct M005CreatePlans: AsyncMigration {
    var name: String { "005_create_plans" }

    func prepare(on database: any Database) async throws {
        try await database.schema("plans")
            .id()
            .field("municipality_id", .uuid, .required, .references("municipalities", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("start_fiscal_year", .int)
            .field("end_fiscal_year", .int)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "municipality_id", "name")
            .create()
        try await database.schema("plan_nodes")
            .id()
            .field("plan_id", .uuid, .required, .references("plans", "id", onDelete: .cascade))
            .field("parent_id", .uuid, .references("plan_nodes", "id", onDelete: .cascade))
            .field("code", .string, .required)
            .field("title", .string, .required)
            .field("level", .string, .required)
            .field("sort_order", .int, .required, .sql(.default(0)))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "plan_id", "code")
            .create()
        try await database.createIndex("plan_nodes_parent", on: "plan_nodes", columns: ["parent_id"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema("plan_nodes").delete()
        try await database.schema("plans").delete()
    }
}
