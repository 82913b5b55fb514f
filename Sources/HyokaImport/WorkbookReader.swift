import Foundation
import HyokaCore

extension Workbook {
    /// Reads the tables of a workbook into a dataset. Unknown tables and columns are
    /// reported as warnings; a missing required column, an unreadable cell or a reference to
    /// something the workbook does not hold is an error naming its file, line and column.
    /// `file` names the file or folder read, for an error about the whole of it.
    public static func dataset(from tables: [WorkbookTable], file: String = "") -> ReadResult {
        var result = ReadResult()
        let known = Set(schema.map(\.table))
        // A file none of whose tables Hyoka knows (a city's own export, the national review's
        // CSV) is refused, never "imported" with nothing in it.
        if tables.allSatisfy({ !known.contains($0.name) }) {
            let names = tables.prefix(5).map { "「\($0.name)」" }.joined(separator: "、")
            let file = tables.first?.file ?? (file.isEmpty ? "workbook" : file)
            result.issues.append(.error(at: SourceLocation(file: file),
                                        "Hyoka の表が一つもないため、何も取り込みませんでした（\(names.isEmpty ? "表がありません" : "表 " + names)）。"
                                            + "Hyoka のワークブック（docs/workbook.md）の表名と列名に整えてから取り込んでください",
                                        "no Hyoka table found (\(names.isEmpty ? "no tables" : "tables " + names)), nothing imported; "
                                            + "arrange the file as a Hyoka workbook (docs/workbook.md: table and column names) and import it again"))
            return result
        }
        for table in tables where !known.contains(table.name) {
            result.issues.append(.warning(at: SourceLocation(file: table.file, sheet: table.sheet),
                                          "表「\(table.name)」は Hyoka の表ではないため読み飛ばしました", "table \(table.name) is not a Hyoka table and was skipped"))
        }
        let byName = Dictionary(tables.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var indicatorKeys: [String: (municipality: String, owner: IndicatorOwner, name: String)] = [:]

        for (name, expected) in schema where !computedTables.contains(name) {
            guard let table = byName[name] else { continue }
            var index: [String: Int] = [:]
            for (i, column) in table.columns.enumerated() { index[column] = i }
            let required = expected.filter { !computedColumns.contains($0) && !addedColumns.contains($0) }
            let missing = required.filter { index[$0] == nil }
            if !missing.isEmpty {
                result.issues.append(.error(at: table.location(row: 1), "列が足りません: \(missing.joined(separator: ", "))。見出し行に追加してください",
                                            "missing columns: \(missing.joined(separator: ", ")); add them to the header row"))
                continue
            }
            for column in table.columns where !expected.contains(column) && !column.isEmpty {
                result.issues.append(.warning(at: table.location(row: 1, column: (index[column] ?? 0) + 1),
                                              "列「\(column)」は使われないため読み飛ばしました", "column \(column) is not used and was skipped"))
            }
            for (offset, cells) in table.rows.enumerated() where !cells.allSatisfy({ $0.isEmpty }) {
                var row = RowReader(table: table, index: index, cells: cells, line: offset + 2)
                read(table: name, row: &row, into: &result.dataset, indicatorKeys: &indicatorKeys)
                result.issues += row.issues
            }
        }
        return result
    }

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    static func read(table: String, row r: inout RowReader, into d: inout Dataset,
                     indicatorKeys: inout [String: (municipality: String, owner: IndicatorOwner, name: String)]) {
        let issuesBefore = r.issues.count
        var ok: Bool { r.issues.count == issuesBefore }
        switch table {
        case "municipalities":
            let code = r.required("code")
            if !code.isEmpty {
                do { _ = try MunicipalityCode(code) } catch {
                    r.issues.append(.error(at: r.location("code"), "\(error)", "invalid municipality code \(code)"))
                }
            }
            var record = MunicipalityRecord(code: JapaneseText.compact(code), name: r.required("name"), nameEnglish: r.optional("name_en"), prefecture: r.required("prefecture"))
            record.lowerIsBetterFormula = r.raw("lower_is_better_formula", as: LowerIsBetterFormula.self, allowed: LowerIsBetterFormula.allCases) ?? .default
            record.personnelCostPerHour = r.money("personnel_cost_per_hour_yen")
            record.evaluationViewpoints = r.list("evaluation_viewpoints")
            let threshold = JapaneseText.compact(r.raw("budget_trend_threshold_percent"))
            if !threshold.isEmpty {
                if let value = Decimal(string: threshold, locale: Locale(identifier: "en_US_POSIX")), value >= 0 {
                    record.budgetTrendThresholdPercent = value
                } else {
                    r.issues.append(.error(at: r.location("budget_trend_threshold_percent"), "増減の閾値は 0 以上の数（%）で書いてください", "write the threshold as a percentage, e.g. 5"))
                }
            }
            if ok { d.municipalities.append(record) }
        case "departments":
            let record = DepartmentRecord(municipalityCode: r.required("municipality_code"), name: r.required("name"), parentName: r.optional("parent"),
                                          level: r.labelled("level", as: DepartmentLevel.self, default: DepartmentLevel.implied(byName: r.raw("name"))),
                                          code: r.optional("code"))
            if ok { d.departments.append(record) }
        case "plans":
            let record = PlanRecord(municipalityCode: r.required("municipality_code"), name: r.required("name"),
                                    startFiscalYear: r.fiscalYear("start_fiscal_year"), endFiscalYear: r.fiscalYear("end_fiscal_year"))
            if ok { d.plans.append(record) }
        case "plan_nodes":
            let record = PlanNodeRecord(municipalityCode: r.required("municipality_code"), plan: r.required("plan"), code: r.required("code"),
                                        parentCode: r.optional("parent_code"), title: r.required("title"), level: r.raw("level"))
            if ok { d.planNodes.append(record) }
        case "programs":
            var record = ProgramRecord(municipalityCode: r.required("municipality_code"), name: r.required("name"), number: r.optional("number"),
                                       department: r.optional("department"), summary: r.optional("summary"))
            record.sdgGoals = r.intList("sdg_goals")
            if let bad = record.sdgGoals.first(where: { !(1...17).contains($0) }) {
                r.issues.append(.error(at: r.location("sdg_goals"), "SDGs のゴール番号 \(bad) は 1〜17 ではありません", "SDG goal \(bad) is not between 1 and 17"))
            }
            record.startFiscalYear = r.fiscalYear("start_fiscal_year")
            record.endFiscalYear = r.fiscalYear("end_fiscal_year")
            record.legalBasis = r.optional("legal_basis")
            record.category = r.optional("category")
            record.periodKind = r.optional("period_kind")
            record.budgetAccounts = r.list("budget_accounts")
            record.purposeTarget = r.optional("purpose_target")
            record.purposeIntent = r.optional("purpose_intent")
            record.purposeResult = r.optional("purpose_result")
            record.meansPreviousYear = r.optional("means_previous_year")
            record.meansThisYear = r.optional("means_this_year")
            if ok { d.programs.append(record) }
        case "plan_links":
            let record = PlanLinkRecord(municipalityCode: r.required("municipality_code"), plan: r.required("plan"), nodeCode: r.required("node_code"),
                                        program: r.required("program"), number: r.optional("number"), summary: r.optional("summary"))
            if ok { d.planLinks.append(record) }
        case "indicators":
            let municipality = r.required("municipality_code")
            let key = r.required("indicator_key")
            let owner = readOwner(&r)
            var record = IndicatorRecord(municipalityCode: municipality, owner: owner ?? .program(name: ""), name: r.required("name"))
            record.kind = r.labelled("kind", as: IndicatorKind.self, default: .outcome) ?? .outcome
            record.unit = r.optional("unit")
            record.direction = r.raw("direction", as: IndicatorDirection.self, allowed: IndicatorDirection.allCases) ?? {
                r.issues.append(.error(at: r.location("direction"), "方向は higherIsBetter / lowerIsBetter / qualitative のいずれかです",
                                       "direction must be higherIsBetter, lowerIsBetter or qualitative"))
                return .qualitative
            }()
            record.directionSource = r.labelled("direction_source", as: DirectionSource.self, default: .stated) ?? .stated
            record.formula = r.raw("formula", as: LowerIsBetterFormula.self, allowed: LowerIsBetterFormula.allCases)
            record.baselineRaw = r.raw("baseline_raw")
            record.baselineYear = r.fiscalYear("baseline_year")
            record.finalTargetRaw = r.raw("final_target_raw")
            record.finalTargetYear = r.fiscalYear("final_target_year")
            if indicatorKeys[key] != nil {
                r.issues.append(.error(at: r.location("indicator_key"), "indicator_key「\(key)」が重複しています", "indicator_key \(key) is used twice"))
            }
            if ok, let owner {
                indicatorKeys[key] = (municipality, owner, record.name)
                d.indicators.append(record)
            }
        case "indicator_values":
            let key = r.required("indicator_key")
            guard let indicator = indicatorKeys[key] else {
                if !key.isEmpty {
                    r.issues.append(.error(at: r.location("indicator_key"), "indicator_key「\(key)」は indicators にありません", "indicator_key \(key) is not in indicators"))
                }
                return
            }
            guard let year = r.fiscalYear("fiscal_year", required: true) else { return }
            var record = IndicatorValueRecord(municipalityCode: indicator.municipality, owner: indicator.owner, indicatorName: indicator.name, fiscalYear: year)
            record.targetRaw = r.raw("target_raw")
            record.actualRaw = r.raw("actual_raw")
            record.publishedRateRaw = r.optional("published_rate_raw")
            if ok { d.indicatorValues.append(record) }
        case "budgets":
            guard let year = r.fiscalYear("fiscal_year", required: true) else { return }
            var record = BudgetRecord(municipalityCode: r.required("municipality_code"), program: r.required("program"), fiscalYear: year)
            record.budget = r.money("budget_yen")
            record.settlement = r.money("settlement_yen")
            record.personnelCost = r.money("personnel_cost_yen")
            record.national = r.money("national_yen")
            record.prefectural = r.money("prefectural_yen")
            record.bond = r.money("bond_yen")
            record.otherSpecific = r.money("other_specific_yen")
            record.general = r.money("general_yen")
            record.staffCount = r.decimal("staff_count")
            record.workHours = r.decimal("work_hours")
            record.isPlanned = r.bool("is_planned")
            record.publishedTrend = r.optional("published_trend")
            if ok { d.budgets.append(record) }
        case "evaluations":
            let municipality = r.required("municipality_code")
            let subject: EvaluationSubject?
            switch r.raw("subject_type") {
            case "program": subject = .program(name: r.required("program"))
            case "plan_node": subject = .planNode(plan: r.required("plan"), code: r.required("plan_node_code"))
            default:
                r.issues.append(.error(at: r.location("subject_type"), "subject_type は program か plan_node です", "subject_type must be program or plan_node"))
                subject = nil
            }
            guard let year = r.fiscalYear("fiscal_year", required: true), let stage = r.labelled("stage", as: EvaluationStage.self), let subject else { return }
            var record = EvaluationRecord(municipalityCode: municipality, subject: subject, fiscalYear: year, stage: stage)
            record.grade = r.optional("grade")
            record.direction = r.optional("direction")
            record.comment = r.optional("comment")
            record.improvement = r.optional("improvement")
            record.author = r.optional("author")
            record.expectedOutcome = r.optional("expected_outcome")
            record.expectedCost = r.optional("expected_cost")
            if ok { d.evaluations.append(record) }
        case "evaluation_viewpoints":
            let municipality = r.required("municipality_code"), program = r.required("program")
            guard let year = r.fiscalYear("fiscal_year", required: true), let stage = r.labelled("stage", as: EvaluationStage.self),
                  let position = r.int("position", required: true) else { return }
            let viewpoint = r.required("viewpoint"), judgement = r.required("judgement")
            guard ok else { return }
            // The checklist belongs to an evaluation of this workbook (read before it).
            guard let index = d.evaluations.lastIndex(where: {
                $0.municipalityCode == municipality && $0.subject == .program(name: program) && $0.fiscalYear == year && $0.stage == stage
            }) else {
                r.issues.append(.error(at: r.location("program"), "「\(program)」の \(year) 年度・\(stage.japanese)の評価が evaluations にありません。先に評価の行を書いてください",
                                       "no evaluation of \(program) for \(year), stage \(stage.rawValue), in evaluations; add it first"))
                return
            }
            // A checklist's rows come in its order, numbered 1, 2, 3 … (as Hyoka writes them).
            guard position == d.evaluations[index].viewpoints.count + 1 else {
                r.issues.append(.error(at: r.location("position"), "position は評価ごとに 1 から順に書いてください（ここは \(d.evaluations[index].viewpoints.count + 1)）",
                                       "number each evaluation's viewpoints 1, 2, 3 … in order (this one is \(d.evaluations[index].viewpoints.count + 1))"))
                return
            }
            d.evaluations[index].viewpoints.append(ViewpointJudgement(viewpoint: viewpoint, judgement: judgement, reason: r.optional("reason")))
        case "cycles":
            guard let year = r.fiscalYear("fiscal_year", required: true), let phase = r.labelled("phase", as: CyclePhase.self) else { return }
            let record = CycleRecord(municipalityCode: r.required("municipality_code"), fiscalYear: year, phase: phase)
            if ok { d.cycles.append(record) }
        case "sheets":
            guard let year = r.fiscalYear("fiscal_year", required: true), let status = r.labelled("status", as: SheetState.self) else { return }
            var record = SheetRecord(municipalityCode: r.required("municipality_code"), fiscalYear: year, program: r.required("program"), status: status)
            record.returnReason = r.optional("return_reason")
            if ok { d.sheets.append(record) }
        case "regions":
            var record = RegionRecord(municipalityCode: r.required("municipality_code"), name: r.required("name"), centralCity: r.required("central_city"))
            record.members = r.list("members")
            record.startFiscalYear = r.fiscalYear("start_fiscal_year")
            record.endFiscalYear = r.fiscalYear("end_fiscal_year")
            if ok { d.regions.append(record) }
        case "collaboration_projects":
            var record = CollaborationProjectRecord(municipalityCode: r.required("municipality_code"), region: r.required("region"),
                                                    policyField: r.raw("policy_field"), agreementCategory: r.raw("agreement_category"), name: r.required("name"))
            record.content = r.optional("content")
            record.effects = r.list("effects")
            record.partnersText = r.optional("partners_text")
            record.partners = r.list("partners")
            record.allMembers = r.bool("all_members")
            record.costSharing = r.list("cost_sharing")
            record.isRepost = r.bool("is_repost")
            if ok { d.collaborationProjects.append(record) }
        case "collaboration_costs":
            guard let year = r.fiscalYear("fiscal_year", required: true) else { return }
            let record = CollaborationCostRecord(municipalityCode: r.required("municipality_code"), region: r.required("region"),
                                                 agreementCategory: r.raw("agreement_category"), project: r.required("project"), fiscalYear: year,
                                                 amountRaw: r.raw("amount_raw"), note: r.optional("note"))
            if ok { d.collaborationCosts.append(record) }
        case "collaboration_roles":
            let record = CollaborationRoleRecord(municipalityCode: r.required("municipality_code"), region: r.required("region"),
                                                 agreementCategory: r.raw("agreement_category"), project: r.required("project"),
                                                 party: r.required("party"), role: r.list("role"))
            if ok { d.collaborationRoles.append(record) }
        case "manifestos":
            guard let year = r.fiscalYear("fiscal_year", required: true) else { return }
            var record = ManifestoRecord(municipalityCode: r.required("municipality_code"), department: r.required("department"), fiscalYear: year)
            record.headTitle = r.optional("head_title")
            record.headName = r.optional("head_name")
            record.contact = r.optional("contact")
            record.mission = r.optional("mission")
            if ok { d.manifestos.append(record) }
        case "manifesto_goals":
            guard let year = r.fiscalYear("fiscal_year", required: true), let number = r.int("number", required: true) else { return }
            var record = ManifestoGoalRecord(municipalityCode: r.required("municipality_code"), department: r.required("department"), fiscalYear: year,
                                             number: number, title: r.required("title"))
            record.heading = r.optional("heading")
            record.relatedPolicy = r.optional("related_policy")
            record.background = r.optional("background")
            record.currentAnalysis = r.optional("current_analysis")
            record.issues = r.optional("issues")
            record.targetFigures = r.optional("target_figures")
            record.achievedState = r.optional("achieved_state")
            record.meansAndProcess = r.optional("means_and_process")
            record.selfGrade = r.optional("self_grade")
            record.selfReason = r.optional("self_reason")
            record.supervisorGrade = r.optional("supervisor_grade")
            if ok { d.manifestoGoals.append(record) }
        case "inventory_reviews":
            guard let year = r.fiscalYear("fiscal_year", required: true), let result = r.labelled("result", as: InventoryResult.self) else { return }
            var record = InventoryReviewRecord(municipalityCode: r.required("municipality_code"), program: r.required("program"), fiscalYear: year,
                                               reviewRound: r.required("review_round"), result: result)
            record.viewpoints = r.intList("viewpoints")
            if let bad = record.viewpoints.first(where: { !(1...6).contains($0) }) {
                r.issues.append(.error(at: r.location("viewpoints"), "視点の番号 \(bad) は 1〜6 ではありません", "viewpoint \(bad) is not between 1 and 6"))
            }
            record.saving = r.money("saving_yen")
            record.note = r.optional("note")
            if ok { d.inventoryReviews.append(record) }
        case "headline_figures":
            guard let year = r.fiscalYear("fiscal_year", required: true) else { return }
            var record = HeadlineFigureRecord(municipalityCode: r.required("municipality_code"), fiscalYear: year, name: r.required("name"),
                                              valueRaw: r.required("value_raw"))
            record.publishedRecordHigh = r.bool("published_record_high")
            record.note = r.optional("note")
            if ok { d.headlineFigures.append(record) }
        default:
            break
        }
    }

    static func readOwner(_ r: inout RowReader) -> IndicatorOwner? {
        switch r.raw("owner_type") {
        case "program": return .program(name: r.required("program"))
        case "plan_node": return .planNode(plan: r.required("plan"), code: r.required("plan_node_code"))
        case "collaboration_project":
            return .collaborationProject(region: r.required("region"), category: r.raw("agreement_category"), name: r.required("project"))
        case "manifesto_goal":
            guard let year = r.fiscalYear("fiscal_year", required: true), let number = r.int("goal_number", required: true) else { return nil }
            return .manifestoGoal(department: r.required("department"), fiscalYear: year, number: number)
        default:
            r.issues.append(.error(at: r.location("owner_type"), "owner_type は program, plan_node, collaboration_project, manifesto_goal のいずれかです",
                                   "owner_type must be program, plan_node, collaboration_project or manifesto_goal"))
            return nil
        }
    }
}
