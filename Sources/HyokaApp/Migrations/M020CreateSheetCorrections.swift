import Fluent

/// 訂正 of published sheets: when, by whom and why, shown on the public sheet. The changed
/// fields themselves are in the audit log like every other change.
struct M020CreateSheetCorrections: AsyncMigration {
    var name: String { "020_create_sheet_corrections" }

    func prepare(on database: any Database) async throws {
        try await database.schema("sheet_corrections")
            .id()
            .field("sheet_status_id", .uuid, .required, .references("sheet_statuses", "id"))
            .field("corrected_at", .datetime, .required)
            .field("reason", .string, .required)
            .field("author", .string, .required)
            .create()
        try await database.createIndex("sheet_corrections_sheet", on: "sheet_corrections", columns: ["sheet_status_id"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sheet_corrections").delete()
    }
}
