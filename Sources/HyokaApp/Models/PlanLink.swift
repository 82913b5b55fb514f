import Fluent
import Foundation

/// A program serving a 施策, with the 事業・取組概要 written for that 施策.
final class PlanLink: Model, @unchecked Sendable {
    static let schema = "plan_links"

    @ID var id: UUID?
    @Parent(key: "plan_node_id") var planNode: PlanNode
    @Parent(key: "program_id") var program: Program
    /// The row number (No.) on the 施策評価 sheet.
    @OptionalField(key: "number") var number: String?
    @OptionalField(key: "summary") var summary: String?
    @Field(key: "sort_order") var sortOrder: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
