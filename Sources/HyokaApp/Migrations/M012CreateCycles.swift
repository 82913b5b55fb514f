import Fluent

/// The yearly evaluation cycle (準備 → 入力 → 審査 → 確定 → 公表) and each sheet's status in it
/// (下書き, 提出, 差戻し, 承認, 公表). A program belongs to a fiscal year through its sheet.
struct M012CreateCycles: AsyncMigration {
    var name: String { "012_create_cycles" }

    func prepare(on database: any Database) async throws {
        try await database.schema("cycles")
            .id()
            .field("municipality_id", .uuid, .required, .references("municipalities", "id", onDelete: .cascade))
            .field("fiscal_year", .int, .required)
            .field("phase", .string, .required)
            .field("input_deadline", .date)
            .field("review_deadline", .date)
            .field("published_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "municipality_id", "fiscal_year")
            .create()
        try await database.schema("sheet_statuses")
            .id()
            .field("cycle_id", .uuid, .required, .references("cycles", "id", onDelete: .cascade))
            .field("program_id", .uuid, .required, .references("programs", "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("version", .int, .required, .sql(.default(1)))
            .field("return_reason", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "cycle_id", "program_id")
            .create()
        try await database.createIndex("sheet_statuses_program", on: "sheet_statuses", columns: ["program_id"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sheet_statuses").delete()
        try await database.schema("cycles").delete()
    }
}
