import Fluent

/// 連携中枢都市圏 and its collaboration projects: partners, yearly costs with 備考, roles per
/// party, cost-sharing policy, 再掲.
struct M007CreateRegions: AsyncMigration {
    var name: String { "007_create_regions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("regions")
            .id()
            .field("municipality_id", .uuid, .required, .references("municipalities", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("central_city", .string, .required)
            .field("start_fiscal_year", .int)
            .field("end_fiscal_year", .int)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "municipality_id", "name")
            .create()
        try await database.schema("region_members")
            .id()
            .field("region_id", .uuid, .required, .references("regions", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("municipality_code", .string)
            .field("sort_order", .int, .required, .sql(.default(0)))
            .unique(on: "region_id", "name")
            .create()
        try await database.schema("collaboration_projects")
            .id()
            .field("region_id", .uuid, .required, .references("regions", "id", onDelete: .cascade))
            .field("policy_field", .string, .required)
            .field("agreement_category", .string, .required)
            .field("name", .string, .required)
            .field("content", .string)
            .field("effects", .string)
            .field("partners_text", .string)
            .field("all_members", .bool, .required, .sql(.default(false)))
            .field("cost_sharing", .string)
            .field("is_repost", .bool, .required, .sql(.default(false)))
            .field("sort_order", .int, .required, .sql(.default(0)))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "region_id", "agreement_category", "name")
            .create()
        try await database.schema("collaboration_partners")
            .id()
            .field("project_id", .uuid, .required, .references("collaboration_projects", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("sort_order", .int, .required, .sql(.default(0)))
            .unique(on: "project_id", "name")
            .create()
        try await database.createIndex("collaboration_partners_name", on: "collaboration_partners", columns: ["name"])
        try await database.schema("collaboration_costs")
            .id()
            .field("project_id", .uuid, .required, .references("collaboration_projects", "id", onDelete: .cascade))
            .field("fiscal_year", .int, .required)
            .field("amount_raw", .string, .required)
            .field("amount_yen", .int64)
            .field("note", .string)
            .unique(on: "project_id", "fiscal_year")
            .create()
        try await database.schema("collaboration_roles")
            .id()
            .field("project_id", .uuid, .required, .references("collaboration_projects", "id", onDelete: .cascade))
            .field("party", .string, .required)
            .field("role", .string, .required)
            .field("sort_order", .int, .required, .sql(.default(0)))
            .unique(on: "project_id", "party")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["collaboration_roles", "collaboration_costs", "collaboration_partners", "collaboration_projects", "region_members", "regions"] {
            try await database.schema(table).delete()
        }
    }
}
