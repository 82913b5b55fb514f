import Fluent

/// 部局マニフェスト and its goals (経緯, 現状分析, 課題, 目標数値, 達成された状態, 手段・工程,
/// self-evaluation and the supervisor's).
struct M008CreateManifestos: AsyncMigration {
    var name: String { "008_create_manifestos" }

    func prepare(on database: any Database) async throws {
        try await database.schema("manifestos")
            .id()
            .field("municipality_id", .uuid, .required, .references("municipalities", "id", onDelete: .cascade))
            .field("department_id", .uuid, .required, .references("departments", "id", onDelete: .cascade))
            .field("fiscal_year", .int, .required)
            .field("head_title", .string)
            .field("head_name", .string)
            .field("contact", .string)
            .field("mission", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "department_id", "fiscal_year")
            .create()
        try await database.createIndex("manifestos_municipality_year", on: "manifestos", columns: ["municipality_id", "fiscal_year"])
        try await database.schema("manifesto_goals")
            .id()
            .field("manifesto_id", .uuid, .required, .references("manifestos", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("heading", .string)
            .field("title", .string, .required)
            .field("related_policy", .string)
            .field("background", .string)
            .field("current_analysis", .string)
            .field("issues", .string)
            .field("target_figures", .string)
            .field("achieved_state", .string)
            .field("means_and_process", .string)
            .field("self_grade", .string)
            .field("self_reason", .string)
            .field("supervisor_grade", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "manifesto_id", "number")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("manifesto_goals").delete()
        try await database.schema("manifestos").delete()
    }
}
