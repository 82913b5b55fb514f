import Fluent
import Foundation

/// 事業評価 of a program or 局施策評価 of a plan node, for a fiscal year and stage.
final class Evaluation: Model, @unchecked Sendable {
    static let schema = "evaluations"

    @ID var id: UUID?
    @OptionalParent(key: "program_id") var program: Program?
    @OptionalParent(key: "plan_node_id") var planNode: PlanNode?
    @Field(key: "fiscal_year") var fiscalYear: Int
    /// An `EvaluationStage` raw value.
    @Field(key: "stage") var stage: String
    @OptionalField(key: "grade") var grade: String?
    /// 今後の方向性 / 成果の方向性
    @OptionalField(key: "direction") var direction: String?
    /// 主な取組と成果に対する評価
    @OptionalField(key: "comment") var comment: String?
    /// 強化・見直した内容 (課題に対する改善)
    @OptionalField(key: "improvement") var improvement: String?
    @OptionalField(key: "author") var author: String?
    /// 期待成果: 成果 and コスト.
    @OptionalField(key: "expected_outcome") var expectedOutcome: String?
    @OptionalField(key: "expected_cost") var expectedCost: String?
    @OptionalField(key: "evaluated_at") var evaluatedAt: Date?
    /// Bumped by every staff save (`RecordVersion`).
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() { version = 0 }
}
