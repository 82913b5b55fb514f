import FluentKit
import Foundation
import HyokaCore
import SQLKit

/// Multi-row INSERTs for the record kinds an import creates by the hundred thousand. Fluent
/// finds a model's fields by reflection on every create and save, which was half of an
/// import's time (see BENCHMARKS.md); these kinds list their columns once instead. The
/// values are bound exactly as Fluent binds them (same types, same encoder), and the
/// timestamps and defaults are those a Fluent create would write.
protocol BulkInsertable: Model where IDValue == UUID {
    /// The columns after `id`.
    static var bulkColumns: [String] { get }
    /// The values of `bulkColumns` in order, for a new record created at `now`.
    func bulkValues(now: Date) -> [any Encodable & Sendable]
    /// Marks the record as stored, so that a later save updates it.
    func markStored()
}

/// What a queue of created records can be asked, whatever its model type.
protocol BulkCreatable {
    func bulkCreate(on database: any Database) async throws
}

extension Array: BulkCreatable where Element: BulkInsertable {}

extension Array where Element: BulkInsertable {
    func bulkCreate(on database: any Database) async throws {
        guard !isEmpty else { return }
        guard let sql = database as? any SQLDatabase else { return try await create(on: database) }
        let now = HyokaClock.date
        let columns = ["id"] + Element.bulkColumns
        // SQLite binds at most 32,766 values per statement, PostgreSQL 65,535.
        for chunk in chunked(into: Swift.max(1, 30_000 / columns.count)) {
            let insert = sql.insert(into: Element.schema).columns(columns)
            for model in chunk {
                // As Fluent's create: a record without an id gets a new one.
                if model.id == nil { model.id = UUID() }
                let id: any Encodable & Sendable = model.id
                insert.values([id] + model.bulkValues(now: now))
            }
            try await insert.run()
        }
        for model in self { model.markStored() }
    }
}

/// A field's value, or nil when it was never set (Fluent would write the column's default;
/// the columns these are used on have none, so NULL is the same).
private func value<T: Sendable & Encodable>(_ field: T??) -> T? { field ?? nil }

extension IndicatorValue: BulkInsertable {
    static let bulkColumns = ["indicator_id", "fiscal_year", "target_raw", "target_value", "actual_raw", "actual_value",
                              "published_rate_raw", "created_at", "updated_at"]
    func bulkValues(now: Date) -> [any Encodable & Sendable] {
        [$indicator.id, fiscalYear, targetRaw, value($targetValue.value), actualRaw, value($actualValue.value),
         value($publishedRateRaw.value), now, now]
    }
    func markStored() { $id.exists = true }
}

extension AuditEntry: BulkInsertable {
    static let bulkColumns = ["municipality_id", "user_id", "actor", "source", "at", "entity", "entity_id", "entity_label",
                              "field", "before", "after"]
    func bulkValues(now: Date) -> [any Encodable & Sendable] {
        [value($municipality.$id.value), value($user.$id.value), actor, source, at, entity, value($entityID.value),
         value($entityLabel.value), field, value($before.value), value($after.value)]
    }
    func markStored() { $id.exists = true }
}

extension BudgetLine: BulkInsertable {
    static let bulkColumns = ["program_id", "fiscal_year", "budget_yen", "settlement_yen", "personnel_cost_yen", "national_yen",
                              "prefectural_yen", "bond_yen", "other_specific_yen", "general_yen", "published_trend",
                              "staff_count", "work_hours", "is_planned", "created_at", "updated_at"]
    func bulkValues(now: Date) -> [any Encodable & Sendable] {
        [$program.id, fiscalYear, value($budgetYen.value), value($settlementYen.value), value($personnelCostYen.value),
         value($nationalYen.value), value($prefecturalYen.value), value($bondYen.value), value($otherSpecificYen.value),
         value($generalYen.value), value($publishedTrend.value), value($staffCount.value), value($workHours.value), isPlanned, now, now]
    }
    func markStored() { $id.exists = true }
}

extension Evaluation: BulkInsertable {
    static let bulkColumns = ["program_id", "plan_node_id", "fiscal_year", "stage", "grade", "direction", "comment", "improvement",
                              "author", "evaluated_at", "version", "expected_outcome", "expected_cost", "created_at", "updated_at"]
    func bulkValues(now: Date) -> [any Encodable & Sendable] {
        // An imported evaluation has version 0 (the column's default), as with Fluent's create.
        [value($program.$id.value), value($planNode.$id.value), fiscalYear, stage, value($grade.value), value($direction.value),
         value($comment.value), value($improvement.value), value($author.value), value($evaluatedAt.value), $version.value ?? 0,
         value($expectedOutcome.value), value($expectedCost.value), now, now]
    }
    func markStored() { $id.exists = true }
}

extension EvaluationViewpoint: BulkInsertable {
    static let bulkColumns = ["evaluation_id", "position", "viewpoint", "judgement", "reason"]
    func bulkValues(now: Date) -> [any Encodable & Sendable] {
        [$evaluation.id, position, viewpoint, judgement, value($reason.value)]
    }
    func markStored() { $id.exists = true }
}

extension SheetStatus: BulkInsertable {
    static let bulkColumns = ["cycle_id", "program_id", "status", "version", "return_reason", "created_at", "updated_at"]
    func bulkValues(now: Date) -> [any Encodable & Sendable] {
        [$cycle.id, $program.id, status, version, value($returnReason.value), now, now]
    }
    func markStored() { $id.exists = true }
}

extension Indicator: BulkInsertable {
    static let bulkColumns = ["program_id", "plan_node_id", "collaboration_project_id", "manifesto_goal_id", "name", "kind", "unit",
                              "direction", "direction_source", "formula", "baseline_raw", "baseline_value", "baseline_year",
                              "final_target_raw", "final_target_value", "final_target_year", "sort_order", "created_at", "updated_at"]
    func bulkValues(now: Date) -> [any Encodable & Sendable] {
        [value($program.$id.value), value($planNode.$id.value), value($collaborationProject.$id.value), value($manifestoGoal.$id.value),
         name, kind, value($unit.value), direction, directionSource, value($formula.value), baselineRaw, value($baselineValue.value),
         value($baselineYear.value), finalTargetRaw, value($finalTargetValue.value), value($finalTargetYear.value), sortOrder, now, now]
    }
    func markStored() { $id.exists = true }
}

extension Program: BulkInsertable {
    static let bulkColumns = ["municipality_id", "department_id", "number", "name", "summary", "sdg_goals", "start_fiscal_year",
                              "end_fiscal_year", "legal_basis", "category", "period_kind", "budget_accounts", "purpose_target",
                              "purpose_intent", "purpose_result", "means_previous_year", "means_this_year", "created_at", "updated_at"]
    func bulkValues(now: Date) -> [any Encodable & Sendable] {
        [$municipality.id, value($department.$id.value), value($number.value), name, value($summary.value), sdgGoals,
         value($startFiscalYear.value), value($endFiscalYear.value), value($legalBasis.value), value($category.value),
         value($periodKind.value), value($budgetAccounts.value), value($purposeTarget.value), value($purposeIntent.value),
         value($purposeResult.value), value($meansPreviousYear.value), value($meansThisYear.value), now, now]
    }
    func markStored() { $id.exists = true }
}

extension PlanLink: BulkInsertable {
    static let bulkColumns = ["plan_node_id", "program_id", "number", "summary", "sort_order", "created_at", "updated_at"]
    func bulkValues(now: Date) -> [any Encodable & Sendable] {
        [$planNode.id, $program.id, value($number.value), value($summary.value), sortOrder, now, now]
    }
    func markStored() { $id.exists = true }
}
