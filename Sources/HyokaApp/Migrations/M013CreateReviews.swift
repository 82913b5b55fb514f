import Fluent

/// 予算事務事業の棚卸し (inventory review against six viewpoints) and X会議 (public review
/// meetings).
struct M013CreateReviews: AsyncMigration {
    var name: String { "013_create_reviews" }

    func prepare(on database: any Database) async throws {
        try await database.schema("inventory_reviews")
            .id()
            .field("program_id", .uuid, .required, .references("programs", "id", onDelete: .cascade))
            .field("fiscal_year", .int, .required)
            .field("review_round", .string, .required)
            .field("viewpoints", .string, .required, .sql(.default("")))
            .field("result", .string, .required)
            .field("saving_yen", .int64)
            .field("note", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "program_id", "review_round")
            .create()
        try await database.createIndex("inventory_reviews_year", on: "inventory_reviews", columns: ["fiscal_year"])
        try await database.schema("review_meetings")
            .id()
            .field("municipality_id", .uuid, .required, .references("municipalities", "id", onDelete: .cascade))
            .field("held_on", .date, .required)
            .field("title", .string, .required)
            .field("theme", .string)
            .field("minutes", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "municipality_id", "held_on", "title")
            .create()
        try await database.schema("review_meeting_programs")
            .id()
            .field("meeting_id", .uuid, .required, .references("review_meetings", "id", onDelete: .cascade))
            .field("program_id", .uuid, .required, .references("programs", "id", onDelete: .cascade))
            .unique(on: "meeting_id", "program_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["review_meeting_programs", "review_meetings", "inventory_reviews"] {
            try await database.schema(table).delete()
        }
    }
}
