import Fluent

/// Per-municipality rules: the lower-is-better formula and the 増減 threshold differ
/// between cities.
struct M002AddMunicipalitySettings: AsyncMigration {
    var name: String { "002_add_municipality_settings" }

    // SQLite alters one column per statement.
    func prepare(on database: any Database) async throws {
        try await database.schema("municipalities")
            .field("lower_is_better_formula", .string, .required, .sql(.default("twoMinusRatio")))
            .update()
        try await database.schema("municipalities")
            .field("budget_trend_threshold_percent", .string, .required, .sql(.default("5")))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("municipalities").deleteField("budget_trend_threshold_percent").update()
        try await database.schema("municipalities").deleteField("lower_is_better_formula").update()
    }
}
