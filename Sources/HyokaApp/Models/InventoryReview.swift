import Fluent
import Foundation

/// 棚卸し: a program checked against the six viewpoints in one review round.
final class InventoryReview: Model, @unchecked Sendable {
    static let schema = "inventory_reviews"

    @ID var id: UUID?
    @Parent(key: "program_id") var program: Program
    @Field(key: "fiscal_year") var fiscalYear: Int
    @Field(key: "review_round") var reviewRound: String
    /// The viewpoints that applied, comma-separated numbers 1–6.
    @Field(key: "viewpoints") var viewpoints: String
    /// 廃止, 縮小, 統合, 手法見直し or 継続.
    @Field(key: "result") var result: String
    @OptionalField(key: "saving_yen") var savingYen: Int64?
    @OptionalField(key: "note") var note: String?
    /// Bumped by every staff save (`RecordVersion`).
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() { version = 0 }
}
