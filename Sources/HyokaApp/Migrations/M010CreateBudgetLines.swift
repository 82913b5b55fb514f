import Fluent

/// 予算額・決算額・人件費 per program and fiscal year, in yen, with the optional funding split.
struct M010CreateBudgetLines: AsyncMigration {
    var name: String { "010_create_budget_lines" }

    func prepare(on database: any Database) async throws {
        try await database.schema("budget_lines")
            .id()
            .field("program_id", .uuid, .required, .references("programs", "id", onDelete: .cascade))
            .field("fiscal_year", .int, .required)
            .field("budget_yen", .int64)
            .field("settlement_yen", .int64)
            .field("personnel_cost_yen", .int64)
            .field("national_yen", .int64)
            .field("prefectural_yen", .int64)
            .field("bond_yen", .int64)
            .field("other_specific_yen", .int64)
            .field("general_yen", .int64)
            .field("published_trend", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "program_id", "fiscal_year")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("budget_lines").delete()
    }
}
