import Fluent

/// Bearer tokens for the JSON API's write routes. Only a SHA-256 hash of each token is
/// kept (a token is 256 random bits, so a fast hash is enough); `prefix` is the token's
/// first characters, to tell tokens apart in `hyoka token list` without storing them.
struct M019CreateAPITokens: AsyncMigration {
    var name: String { "019_create_api_tokens" }

    func prepare(on database: any Database) async throws {
        try await database.schema("api_tokens")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("label", .string, .required)
            .field("token_hash", .string, .required)
            .field("prefix", .string, .required)
            .field("created_at", .datetime)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.createIndex("api_tokens_user", on: "api_tokens", columns: ["user_id"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema("api_tokens").delete()
    }
}
