import Fluent
import Foundation

/// 事業費 of a project for one fiscal year, with its 備考.
final class CollaborationCost: Model, @unchecked Sendable {
    static let schema = "collaboration_costs"

    @ID var id: UUID?
    @Parent(key: "project_id") var project: CollaborationProject
    @Field(key: "fiscal_year") var fiscalYear: Int
    @Field(key: "amount_raw") var amountRaw: String
    @OptionalField(key: "amount_yen") var amountYen: Int64?
    @OptionalField(key: "note") var note: String?

    init() {}
}
