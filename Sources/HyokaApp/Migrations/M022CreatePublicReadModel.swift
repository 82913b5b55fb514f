import Fluent

/// The read model of what the public may see, written when it changes (a publication, a
/// correction, an import, a municipality's settings) inside the same transaction, so that
/// no visitor waits for it to be derived and no draft reaches it. Derived, never edited:
/// `PublicReadModel.refresh` deletes a municipality's rows and writes them anew, so the
/// tables hold no foreign keys to the records they are derived from.
///
/// - `public_versions`: one row per municipality, the data version its pages and ETags
///   follow (moved only by writes that change what it publishes), the derivation the
///   rows were computed with (a release that derives differently computes them again),
///   and whether it has anything published (the portal's list of municipalities).
/// - `public_programs`: a published program in a published year with its derived values
///   and its search key.
/// - `public_kpi_rates`: each KPI's 達成率 (or why there is none) in each public year.
/// - `public_findings`: the checks' findings about public data, by program and KPI id.
struct M022CreatePublicReadModel: AsyncMigration {
    var name: String { "022_create_public_read_model" }

    func prepare(on database: any Database) async throws {
        try await database.schema("public_versions")
            .field("municipality_id", .uuid, .identifier(auto: false))
            .field("version", .int64, .required)
            .field("changed_at", .int64, .required)
            .field("derivation", .int, .required, .sql(.default(0)))
            .field("published", .bool, .required, .sql(.default(false)))
            .create()
        try await database.schema("public_programs")
            .id()
            .field("municipality_id", .uuid, .required)
            .field("fiscal_year", .int, .required)
            .field("program_id", .uuid, .required)
            .field("number", .string)
            .field("name", .string, .required)
            .field("department", .string)
            .field("summary", .string)
            .field("sdg_goals", .string, .required)
            .field("plan_nodes", .string, .required)
            .field("grade", .string)
            .field("suggested_grade", .string)
            .field("direction", .string)
            .field("budget_year", .int)
            .field("budget_yen", .int64)
            .field("settlement_yen", .int64)
            .field("personnel_cost_yen", .int64)
            .field("total_cost_yen", .int64)
            .field("total_cost_uses_budget", .bool, .required)
            .field("budget_change_yen", .int64)
            .field("budget_change_percent", .string)
            .field("execution_rate", .string)
            .field("trend", .string)
            .field("rates", .string, .required)
            .field("search_key", .string, .required)
            .unique(on: "program_id", "fiscal_year")
            .create()
        try await database.createIndex("public_programs_scope", on: "public_programs", columns: ["municipality_id", "fiscal_year"])
        try await database.schema("public_kpi_rates")
            .id()
            .field("municipality_id", .uuid, .required)
            .field("program_id", .uuid, .required)
            .field("indicator_id", .uuid, .required)
            .field("fiscal_year", .int, .required)
            .field("rate", .string)
            .field("missing", .string)
            .unique(on: "indicator_id", "fiscal_year")
            .create()
        try await database.createIndex("public_kpi_rates_program", on: "public_kpi_rates", columns: ["program_id"])
        try await database.createIndex("public_kpi_rates_municipality", on: "public_kpi_rates", columns: ["municipality_id"])
        try await database.schema("public_findings")
            .id()
            .field("municipality_id", .uuid, .required)
            .field("program_id", .uuid)
            .field("indicator_id", .uuid)
            .field("fiscal_year", .int)
            .field("rule", .string, .required)
            .field("table_name", .string, .required)
            .field("record", .string, .required)
            .field("field", .string, .required)
            .field("japanese", .string, .required)
            .field("english", .string, .required)
            .create()
        try await database.createIndex("public_findings_program", on: "public_findings", columns: ["program_id"])
        try await database.createIndex("public_findings_municipality", on: "public_findings", columns: ["municipality_id"])
    }

    func revert(on database: any Database) async throws {
        for table in ["public_findings", "public_kpi_rates", "public_programs", "public_versions"] {
            try await database.schema(table).delete()
        }
    }
}
