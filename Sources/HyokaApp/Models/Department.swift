import Fluent
import Foundation

/// 局・部・課: a node of a municipality's department tree.
final class Department: Model, @unchecked Sendable {
    static let schema = "departments"

    @ID var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @OptionalParent(key: "parent_id") var parent: Department?
    @OptionalField(key: "code") var code: String?
    /// 課名 as printed (`安全・安心推進課`).
    @Field(key: "name") var name: String
    /// `局`, `部`, `課` or `室`: see `DepartmentLevel`.
    @Field(key: "level") var level: String
    @Field(key: "sort_order") var sortOrder: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
