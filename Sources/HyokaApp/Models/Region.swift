import Fluent
import Foundation

/// 連携中枢都市圏: a central city and its partner municipalities.
final class Region: Model, @unchecked Sendable {
    static let schema = "regions"

    @ID var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "name") var name: String
    @Field(key: "central_city") var centralCity: String
    @OptionalField(key: "start_fiscal_year") var startFiscalYear: Int?
    @OptionalField(key: "end_fiscal_year") var endFiscalYear: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
