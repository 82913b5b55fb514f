import Fluent
import Foundation

/// 部局目標: one goal of a manifesto, with its 達成水準 and evaluations.
final class ManifestoGoal: Model, @unchecked Sendable {
    static let schema = "manifesto_goals"

    @ID var id: UUID?
    @Parent(key: "manifesto_id") var manifesto: Manifesto
    @Field(key: "number") var number: Int
    /// 業績目標
    @OptionalField(key: "heading") var heading: String?
    /// 表題
    @Field(key: "title") var title: String
    /// 関連の施策・基本事業No
    @OptionalField(key: "related_policy") var relatedPolicy: String?
    /// 〈これまでの経緯〉
    @OptionalField(key: "background") var background: String?
    /// 〈現状分析〉
    @OptionalField(key: "current_analysis") var currentAnalysis: String?
    /// 〈課題〉
    @OptionalField(key: "issues") var issues: String?
    /// 〈目標数値〉
    @OptionalField(key: "target_figures") var targetFigures: String?
    /// 〈達成された状態〉
    @OptionalField(key: "achieved_state") var achievedState: String?
    /// 〈手段・工程〉
    @OptionalField(key: "means_and_process") var meansAndProcess: String?
    /// 達成状況（自己評価）
    @OptionalField(key: "self_grade") var selfGrade: String?
    /// 理由
    @OptionalField(key: "self_reason") var selfReason: String?
    /// 指導者評価
    @OptionalField(key: "supervisor_grade") var supervisorGrade: String?
    /// Bumped by every staff save (`RecordVersion`).
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() { version = 0 }
}
