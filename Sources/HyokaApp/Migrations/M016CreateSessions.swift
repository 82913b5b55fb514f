import Fluent

/// Staff sign-in sessions (Fluent's session store: `_fluent_sessions`). Written out here
/// rather than taken from `SessionRecord.migration`, so that its name is fixed like ours.
struct M016CreateSessions: AsyncMigration {
    var name: String { "016_create_sessions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("_fluent_sessions")
            .id()
            .field("key", .string, .required)
            .field("data", .json, .required)
            .unique(on: "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("_fluent_sessions").delete()
    }
}
