import Fluent
import Foundation

/// A city-wide figure for a year (市税収入 1,811億円), with the 過去最高 mark as published.
final class HeadlineFigure: Model, @unchecked Sendable {
    static let schema = "headline_figures"

    @ID var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "fiscal_year") var fiscalYear: Int
    @Field(key: "name") var name: String
    @Field(key: "value_raw") var valueRaw: String
    @OptionalField(key: "value") var value: String?
    @OptionalField(key: "unit") var unit: String?
    @Field(key: "published_record_high") var publishedRecordHigh: Bool
    @OptionalField(key: "note") var note: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
