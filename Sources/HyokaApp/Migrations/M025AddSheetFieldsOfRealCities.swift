import Fluent

/// What real cities' 事務事業評価シート hold and the schema lacked (issue 18, from 大船渡市's
/// export): a program's 根拠法令, 事務事業区分, 事業期間の区分, 予算科目, 目的 (対象・意図・結果)
/// and 手段; a year's 正規職員従事人数 and 延べ業務時間, and whether it is a planned year; an
/// evaluation's 期待成果 and its checklist of viewpoints; a municipality's hourly 人件費 and
/// the viewpoints of its checklist.
struct M025AddSheetFieldsOfRealCities: AsyncMigration {
    var name: String { "025_add_sheet_fields_of_real_cities" }

    /// Columns added, by table: one ALTER TABLE each, as SQLite adds one column at a time.
    static let textColumns: [(table: String, column: String)] = [
        ("programs", "legal_basis"), ("programs", "category"), ("programs", "period_kind"), ("programs", "budget_accounts"),
        ("programs", "purpose_target"), ("programs", "purpose_intent"), ("programs", "purpose_result"),
        ("programs", "means_previous_year"), ("programs", "means_this_year"),
        ("budget_lines", "staff_count"), ("budget_lines", "work_hours"),
        ("evaluations", "expected_outcome"), ("evaluations", "expected_cost"),
        ("municipalities", "evaluation_viewpoints"),
    ]

    func prepare(on database: any Database) async throws {
        for (table, column) in Self.textColumns {
            try await database.schema(table).field(.string(column), .string).update()
        }
        try await database.schema("budget_lines").field("is_planned", .bool, .required, .sql(.default(false))).update()
        try await database.schema("municipalities").field("personnel_cost_per_hour_yen", .int64).update()
        try await database.schema("evaluation_viewpoints")
            .id()
            .field("evaluation_id", .uuid, .required, .references("evaluations", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("viewpoint", .string, .required)
            .field("judgement", .string, .required)
            .field("reason", .string)
            .unique(on: "evaluation_id", "position")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("evaluation_viewpoints").delete()
        try await database.schema("municipalities").deleteField("personnel_cost_per_hour_yen").update()
        try await database.schema("budget_lines").deleteField("is_planned").update()
        for (table, column) in Self.textColumns.reversed() {
            try await database.schema(table).deleteField(.string(column)).update()
        }
    }
}
