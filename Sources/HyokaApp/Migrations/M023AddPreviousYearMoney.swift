import Fluent

/// The year before's 予算額 and 決算額 on each public program row, for the list download's
/// 前年度 columns beside 増減額 and 増減率. Derived like the rest of the row: the derivation
/// number moved with this migration, so every municipality's rows are computed again at
/// start and the new columns filled.
struct M023AddPreviousYearMoney: AsyncMigration {
    var name: String { "023_add_previous_year_money" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        try await database.schema("public_programs").field("previous_budget_yen", .int64).update()
        try await database.schema("public_programs").field("previous_settlement_yen", .int64).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("public_programs").deleteField("previous_settlement_yen").update()
        try await database.schema("public_programs").deleteField("previous_budget_yen").update()
    }
}
