import Fluent

/// City-wide figures by year (市税収入, ふるさと納税 …), for the 過去最高 headlines.
struct M014CreateHeadlineFigures: AsyncMigration {
    var name: String { "014_create_headline_figures" }

    func prepare(on database: any Database) async throws {
        try await database.schema("headline_figures")
            .id()
            .field("municipality_id", .uuid, .required, .references("municipalities", "id", onDelete: .cascade))
            .field("fiscal_year", .int, .required)
            .field("name", .string, .required)
            .field("value_raw", .string, .required)
            .field("value", .string)
            .field("unit", .string)
            .field("published_record_high", .bool, .required, .sql(.default(false)))
            .field("note", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "municipality_id", "name", "fiscal_year")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("headline_figures").delete()
    }
}
