import Fluent

/// The number of errors and warnings Hyoka's checks found in a sheet, stored when the sheet
/// is saved (derived when the data changes, not on every request), so that the progress
/// board and the sheet list of a 3,000-program city show them without checking every sheet.
/// `checked_at` is empty until a staff save, step or correction has checked the sheet.
struct M021AddSheetCheckCounts: AsyncMigration {
    var name: String { "021_add_sheet_check_counts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("sheet_statuses").field("check_errors", .int, .required, .sql(.default(0))).update()
        try await database.schema("sheet_statuses").field("check_warnings", .int, .required, .sql(.default(0))).update()
        try await database.schema("sheet_statuses").field("checked_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        for field in ["checked_at", "check_warnings", "check_errors"] {
            try await database.schema("sheet_statuses").deleteField(FieldKey(stringLiteral: field)).update()
        }
    }
}
