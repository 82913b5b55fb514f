import Fluent
import Foundation
import HyokaCore

/// A staff account. Roles are in DESIGN.md "Users".
final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID var id: UUID?
    @OptionalParent(key: "municipality_id") var municipality: Municipality?
    @OptionalParent(key: "department_id") var department: Department?
    @Field(key: "login") var login: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "role") var role: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "is_disabled") var isDisabled: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

extension User {
    /// The role as the domain's enum; nil for a value no role has (such an account may do nothing).
    var staffRole: Role? { Role(rawValue: role) }
}
