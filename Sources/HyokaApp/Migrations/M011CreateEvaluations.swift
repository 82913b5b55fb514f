import Fluent

/// 事業評価 (of a program) and 局施策評価 (of a plan node), per fiscal year and stage.
struct M011CreateEvaluations: AsyncMigration {
    var name: String { "011_create_evaluations" }

    func prepare(on database: any Database) async throws {
        try await database.schema("evaluations")
            .id()
            .field("program_id", .uuid, .references("programs", "id", onDelete: .cascade))
            .field("plan_node_id", .uuid, .references("plan_nodes", "id", onDelete: .cascade))
            .field("fiscal_year", .int, .required)
            .field("stage", .string, .required)
            .field("grade", .string)
            .field("direction", .string)
            .field("comment", .string)
            .field("improvement", .string)
            .field("author", .string)
            .field("evaluated_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.createIndex("evaluations_program_year", on: "evaluations", columns: ["program_id", "fiscal_year"])
        try await database.createIndex("evaluations_plan_node_year", on: "evaluations", columns: ["plan_node_id", "fiscal_year"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema("evaluations").delete()
    }
}
