import Fluent
import Foundation

/// 政策・施策: a node of the plan tree, coded like `I-2-(1)-②`.
final class PlanNode: Model, @unchecked Sendable {
    static let schema = "plan_nodes"

    @ID var id: UUID?
    @Parent(key: "plan_id") var plan: Plan
    @OptionalParent(key: "parent_id") var parent: PlanNode?
    @Field(key: "code") var code: String
    @Field(key: "title") var title: String
    /// `政策`, `施策` …: the depth's name in this plan.
    @Field(key: "level") var level: String
    @Field(key: "sort_order") var sortOrder: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
