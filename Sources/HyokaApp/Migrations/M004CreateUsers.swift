import Fluent

/// Staff accounts. The password hash is Bcrypt; there is no default account.
struct M004CreateUsers: AsyncMigration {
    var name: String { "004_create_users" }

    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .id()
            .field("municipality_id", .uuid, .references("municipalities", "id", onDelete: .restrict))
            .field("department_id", .uuid, .references("departments", "id", onDelete: .setNull))
            .field("login", .string, .required)
            .field("display_name", .string, .required)
            .field("role", .string, .required)
            .field("password_hash", .string, .required)
            .field("is_disabled", .bool, .required, .sql(.default(false)))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "login")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").delete()
    }
}
