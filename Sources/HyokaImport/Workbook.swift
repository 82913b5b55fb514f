import Foundation
import HyokaCore

/// The Hyoka workbook: the canonical exchange format (docs/workbook.md). One table per
/// entity, snake_case English column names, money in integer yen (`_yen`), raw text beside
/// every parsed value. Computed columns are written on export and recomputed, never read,
/// on import.
public enum Workbook {
    /// Table names and columns, in file order. docs/workbook.md documents each of them (a
    /// test keeps the two in step).
    public static let schema: [(table: String, columns: [String])] = [
        ("municipalities", ["code", "name", "name_en", "prefecture", "lower_is_better_formula", "budget_trend_threshold_percent",
                            "personnel_cost_per_hour_yen", "evaluation_viewpoints"]),
        ("departments", ["municipality_code", "name", "parent", "level", "code"]),
        ("plans", ["municipality_code", "name", "start_fiscal_year", "end_fiscal_year"]),
        ("plan_nodes", ["municipality_code", "plan", "code", "parent_code", "title", "level"]),
        ("programs", ["municipality_code", "name", "number", "department", "summary", "sdg_goals", "start_fiscal_year", "end_fiscal_year",
                      "legal_basis", "category", "period_kind", "budget_accounts", "purpose_target", "purpose_intent", "purpose_result",
                      "means_previous_year", "means_this_year", "program_id", "sheet_url"]),
        ("plan_links", ["municipality_code", "plan", "node_code", "program", "number", "summary", "program_id"]),
        ("indicators", ["municipality_code", "indicator_key", "owner_type", "program", "plan", "plan_node_code", "region", "agreement_category",
                        "project", "department", "fiscal_year", "goal_number", "name", "kind", "unit", "direction", "direction_source", "formula",
                        "baseline_raw", "baseline_value", "baseline_year", "final_target_raw", "final_target_value", "final_target_year", "indicator_id", "program_id"]),
        ("indicator_values", ["municipality_code", "indicator_key", "indicator_name", "fiscal_year", "target_raw", "target_value", "actual_raw",
                              "actual_value", "achievement_rate", "published_rate_raw", "indicator_id", "program_id"]),
        ("budgets", ["municipality_code", "program", "fiscal_year", "budget_yen", "settlement_yen", "personnel_cost_yen", "national_yen",
                     "prefectural_yen", "bond_yen", "other_specific_yen", "general_yen", "staff_count", "work_hours", "is_planned",
                     "total_cost_yen", "execution_rate", "trend", "published_trend", "program_id"]),
        ("evaluations", ["municipality_code", "subject_type", "program", "plan", "plan_node_code", "fiscal_year", "stage", "grade",
                         "suggested_grade", "direction", "comment", "improvement", "author", "expected_outcome", "expected_cost", "program_id"]),
        ("evaluation_viewpoints", ["municipality_code", "program", "fiscal_year", "stage", "position", "viewpoint", "judgement", "reason",
                                   "program_id"]),
        ("cycles", ["municipality_code", "fiscal_year", "phase"]),
        ("sheets", ["municipality_code", "fiscal_year", "program", "status", "return_reason", "program_id"]),
        ("regions", ["municipality_code", "name", "central_city", "members", "start_fiscal_year", "end_fiscal_year"]),
        ("collaboration_projects", ["municipality_code", "region", "policy_field", "agreement_category", "name", "content", "effects",
                                    "partners_text", "partners", "all_members", "cost_sharing", "is_repost"]),
        ("collaboration_costs", ["municipality_code", "region", "agreement_category", "project", "fiscal_year", "amount_raw", "amount_yen", "note"]),
        ("collaboration_roles", ["municipality_code", "region", "agreement_category", "project", "party", "role"]),
        ("manifestos", ["municipality_code", "department", "fiscal_year", "head_title", "head_name", "contact", "mission"]),
        ("manifesto_goals", ["municipality_code", "department", "fiscal_year", "number", "heading", "title", "related_policy", "background",
                             "current_analysis", "issues", "target_figures", "achieved_state", "means_and_process", "self_grade",
                             "self_reason", "supervisor_grade"]),
        ("inventory_reviews", ["municipality_code", "program", "fiscal_year", "review_round", "viewpoints", "result", "saving_yen", "note",
                               "program_id"]),
        ("headline_figures", ["municipality_code", "fiscal_year", "name", "value_raw", "value", "unit", "record_high", "published_record_high", "note"]),
        ("lint_findings", ["municipality_code", "rule", "severity", "table", "record", "field", "fiscal_year", "message_ja", "message_en"]),
    ]

