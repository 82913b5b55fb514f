import Fluent
import Foundation

/// 基本計画: the plan whose 施策 programs serve.
final class Plan: Model, @unchecked Sendable {
    static let schema = "plans"

    @ID var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "name") var name: String
    @OptionalField(key: "start_fiscal_year") var startFiscalYear: Int?
    @OptionalField(key: "end_fiscal_year") var endFiscalYear: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
