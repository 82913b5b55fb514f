import Fluent
import Foundation
import HyokaCore

/// A KPI (成果指標・活動指標) of exactly one owner: a program, a plan node, a collaboration
/// project or a manifesto goal.
final class Indicator: Model, @unchecked Sendable {
    static let schema = "indicators"

    @ID var id: UUID?
    @OptionalParent(key: "program_id") var program: Program?
    @OptionalParent(key: "plan_node_id") var planNode: PlanNode?
    @OptionalParent(key: "collaboration_project_id") var collaborationProject: CollaborationProject?
    @OptionalParent(key: "manifesto_goal_id") var manifestoGoal: ManifestoGoal?
    @Field(key: "name") var name: String
    /// `outcome` (成果) or `activity` (活動).
    @Field(key: "kind") var kind: String
    @OptionalField(key: "unit") var unit: String?
    /// An `IndicatorDirection` raw value.
    @Field(key: "direction") var direction: String
    /// `stated`, `inferred` or `published` (decided by a printed rate).
    @Field(key: "direction_source") var directionSource: String
    /// A `LowerIsBetterFormula` raw value overriding the municipality's.
    @OptionalField(key: "formula") var formula: String?
    /// 基準値・現状値 as written.
    @Field(key: "baseline_raw") var baselineRaw: String
    @OptionalField(key: "baseline_value") var baselineValue: String?
    @OptionalField(key: "baseline_year") var baselineYear: Int?
    /// 目標値・中期目標 as written.
    @Field(key: "final_target_raw") var finalTargetRaw: String
    @OptionalField(key: "final_target_value") var finalTargetValue: String?
    @OptionalField(key: "final_target_year") var finalTargetYear: Int?
    @Field(key: "sort_order") var sortOrder: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

extension Indicator {
    /// What this KPI's rates depend on (HyokaCore's `StoredKPI`): its own formula, else
    /// the municipality's `defaultFormula`. The model boundary is where the stored strings
    /// become the domain's enums.
    func stored(defaultFormula: LowerIsBetterFormula) -> StoredKPI {
        StoredKPI(columns: direction, formula: formula, defaultFormula: defaultFormula, baselineText: baselineRaw, baselineYear: baselineYear)
    }
}

extension StoredKPI {
    /// From the `indicators` columns as stored (a model, or a row read with named columns).
    init(columns direction: String, formula: String?, defaultFormula: LowerIsBetterFormula, baselineText: String, baselineYear: Int?) {
        self.init(direction: IndicatorDirection(rawValue: direction) ?? .qualitative,
                  formula: formula.flatMap(LowerIsBetterFormula.init(rawValue:)) ?? defaultFormula,
                  baselineText: baselineText, baselineYear: baselineYear)
    }
}