    /// Columns computed on export and ignored on import.
    public static let computedColumns: Set<String> = [
        "baseline_value", "final_target_value", "target_value", "actual_value", "achievement_rate", "total_cost_yen", "execution_rate",
        "trend", "suggested_grade", "amount_yen", "value", "unit", "record_high",
        // The database's ids and the sheet's address, written when the data came from one.
        "program_id", "indicator_id", "sheet_url",
        // lint_findings is computed as a whole.
        "rule", "severity", "table", "record", "field", "message_ja", "message_en",
    ]

    /// Columns added after workbooks were first written: a workbook without them is read as
    /// if they were blank, so that a file exported by an earlier Hyoka still imports.
    public static let addedColumns: Set<String> = [
        "personnel_cost_per_hour_yen", "evaluation_viewpoints", "legal_basis", "category", "period_kind", "budget_accounts",
        "purpose_target", "purpose_intent", "purpose_result", "means_previous_year", "means_this_year", "staff_count", "work_hours",
        "is_planned", "expected_outcome", "expected_cost",
    ]

    /// Tables that are computed as a whole: written on export, skipped on import.
    public static let computedTables: Set<String> = ["lint_findings"]

    static func columns(_ table: String) -> [String] {
        schema.first { $0.table == table }?.columns ?? []
    }

    // MARK: formatting

    static func text(_ value: Int?) -> String { value.map(String.init) ?? "" }
    /// An id as the portal's addresses write it (lower case).
    static func idText(_ id: UUID) -> String { id.uuidString.lowercased() }
    static func text(_ value: Money?) -> String { value.map { String($0.yen) } ?? "" }
    static func text(_ value: Decimal?) -> String { value.map { NSDecimalNumber(decimal: $0).stringValue } ?? "" }
    static func text(_ value: Bool) -> String { value ? "true" : "false" }
    private static let rateFormatter = SharedNumberFormatter { formatter in
        formatter.minimumFractionDigits = 1
        formatter.maximumFractionDigits = 1
        formatter.usesGroupingSeparator = false
    }

    static func rateText(_ result: AchievementRate.Result) -> String {
        guard case let .success(rate) = result else { return "" }
        return rateFormatter.string(from: NSDecimalNumber(decimal: rate)) ?? ""
    }

    static func ownerColumns(_ owner: IndicatorOwner) -> [String: String] {
        switch owner {
        case let .program(name): ["owner_type": "program", "program": name]
        case let .planNode(plan, code): ["owner_type": "plan_node", "plan": plan, "plan_node_code": code]
        case let .collaborationProject(region, category, name): ["owner_type": "collaboration_project", "region": region, "agreement_category": category, "project": name]
        case let .manifestoGoal(department, year, number): ["owner_type": "manifesto_goal", "department": department, "fiscal_year": String(year), "goal_number": String(number)]
        }
    }

    static func ownerSortKey(_ owner: IndicatorOwner) -> [String] {
        let columns = ownerColumns(owner)
        return ["owner_type", "program", "plan", "plan_node_code", "region", "agreement_category", "project", "department", "fiscal_year", "goal_number"]
            .map { columns[$0] ?? "" }
    }

    // MARK: export

