import Fluent
import Foundation

/// One viewpoint of an evaluation's checklist (観点): 「政策体系との整合性」 judged
/// 「結びついている」, with the reason. Which viewpoints a municipality asks is its
/// configuration (`Municipality.evaluationViewpoints`).
final class EvaluationViewpoint: Model, @unchecked Sendable {
    static let schema = "evaluation_viewpoints"

    @ID var id: UUID?
    @Parent(key: "evaluation_id") var evaluation: Evaluation
    /// The viewpoint's place in the checklist, from 0.
    @Field(key: "position") var position: Int
    @Field(key: "viewpoint") var viewpoint: String
    @Field(key: "judgement") var judgement: String
    @OptionalField(key: "reason") var reason: String?

    init() {}
}
