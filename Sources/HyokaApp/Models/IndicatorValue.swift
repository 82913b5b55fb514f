import Fluent
import Foundation

/// Target and actual of an indicator for one fiscal year, raw and parsed.
final class IndicatorValue: Model, @unchecked Sendable {
    static let schema = "indicator_values"

    @ID var id: UUID?
    @Parent(key: "indicator_id") var indicator: Indicator
    @Field(key: "fiscal_year") var fiscalYear: Int
    @Field(key: "target_raw") var targetRaw: String
    @OptionalField(key: "target_value") var targetValue: String?
    @Field(key: "actual_raw") var actualRaw: String
    @OptionalField(key: "actual_value") var actualValue: String?
    /// The 達成率 a published document printed, kept for lint; never shown as ours.
    @OptionalField(key: "published_rate_raw") var publishedRateRaw: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