    /// The tables of a dataset, each sorted by its key so that equal data gives equal bytes.
    /// `siteURL`: the portal's address (`HYOKA_PUBLIC_URL`), for the sheets' full URLs; without
    /// it `sheet_url` is the path on the portal.
    public static func tables(from dataset: Dataset, siteURL: String? = nil) -> [WorkbookTable] {
        let ids = dataset.storedIDs
        func programID(_ municipality: String, _ name: String) -> String { ids.program(municipality, name).map(idText) ?? "" }
        func ownerProgramID(_ municipality: String, _ owner: IndicatorOwner) -> String {
            if case let .program(name) = owner { programID(municipality, name) } else { "" }
        }
        func sheetURL(_ municipality: String, _ name: String) -> String {
            ids.program(municipality, name).map { (siteURL ?? "") + "/programs/" + idText($0) } ?? ""
        }
        let computed = Computations(dataset)
        func table(_ name: String, _ rows: [[String: String]], sortedBy key: [String]) -> WorkbookTable {
            let columns = columns(name)
            // The sort keys are read out of each row once, numbers parsed once (a comparator
            // that looked them up and parsed them on every comparison was a good part of
            // writing a municipality of 3,000 programs).
            let keyed = rows.map { row in (key: key.map { SortKey(row[$0] ?? "") }, row: row) }
            let ordered = keyed.sorted { a, b in
                for (x, y) in zip(a.key, b.key) where x.text != y.text {
                    // Numeric columns sort as numbers (fiscal years, goal numbers).
                    if let i = x.number, let j = y.number { return i < j }
                    return x.text < y.text
                }
                return false
            }
            return WorkbookTable(name: name, columns: columns, rows: ordered.map { item in columns.map { item.row[$0] ?? "" } })
        }

        var out: [WorkbookTable] = []
        out.append(table("municipalities", dataset.municipalities.map {
            ["code": $0.code, "name": $0.name, "name_en": $0.nameEnglish ?? "", "prefecture": $0.prefecture,
             "lower_is_better_formula": $0.lowerIsBetterFormula.rawValue, "budget_trend_threshold_percent": text($0.budgetTrendThresholdPercent),
             "personnel_cost_per_hour_yen": text($0.personnelCostPerHour), "evaluation_viewpoints": $0.evaluationViewpoints.joined(separator: "\n")]
        }, sortedBy: ["code"]))
        out.append(table("departments", dataset.departments.map {
            ["municipality_code": $0.municipalityCode, "name": $0.name, "parent": $0.parentName ?? "", "level": $0.level.rawValue, "code": $0.code ?? ""]
        }, sortedBy: ["municipality_code", "parent", "name"]))
        out.append(table("plans", dataset.plans.map {
            ["municipality_code": $0.municipalityCode, "name": $0.name, "start_fiscal_year": text($0.startFiscalYear), "end_fiscal_year": text($0.endFiscalYear)]
        }, sortedBy: ["municipality_code", "name"]))
        out.append(table("plan_nodes", dataset.planNodes.map {
            ["municipality_code": $0.municipalityCode, "plan": $0.plan, "code": $0.code, "parent_code": $0.parentCode ?? "", "title": $0.title, "level": $0.level]
        }, sortedBy: ["municipality_code", "plan", "code"]))
        out.append(table("programs", dataset.programs.map {
            ["municipality_code": $0.municipalityCode, "name": $0.name, "number": $0.number ?? "", "department": $0.department ?? "",
             "summary": $0.summary ?? "", "sdg_goals": $0.sdgGoals.map(String.init).joined(separator: ","),
             "start_fiscal_year": text($0.startFiscalYear), "end_fiscal_year": text($0.endFiscalYear),
             "legal_basis": $0.legalBasis ?? "", "category": $0.category ?? "", "period_kind": $0.periodKind ?? "",
             "budget_accounts": $0.budgetAccounts.joined(separator: "\n"), "purpose_target": $0.purposeTarget ?? "",
             "purpose_intent": $0.purposeIntent ?? "", "purpose_result": $0.purposeResult ?? "",
             "means_previous_year": $0.meansPreviousYear ?? "", "means_this_year": $0.meansThisYear ?? "",
             "program_id": programID($0.municipalityCode, $0.name), "sheet_url": sheetURL($0.municipalityCode, $0.name)]
        }, sortedBy: ["municipality_code", "name"]))
        out.append(table("plan_links", dataset.planLinks.map {
            ["municipality_code": $0.municipalityCode, "plan": $0.plan, "node_code": $0.nodeCode, "program": $0.program,
             "number": $0.number ?? "", "summary": $0.summary ?? "", "program_id": programID($0.municipalityCode, $0.program)]
        }, sortedBy: ["municipality_code", "plan", "node_code", "program"]))

        // Indicator keys are local to the file: numbered in sorted order, so they are stable.
        // Each indicator's sort key built once (building both keys in every comparison was a
        // tenth of writing a bundle).
        let sortedIndicators = dataset.indicators
            .map { (key: [$0.municipalityCode] + ownerSortKey($0.owner) + [$0.name], indicator: $0) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }
            .map(\.indicator)
        var indicatorKeys: [Computations.IndicatorKey: String] = [:]
        var indicatorRows: [[String]] = []
        for (n, indicator) in sortedIndicators.enumerated() {
            let key = String(format: "K%05d", n + 1)
            indicatorKeys[.init(municipality: indicator.municipalityCode, owner: indicator.owner, name: indicator.name)] = key
            let baseline = computed.baselineMeasure(indicator)
            let final = Measure.parse(indicator.finalTargetRaw)
            var row = ownerColumns(indicator.owner)
            row.merge(["municipality_code": indicator.municipalityCode, "indicator_key": key, "name": indicator.name,
                       "kind": indicator.kind.rawValue, "unit": indicator.unit ?? "", "direction": indicator.direction.rawValue,
                       "direction_source": indicator.directionSource.rawValue, "formula": indicator.formula?.rawValue ?? "",
                       "baseline_raw": indicator.baselineRaw, "baseline_value": text(baseline.numericValue), "baseline_year": text(indicator.baselineYear),
                       "final_target_raw": indicator.finalTargetRaw, "final_target_value": text(final.numericValue),
                       "final_target_year": text(indicator.finalTargetYear),
                       "indicator_id": ids.indicators[.init(municipality: indicator.municipalityCode, owner: indicator.owner, name: indicator.name)].map(idText) ?? "",
                       "program_id": ownerProgramID(indicator.municipalityCode, indicator.owner)]) { _, new in new }
            indicatorRows.append(columns("indicators").map { row[$0] ?? "" })
        }
        out.append(WorkbookTable(name: "indicators", columns: columns("indicators"), rows: indicatorRows))

        out.append(table("indicator_values", dataset.indicatorValues.map {
            let key = indicatorKeys[.init(municipality: $0.municipalityCode, owner: $0.owner, name: $0.indicatorName)] ?? ""
            return ["municipality_code": $0.municipalityCode, "indicator_key": key, "indicator_name": $0.indicatorName,
                    "fiscal_year": String($0.fiscalYear), "target_raw": $0.targetRaw, "target_value": text(computed.measure($0.targetRaw).numericValue),
                    "actual_raw": $0.actualRaw, "actual_value": text(computed.measure($0.actualRaw).numericValue),
                    "achievement_rate": rateText(computed.achievementRate($0)), "published_rate_raw": $0.publishedRateRaw ?? "",
                    "indicator_id": ids.indicators[.init(municipality: $0.municipalityCode, owner: $0.owner, name: $0.indicatorName)].map(idText) ?? "",
                    "program_id": ownerProgramID($0.municipalityCode, $0.owner)]
        }, sortedBy: ["indicator_key", "fiscal_year"]))
        out.append(table("budgets", dataset.budgets.map {
            let rate = computed.executionRate($0)
            return ["municipality_code": $0.municipalityCode, "program": $0.program, "fiscal_year": String($0.fiscalYear),
                    "budget_yen": text($0.budget), "settlement_yen": text($0.settlement), "personnel_cost_yen": text($0.personnelCost),
                    "national_yen": text($0.national), "prefectural_yen": text($0.prefectural), "bond_yen": text($0.bond),
                    "other_specific_yen": text($0.otherSpecific), "general_yen": text($0.general), "staff_count": text($0.staffCount),
                    "work_hours": text($0.workHours), "is_planned": $0.isPlanned ? "true" : "", "total_cost_yen": text(computed.totalCost($0)),
                    "execution_rate": rate.map { rateText(.success($0)) } ?? "", "trend": computed.budgetTrend($0)?.japanese ?? "",
                    "published_trend": $0.publishedTrend ?? "", "program_id": programID($0.municipalityCode, $0.program)]
        }, sortedBy: ["municipality_code", "program", "fiscal_year"]))
        out.append(table("evaluations", dataset.evaluations.map {
            var row = ["municipality_code": $0.municipalityCode, "fiscal_year": String($0.fiscalYear), "stage": $0.stage.rawValue,
                       "grade": $0.grade ?? "", "suggested_grade": computed.suggestedGrade($0) ?? "", "direction": $0.direction ?? "",
                       "comment": $0.comment ?? "", "improvement": $0.improvement ?? "", "author": $0.author ?? "",
                       "expected_outcome": $0.expectedOutcome ?? "", "expected_cost": $0.expectedCost ?? ""]
            switch $0.subject {
            case let .program(name): row["subject_type"] = "program"; row["program"] = name; row["program_id"] = programID($0.municipalityCode, name)
            case let .planNode(plan, code): row["subject_type"] = "plan_node"; row["plan"] = plan; row["plan_node_code"] = code
            }
            return row
        }, sortedBy: ["municipality_code", "subject_type", "program", "plan", "plan_node_code", "fiscal_year", "stage"]))
        // The checklists of programs' evaluations, one row a viewpoint, in the checklist's order.
        out.append(table("evaluation_viewpoints", dataset.evaluations.flatMap { e -> [[String: String]] in
            guard case let .program(name) = e.subject else { return [] }
            return e.viewpoints.enumerated().map { n, v in
                ["municipality_code": e.municipalityCode, "program": name, "fiscal_year": String(e.fiscalYear), "stage": e.stage.rawValue,
                 "position": String(n + 1), "viewpoint": v.viewpoint, "judgement": v.judgement, "reason": v.reason ?? "",
                 "program_id": programID(e.municipalityCode, name)]
            }
        }, sortedBy: ["municipality_code", "program", "fiscal_year", "stage", "position"]))
        out.append(table("cycles", dataset.cycles.map {
            ["municipality_code": $0.municipalityCode, "fiscal_year": String($0.fiscalYear), "phase": $0.phase.rawValue]
        }, sortedBy: ["municipality_code", "fiscal_year"]))
        out.append(table("sheets", dataset.sheets.map {
            ["municipality_code": $0.municipalityCode, "fiscal_year": String($0.fiscalYear), "program": $0.program,
             "status": $0.status.rawValue, "return_reason": $0.returnReason ?? "", "program_id": programID($0.municipalityCode, $0.program)]
        }, sortedBy: ["municipality_code", "fiscal_year", "program"]))
        out.append(table("regions", dataset.regions.map {
            ["municipality_code": $0.municipalityCode, "name": $0.name, "central_city": $0.centralCity, "members": $0.members.joined(separator: "\n"),
             "start_fiscal_year": text($0.startFiscalYear), "end_fiscal_year": text($0.endFiscalYear)]
        }, sortedBy: ["municipality_code", "name"]))
        out.append(table("collaboration_projects", dataset.collaborationProjects.map {
            ["municipality_code": $0.municipalityCode, "region": $0.region, "policy_field": $0.policyField,
             "agreement_category": $0.agreementCategory, "name": $0.name, "content": $0.content ?? "",
             "effects": $0.effects.joined(separator: "\n"), "partners_text": $0.partnersText ?? "",
             "partners": $0.partners.joined(separator: "\n"), "all_members": text($0.allMembers),
             "cost_sharing": $0.costSharing.joined(separator: "\n"), "is_repost": text($0.isRepost)]
        }, sortedBy: ["municipality_code", "region", "agreement_category", "name"]))
        out.append(table("collaboration_costs", dataset.collaborationCosts.map {
            ["municipality_code": $0.municipalityCode, "region": $0.region, "agreement_category": $0.agreementCategory, "project": $0.project,
             "fiscal_year": String($0.fiscalYear), "amount_raw": $0.amountRaw,
             "amount_yen": (try? Money.parse($0.amountRaw, defaultUnit: .thousandYen)).map { String($0.yen) } ?? "", "note": $0.note ?? ""]
        }, sortedBy: ["municipality_code", "region", "agreement_category", "project", "fiscal_year"]))
        out.append(table("collaboration_roles", dataset.collaborationRoles.map {
            ["municipality_code": $0.municipalityCode, "region": $0.region, "agreement_category": $0.agreementCategory, "project": $0.project,
             "party": $0.party, "role": $0.role.joined(separator: "\n")]
        }, sortedBy: ["municipality_code", "region", "agreement_category", "project", "party"]))
        out.append(table("manifestos", dataset.manifestos.map {
            ["municipality_code": $0.municipalityCode, "department": $0.department, "fiscal_year": String($0.fiscalYear),
             "head_title": $0.headTitle ?? "", "head_name": $0.headName ?? "", "contact": $0.contact ?? "", "mission": $0.mission ?? ""]
        }, sortedBy: ["municipality_code", "department", "fiscal_year"]))
        out.append(table("manifesto_goals", dataset.manifestoGoals.map {
            ["municipality_code": $0.municipalityCode, "department": $0.department, "fiscal_year": String($0.fiscalYear), "number": String($0.number),
             "heading": $0.heading ?? "", "title": $0.title, "related_policy": $0.relatedPolicy ?? "", "background": $0.background ?? "",
             "current_analysis": $0.currentAnalysis ?? "", "issues": $0.issues ?? "", "target_figures": $0.targetFigures ?? "",
             "achieved_state": $0.achievedState ?? "", "means_and_process": $0.meansAndProcess ?? "", "self_grade": $0.selfGrade ?? "",
             "self_reason": $0.selfReason ?? "", "supervisor_grade": $0.supervisorGrade ?? ""]
        }, sortedBy: ["municipality_code", "department", "fiscal_year", "number"]))
        out.append(table("inventory_reviews", dataset.inventoryReviews.map {
            ["municipality_code": $0.municipalityCode, "program": $0.program, "fiscal_year": String($0.fiscalYear), "review_round": $0.reviewRound,
             "viewpoints": $0.viewpoints.map(String.init).joined(separator: ","), "result": $0.result.rawValue,
             "saving_yen": text($0.saving), "note": $0.note ?? "", "program_id": programID($0.municipalityCode, $0.program)]
        }, sortedBy: ["municipality_code", "program", "review_round"]))
        out.append(table("headline_figures", dataset.headlineFigures.map {
            let measure = Measure.parse($0.valueRaw)
            return ["municipality_code": $0.municipalityCode, "fiscal_year": String($0.fiscalYear), "name": $0.name, "value_raw": $0.valueRaw,
                    "value": text(measure.numericValue), "unit": measure.unit ?? "", "record_high": text(computed.isRecordHigh($0)),
                    "published_record_high": text($0.publishedRecordHigh), "note": $0.note ?? ""]
        }, sortedBy: ["municipality_code", "name", "fiscal_year"]))
        // Already sorted by Lint; kept in that order.
        out.append(WorkbookTable(name: "lint_findings", columns: columns("lint_findings"), rows: Lint.check(dataset, computed: computed).map { f in
            [f.municipalityCode, f.rule.rawValue, f.severity.rawValue, f.table, f.record, f.field, text(f.fiscalYear), f.japanese, f.english]
        }))
        return out
    }
}

/// A cell as a sort key: its text, and its value when it is a whole number.
private struct SortKey {
    let text: String
    let number: Int?

    init(_ text: String) {
        self.text = text
        self.number = Int(text)
    }
}
