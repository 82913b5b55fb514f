import Fluent

/// The document a cycle's published data came from (the file `hyoka import` read:
/// 「program-evaluation-table.txt」, a city's workbook), so that every page of the year and
/// its printed sheets can name their source. Empty for a cycle run in Hyoka itself.
struct M024AddCycleSourceDocument: AsyncMigration {
    var name: String { "024_add_cycle_source_document" }

    func prepare(on database: any Database) async throws {
        try await database.schema("cycles").field("source_document", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("cycles").deleteField("source_document").update()
    }
}
