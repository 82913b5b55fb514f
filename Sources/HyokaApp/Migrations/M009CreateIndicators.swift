import Fluent

/// KPIs and their yearly values. An indicator belongs to exactly one of a program, a plan
/// node, a collaboration project or a manifesto goal. Values keep the raw text beside
/// the parsed number; rates are computed on reading, never stored.
struct M009CreateIndicators: AsyncMigration {
    var name: String { "009_create_indicators" }

    func prepare(on database: any Database) async throws {
        try await database.schema("indicators")
            .id()
            .field("program_id", .uuid, .references("programs", "id", onDelete: .cascade))
            .field("plan_node_id", .uuid, .references("plan_nodes", "id", onDelete: .cascade))
            .field("collaboration_project_id", .uuid, .references("collaboration_projects", "id", onDelete: .cascade))
            .field("manifesto_goal_id", .uuid, .references("manifesto_goals", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("unit", .string)
            .field("direction", .string, .required)
            .field("direction_source", .string, .required)
            .field("formula", .string)
            .field("baseline_raw", .string, .required, .sql(.default("")))
            .field("baseline_value", .string)
            .field("baseline_year", .int)
            .field("final_target_raw", .string, .required, .sql(.default("")))
            .field("final_target_value", .string)
            .field("final_target_year", .int)
            .field("sort_order", .int, .required, .sql(.default(0)))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.createIndex("indicators_program", on: "indicators", columns: ["program_id"])
        try await database.createIndex("indicators_plan_node", on: "indicators", columns: ["plan_node_id"])
        try await database.createIndex("indicators_project", on: "indicators", columns: ["collaboration_project_id"])
        try await database.createIndex("indicators_goal", on: "indicators", columns: ["manifesto_goal_id"])
        try await database.schema("indicator_values")
            .id()
            .field("indicator_id", .uuid, .required, .references("indicators", "id", onDelete: .cascade))
            .field("fiscal_year", .int, .required)
            .field("target_raw", .string, .required, .sql(.default("")))
            .field("target_value", .string)
            .field("actual_raw", .string, .required, .sql(.default("")))
            .field("actual_value", .string)
            .field("published_rate_raw", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "indicator_id", "fiscal_year")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("indicator_values").delete()
        try await database.schema("indicators").delete()
    }
}
