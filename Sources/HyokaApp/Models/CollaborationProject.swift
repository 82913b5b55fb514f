import Fluent
import Foundation

/// 連携事業: a project of a region's collaboration plan (one card of the plan).
final class CollaborationProject: Model, @unchecked Sendable {
    static let schema = "collaboration_projects"

    @ID var id: UUID?
    @Parent(key: "region_id") var region: Region
    /// 政策分野 heading (`(1) 圏域全体の経済成長のけん引`).
    @Field(key: "policy_field") var policyField: String
    /// 連携協約 category (`f 災害対策`).
    @Field(key: "agreement_category") var agreementCategory: String
    @Field(key: "name") var name: String
    /// 事業内容
    @OptionalField(key: "content") var content: String?
    /// 効果, one per line.
    @OptionalField(key: "effects") var effects: String?
    /// 連携市町 as printed.
    @OptionalField(key: "partners_text") var partnersText: String?
    /// 全市町: every member municipality takes part.
    @Field(key: "all_members") var allMembers: Bool
    /// 費用負担（基本方針）, one policy per line.
    @OptionalField(key: "cost_sharing") var costSharing: String?
    /// 【再掲】: listed again from another category.
    @Field(key: "is_repost") var isRepost: Bool
    @Field(key: "sort_order") var sortOrder: Int
    /// Bumped by every staff save (`RecordVersion`).
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() { version = 0 }
}
