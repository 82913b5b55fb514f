import Fluent
import Foundation
import HyokaCore
import HyokaImport
import SQLKit

/// Reads the database back into a dataset, for export: everything of the chosen
/// municipalities, and of year-bound records only the chosen fiscal year when one is given.
enum DatasetLoader {
    /// `fiscalYears` narrows year-bound records to a range when no single `fiscalYear` is given
    /// (the checks of a cycle need its year and the one before).
    static func load(on db: any Database, municipalityCode: String? = nil, fiscalYear: Int? = nil, fiscalYears: ClosedRange<Int>? = nil) async throws -> Dataset {
        var d = Dataset()
        var query = Municipality.query(on: db)
        if let municipalityCode { query = query.filter(\.$code == municipalityCode) }
        for m in try await query.all() {
            guard let mid = m.id else { continue }
            let code = m.code
            d.municipalities.append(municipalityRecord(m))
            let yearMatches = { (year: Int) in fiscalYear.map { $0 == year } ?? fiscalYears.map { $0.contains(year) } ?? true }
            let yearBounds = fiscalYear.map { $0...$0 } ?? fiscalYears ?? Int(Int32.min)...Int(Int32.max)

            let departments = try await Department.query(on: db).filter(\.$municipality.$id == mid).all()
            let departmentNames = Dictionary(departments.compactMap { d in d.id.map { ($0, d.name) } }, uniquingKeysWith: { a, _ in a })
            for x in departments {
                d.departments.append(DepartmentRecord(municipalityCode: code, name: x.name, parentName: x.$parent.id.flatMap { departmentNames[$0] },
                                                      level: DepartmentLevel(rawValue: x.level), code: x.code))
            }

            let plans = try await Plan.query(on: db).filter(\.$municipality.$id == mid).all()
            var nodeKeys: [UUID: (plan: String, code: String)] = [:]
            for plan in plans {
                guard let planID = plan.id else { continue }
                d.plans.append(PlanRecord(municipalityCode: code, name: plan.name, startFiscalYear: plan.startFiscalYear, endFiscalYear: plan.endFiscalYear))
                let nodes = try await PlanNode.query(on: db).filter(\.$plan.$id == planID).all()
                let codes = Dictionary(nodes.compactMap { n in n.id.map { ($0, n.code) } }, uniquingKeysWith: { a, _ in a })
                for node in nodes {
                    if let id = node.id { nodeKeys[id] = (plan.name, node.code) }
                    d.planNodes.append(PlanNodeRecord(municipalityCode: code, plan: plan.name, code: node.code,
                                                      parentCode: node.$parent.id.flatMap { codes[$0] }, title: node.title, level: node.level))
                }
            }

            let programs = try await rows("""
                SELECT id, name, number, department_id AS "departmentId", summary, sdg_goals AS "sdgGoals",
                       start_fiscal_year AS "startFiscalYear", end_fiscal_year AS "endFiscalYear", legal_basis AS "legalBasis", category,
                       period_kind AS "periodKind", budget_accounts AS "budgetAccounts", purpose_target AS "purposeTarget",
                       purpose_intent AS "purposeIntent", purpose_result AS "purposeResult", means_previous_year AS "meansPreviousYear",
                       means_this_year AS "meansThisYear"
                FROM programs WHERE municipality_id = \(bind: mid)
                """, as: ProgramRow.self, on: db)
            let programNames = Dictionary(programs.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            let programIDs = programs.map(\.id)
            for p in programs {
                var record = ProgramRecord(municipalityCode: code, name: p.name, number: p.number,
                                           department: p.departmentId.flatMap { departmentNames[$0] }, summary: p.summary)
                record.sdgGoals = p.sdgGoals.split(separator: ",").compactMap { Int($0) }
                record.startFiscalYear = p.startFiscalYear
                record.endFiscalYear = p.endFiscalYear
                record.legalBasis = p.legalBasis
                record.category = p.category
                record.periodKind = p.periodKind
                record.budgetAccounts = lines(p.budgetAccounts)
                record.purposeTarget = p.purposeTarget
                record.purposeIntent = p.purposeIntent
                record.purposeResult = p.purposeResult
                record.meansPreviousYear = p.meansPreviousYear
                record.meansThisYear = p.meansThisYear
                d.programs.append(record)
                d.storedIDs.programs[code, default: [:]][p.name] = p.id
            }
            if !nodeKeys.isEmpty {
                for link in try await PlanLink.query(on: db).filter(\.$planNode.$id ~~ Array(nodeKeys.keys)).all() {
                    guard let node = nodeKeys[link.$planNode.id], let program = programNames[link.$program.id] else { continue }
                    d.planLinks.append(PlanLinkRecord(municipalityCode: code, plan: node.plan, nodeCode: node.code, program: program,
                                                      number: link.number, summary: link.summary))
                }
            }

            // Regions and collaboration projects.
            var projectKeys: [UUID: (region: String, category: String, name: String)] = [:]
            for region in try await Region.query(on: db).filter(\.$municipality.$id == mid).all() {
                guard let regionID = region.id else { continue }
                var record = RegionRecord(municipalityCode: code, name: region.name, centralCity: region.centralCity)
                record.members = try await RegionMember.query(on: db).filter(\.$region.$id == regionID).sort(\.$sortOrder).all().map(\.name)
                record.startFiscalYear = region.startFiscalYear
                record.endFiscalYear = region.endFiscalYear
                d.regions.append(record)
                for project in try await CollaborationProject.query(on: db).filter(\.$region.$id == regionID).all() {
                    guard let projectID = project.id else { continue }
                    projectKeys[projectID] = (region.name, project.agreementCategory, project.name)
                    var p = CollaborationProjectRecord(municipalityCode: code, region: region.name, policyField: project.policyField,
                                                       agreementCategory: project.agreementCategory, name: project.name)
                    p.content = project.content
                    p.effects = lines(project.effects)
                    p.partnersText = project.partnersText
                    p.partners = try await CollaborationPartner.query(on: db).filter(\.$project.$id == projectID).sort(\.$sortOrder).all().map(\.name)
                    p.allMembers = project.allMembers
                    p.costSharing = lines(project.costSharing)
                    p.isRepost = project.isRepost
                    d.collaborationProjects.append(p)
                    for cost in try await CollaborationCost.query(on: db).filter(\.$project.$id == projectID).all() where yearMatches(cost.fiscalYear) {
                        d.collaborationCosts.append(CollaborationCostRecord(municipalityCode: code, region: region.name, agreementCategory: project.agreementCategory,
                                                                            project: project.name, fiscalYear: cost.fiscalYear, amountRaw: cost.amountRaw, note: cost.note))
                    }
                    for role in try await CollaborationRole.query(on: db).filter(\.$project.$id == projectID).sort(\.$sortOrder).all() {
                        d.collaborationRoles.append(CollaborationRoleRecord(municipalityCode: code, region: region.name, agreementCategory: project.agreementCategory,
                                                                            project: project.name, party: role.party, role: lines(role.role)))
                    }
                }
            }

            // Manifestos.
            var goalKeys: [UUID: (department: String, fiscalYear: Int, number: Int)] = [:]
            for manifesto in try await Manifesto.query(on: db).filter(\.$municipality.$id == mid).all() where yearMatches(manifesto.fiscalYear) {
                guard let manifestoID = manifesto.id, let department = departmentNames[manifesto.$department.id] else { continue }
                var record = ManifestoRecord(municipalityCode: code, department: department, fiscalYear: manifesto.fiscalYear)
                record.headTitle = manifesto.headTitle
                record.headName = manifesto.headName
                record.contact = manifesto.contact
                record.mission = manifesto.mission
                d.manifestos.append(record)
                for goal in try await ManifestoGoal.query(on: db).filter(\.$manifesto.$id == manifestoID).all() {
                    if let id = goal.id { goalKeys[id] = (department, manifesto.fiscalYear, goal.number) }
                    var g = ManifestoGoalRecord(municipalityCode: code, department: department, fiscalYear: manifesto.fiscalYear, number: goal.number, title: goal.title)
                    g.heading = goal.heading
                    g.relatedPolicy = goal.relatedPolicy
                    g.background = goal.background
                    g.currentAnalysis = goal.currentAnalysis
                    g.issues = goal.issues
                    g.targetFigures = goal.targetFigures
                    g.achievedState = goal.achievedState
                    g.meansAndProcess = goal.meansAndProcess
                    g.selfGrade = goal.selfGrade
                    g.selfReason = goal.selfReason
                    g.supervisorGrade = goal.supervisorGrade
                    d.manifestoGoals.append(g)
                }
            }

            // Indicators of every owner kind, and their values.
            var indicators: [IndicatorRow] = []
            indicators += try await indicatorRows(owner: "program_id", programIDs, on: db)
            indicators += try await indicatorRows(owner: "plan_node_id", Array(nodeKeys.keys), on: db)
            indicators += try await indicatorRows(owner: "collaboration_project_id", Array(projectKeys.keys), on: db)
            indicators += try await indicatorRows(owner: "manifesto_goal_id", Array(goalKeys.keys), on: db)
            var owners: [UUID: (IndicatorOwner, String)] = [:]
            for i in indicators {
                let owner: IndicatorOwner
                if let id = i.programId, let name = programNames[id] {
                    owner = .program(name: name)
                } else if let id = i.planNodeId, let node = nodeKeys[id] {
                    owner = .planNode(plan: node.plan, code: node.code)
                } else if let id = i.collaborationProjectId, let project = projectKeys[id] {
                    owner = .collaborationProject(region: project.region, category: project.category, name: project.name)
                } else if let id = i.manifestoGoalId, let goal = goalKeys[id] {
                    owner = .manifestoGoal(department: goal.department, fiscalYear: goal.fiscalYear, number: goal.number)
                } else {
                    continue
                }
                owners[i.id] = (owner, i.name)
                d.storedIDs.indicators[.init(municipality: code, owner: owner, name: i.name)] = i.id
                d.indicators.append(indicatorRecord(i, code: code, owner: owner))
            }
            for chunk in Array(owners.keys).chunked(into: 500) {
                for v in try await valueRows(of: chunk, years: yearBounds, on: db) {
                    guard let (owner, name) = owners[v.indicator] else { continue }
                    var record = IndicatorValueRecord(municipalityCode: code, owner: owner, indicatorName: name, fiscalYear: v.fiscalYear)
                    record.targetRaw = v.targetRaw
                    record.actualRaw = v.actualRaw
                    record.publishedRateRaw = v.publishedRateRaw
                    d.indicatorValues.append(record)
                }
            }

            for chunk in programIDs.chunked(into: 500) {
                let ids = SQLGroupExpression(chunk.map { SQLBind($0) as any SQLExpression })
                for b in try await rows("""
                    SELECT \(unsafeRaw: BudgetRow.selection) FROM budget_lines WHERE program_id IN \(ids) AND fiscal_year BETWEEN \(bind: yearBounds.lowerBound) AND \(bind: yearBounds.upperBound)
                    """, as: BudgetRow.self, on: db) {
                    guard let program = programNames[b.programId] else { continue }
                    d.budgets.append(budgetRecord(b, code: code, program: program))
                }
                let evaluations = try await rows("""
                    SELECT \(unsafeRaw: EvaluationRow.selection) FROM evaluations WHERE program_id IN \(ids) AND fiscal_year BETWEEN \(bind: yearBounds.lowerBound) AND \(bind: yearBounds.upperBound)
                    """, as: EvaluationRow.self, on: db)
                let checklists = try await viewpoints(of: evaluations.map(\.id), on: db)
                for e in evaluations {
                    guard let id = e.programId, let program = programNames[id] else { continue }
                    var record = evaluationRecord(e, code: code, subject: .program(name: program))
                    record.viewpoints = checklists[e.id] ?? []
                    d.evaluations.append(record)
                }
                for x in try await InventoryReview.query(on: db).filter(\.$program.$id ~~ chunk).all() where yearMatches(x.fiscalYear) {
                    guard let program = programNames[x.$program.id] else { continue }
                    var record = InventoryReviewRecord(municipalityCode: code, program: program, fiscalYear: x.fiscalYear, reviewRound: x.reviewRound,
                                                       result: InventoryResult(rawValue: x.result) ?? .continue)
                    record.viewpoints = x.viewpoints.split(separator: ",").compactMap { Int($0) }
                    record.saving = x.savingYen.map(Money.init(yen:))
                    record.note = x.note
                    d.inventoryReviews.append(record)
                }
            }
            if !nodeKeys.isEmpty {
                for e in try await Evaluation.query(on: db).filter(\.$planNode.$id ~~ Array(nodeKeys.keys)).all() where yearMatches(e.fiscalYear) {
                    guard let id = e.$planNode.id, let node = nodeKeys[id] else { continue }
                    let e = EvaluationRow(e)
                    d.evaluations.append(evaluationRecord(e, code: code, subject: .planNode(plan: node.plan, code: node.code)))
                }
            }

            for cycle in try await Cycle.query(on: db).filter(\.$municipality.$id == mid).all() where yearMatches(cycle.fiscalYear) {
                guard let cycleID = cycle.id else { continue }
                d.cycles.append(CycleRecord(municipalityCode: code, fiscalYear: cycle.fiscalYear, phase: cycle.cyclePhase))
                struct SheetRow: Decodable { var programId: UUID; var status: String; var returnReason: String? }
                for sheet in try await rows("""
                    SELECT program_id AS "programId", status, return_reason AS "returnReason" FROM sheet_statuses WHERE cycle_id = \(bind: cycleID)
                    """, as: SheetRow.self, on: db) {
                    guard let program = programNames[sheet.programId] else { continue }
                    var record = SheetRecord(municipalityCode: code, fiscalYear: cycle.fiscalYear, program: program, status: SheetState(rawValue: sheet.status) ?? .draft)
                    record.returnReason = sheet.returnReason
                    d.sheets.append(record)
                }
            }

            for h in try await HeadlineFigure.query(on: db).filter(\.$municipality.$id == mid).all() where yearMatches(h.fiscalYear) {
                var record = HeadlineFigureRecord(municipalityCode: code, fiscalYear: h.fiscalYear, name: h.name, valueRaw: h.valueRaw)
                record.publishedRecordHigh = h.publishedRecordHigh
                record.note = h.note
                d.headlineFigures.append(record)
            }
        }
        return d
    }

    /// An indicator value as the loader needs it.
    struct ValueRow {
        var indicator: UUID
        var fiscalYear: Int
        var targetRaw: String
        var actualRaw: String
        var publishedRateRaw: String?
    }

    /// The values of these indicators, read with their columns named: Fluent decodes a model
    /// by reflection on every row, and indicator values are most of a municipality's rows
    /// (a third of writing its open-data bundle went to decoding them; BENCHMARKS.md).
    static func valueRows(of indicators: [UUID], years: ClosedRange<Int>? = nil, on db: any Database) async throws -> [ValueRow] {
        guard let sql = db as? any SQLDatabase else {
            var query = IndicatorValue.query(on: db).filter(\.$indicator.$id ~~ indicators)
            if let years { query = query.filter(\.$fiscalYear >= years.lowerBound).filter(\.$fiscalYear <= years.upperBound) }
            return try await query.all().map {
                ValueRow(indicator: $0.$indicator.id, fiscalYear: $0.fiscalYear, targetRaw: $0.targetRaw, actualRaw: $0.actualRaw,
                         publishedRateRaw: $0.publishedRateRaw)
            }
        }
        let rows = try await sql.select()
            .columns("indicator_id", "fiscal_year", "target_raw", "actual_raw", "published_rate_raw")
            .from(IndicatorValue.schema)
            .where("indicator_id", .in, indicators)
            .where("fiscal_year", .greaterThanOrEqual, years?.lowerBound ?? Int.min)
            .where("fiscal_year", .lessThanOrEqual, years?.upperBound ?? Int.max)
            .all()
        return try rows.map { row in
            ValueRow(indicator: try row.decode(column: "indicator_id", as: UUID.self), fiscalYear: try row.decode(column: "fiscal_year", as: Int.self),
                     targetRaw: try row.decode(column: "target_raw", as: String.self), actualRaw: try row.decode(column: "actual_raw", as: String.self),
                     publishedRateRaw: try row.decode(column: "published_rate_raw", as: String?.self))
        }
    }

    static func municipalityRecord(_ m: Municipality) -> MunicipalityRecord {
        var record = MunicipalityRecord(code: m.code, name: m.name, nameEnglish: m.nameEnglish, prefecture: m.prefecture)
        record.lowerIsBetterFormula = m.formula
        record.budgetTrendThresholdPercent = m.budgetTrendThreshold
        record.personnelCostPerHour = m.personnelCostPerHourYen.map(Money.init(yen:))
        record.evaluationViewpoints = lines(m.evaluationViewpoints)
        return record
    }

    /// The checklists of evaluations, by evaluation id, in their order.
    static func viewpoints(of evaluationIDs: [UUID], on db: any Database) async throws -> [UUID: [ViewpointJudgement]] {
        struct Row: Decodable { var evaluationId: UUID; var position: Int; var viewpoint: String; var judgement: String; var reason: String? }
        var out: [UUID: [ViewpointJudgement]] = [:]
        for chunk in evaluationIDs.chunked(into: 500) where !chunk.isEmpty {
            let ids = SQLGroupExpression(chunk.map { SQLBind($0) as any SQLExpression })
            for row in try await rows("""
                SELECT evaluation_id AS "evaluationId", position, viewpoint, judgement, reason FROM evaluation_viewpoints
                WHERE evaluation_id IN \(ids) ORDER BY evaluation_id, position
                """, as: Row.self, on: db) {
                out[row.evaluationId, default: []].append(ViewpointJudgement(viewpoint: row.viewpoint, judgement: row.judgement, reason: row.reason))
            }
        }
        return out
    }

    // MARK: Rows read by column name

    /// Rows of a raw query whose columns are named as `Row`'s properties (`AS "programId"`):
    /// decoding Fluent models by reflection on every row, or converting every key through a
    /// key strategy, was most of loading a municipality (BENCHMARKS.md, section g).
    static func rows<Row: Decodable>(_ query: SQLQueryString, as: Row.Type, on db: any Database) async throws -> [Row] {
        guard let sql = db as? any SQLDatabase else { throw DatasetLoaderError.notSQL }
        return try await sql.raw(query).all(decoding: Row.self)
    }

    enum DatasetLoaderError: Error { case notSQL }

    struct ProgramRow: Decodable {
        var id: UUID
        var name: String
        var number: String?
        var departmentId: UUID?
        var summary: String?
        var sdgGoals: String
        var startFiscalYear: Int?
        var endFiscalYear: Int?
        var legalBasis: String?
        var category: String?
        var periodKind: String?
        var budgetAccounts: String?
        var purposeTarget: String?
        var purposeIntent: String?
        var purposeResult: String?
        var meansPreviousYear: String?
        var meansThisYear: String?
    }

    struct IndicatorRow: Decodable {
        var id: UUID
        var programId: UUID?
        var planNodeId: UUID?
        var collaborationProjectId: UUID?
        var manifestoGoalId: UUID?
        var name: String
        var kind: String
        var unit: String?
        var direction: String
        var directionSource: String
        var formula: String?
        var baselineRaw: String
        var baselineYear: Int?
        var finalTargetRaw: String
        var finalTargetYear: Int?

        static let selection = """
            id, program_id AS "programId", plan_node_id AS "planNodeId", collaboration_project_id AS "collaborationProjectId",
            manifesto_goal_id AS "manifestoGoalId", name, kind, unit, direction, direction_source AS "directionSource", formula,
            baseline_raw AS "baselineRaw", baseline_year AS "baselineYear", final_target_raw AS "finalTargetRaw", final_target_year AS "finalTargetYear"
            """

        init(_ i: Indicator) {
            id = i.id ?? UUID()
            programId = i.$program.id
            planNodeId = i.$planNode.id
            collaborationProjectId = i.$collaborationProject.id
            manifestoGoalId = i.$manifestoGoal.id
            name = i.name
            kind = i.kind
            unit = i.unit
            direction = i.direction
            directionSource = i.directionSource
            formula = i.formula
            baselineRaw = i.baselineRaw
            baselineYear = i.baselineYear
            finalTargetRaw = i.finalTargetRaw
            finalTargetYear = i.finalTargetYear
        }
    }

    /// The indicators whose `owner` column (`program_id`, `plan_node_id`, …) is one of `ids`.
    static func indicatorRows(owner column: String, _ ids: [UUID], on db: any Database) async throws -> [IndicatorRow] {
        var found: [IndicatorRow] = []
        for chunk in ids.chunked(into: 500) {
            let ids = SQLGroupExpression(chunk.map { SQLBind($0) as any SQLExpression })
            found += try await rows("SELECT \(unsafeRaw: IndicatorRow.selection) FROM indicators WHERE \(ident: column) IN \(ids)",
                                    as: IndicatorRow.self, on: db)
        }
        return found
    }

    struct BudgetRow: Decodable {
        var programId: UUID
        var fiscalYear: Int
        var budgetYen: Int64?
        var settlementYen: Int64?
        var personnelCostYen: Int64?
        var nationalYen: Int64?
        var prefecturalYen: Int64?
        var bondYen: Int64?
        var otherSpecificYen: Int64?
        var generalYen: Int64?
        var publishedTrend: String?
        var staffCount: String?
        var workHours: String?
        var isPlanned: Bool

        static let selection = """
            program_id AS "programId", fiscal_year AS "fiscalYear", budget_yen AS "budgetYen", settlement_yen AS "settlementYen",
            personnel_cost_yen AS "personnelCostYen", national_yen AS "nationalYen", prefectural_yen AS "prefecturalYen", bond_yen AS "bondYen",
            other_specific_yen AS "otherSpecificYen", general_yen AS "generalYen", published_trend AS "publishedTrend",
            staff_count AS "staffCount", work_hours AS "workHours", is_planned AS "isPlanned"
            """

        init(_ b: BudgetLine) {
            programId = b.$program.id
            fiscalYear = b.fiscalYear
            budgetYen = b.budgetYen
            settlementYen = b.settlementYen
            personnelCostYen = b.personnelCostYen
            nationalYen = b.nationalYen
            prefecturalYen = b.prefecturalYen
            bondYen = b.bondYen
            otherSpecificYen = b.otherSpecificYen
            generalYen = b.generalYen
            publishedTrend = b.publishedTrend
            staffCount = b.staffCount
            workHours = b.workHours
            isPlanned = b.isPlanned
        }
    }

    struct EvaluationRow: Decodable {
        var id: UUID
        var programId: UUID?
        var fiscalYear: Int
        var stage: String
        var grade: String?
        var direction: String?
        var comment: String?
        var improvement: String?
        var author: String?

        static let selection = """
            id, program_id AS "programId", fiscal_year AS "fiscalYear", stage, grade, direction, comment, improvement, author,
            expected_outcome AS "expectedOutcome", expected_cost AS "expectedCost"
            """

        var expectedOutcome: String?
        var expectedCost: String?

        init(_ e: Evaluation) {
            id = e.id ?? UUID()
            expectedOutcome = e.expectedOutcome
            expectedCost = e.expectedCost
            programId = e.$program.id
            fiscalYear = e.fiscalYear
            stage = e.stage
            grade = e.grade
            direction = e.direction
            comment = e.comment
            improvement = e.improvement
            author = e.author
        }
    }

    static func indicatorRecord(_ i: Indicator, code: String, owner: IndicatorOwner) -> IndicatorRecord {
        indicatorRecord(IndicatorRow(i), code: code, owner: owner)
    }

    static func indicatorRecord(_ i: IndicatorRow, code: String, owner: IndicatorOwner) -> IndicatorRecord {
        var record = IndicatorRecord(municipalityCode: code, owner: owner, name: i.name,
                                     direction: IndicatorDirection(rawValue: i.direction) ?? .qualitative,
                                     directionSource: DirectionSource(rawValue: i.directionSource) ?? .stated)
        record.kind = IndicatorKind(rawValue: i.kind) ?? .outcome
        record.unit = i.unit
        record.formula = i.formula.flatMap(LowerIsBetterFormula.init(rawValue:))
        record.baselineRaw = i.baselineRaw
        record.baselineYear = i.baselineYear
        record.finalTargetRaw = i.finalTargetRaw
        record.finalTargetYear = i.finalTargetYear
        return record
    }

    static func budgetRecord(_ b: BudgetLine, code: String, program: String) -> BudgetRecord {
        budgetRecord(BudgetRow(b), code: code, program: program)
    }

    static func budgetRecord(_ b: BudgetRow, code: String, program: String) -> BudgetRecord {
        var record = BudgetRecord(municipalityCode: code, program: program, fiscalYear: b.fiscalYear)
        record.budget = b.budgetYen.map(Money.init(yen:))
        record.settlement = b.settlementYen.map(Money.init(yen:))
        record.personnelCost = b.personnelCostYen.map(Money.init(yen:))
        record.national = b.nationalYen.map(Money.init(yen:))
        record.prefectural = b.prefecturalYen.map(Money.init(yen:))
        record.bond = b.bondYen.map(Money.init(yen:))
        record.otherSpecific = b.otherSpecificYen.map(Money.init(yen:))
        record.general = b.generalYen.map(Money.init(yen:))
        record.publishedTrend = b.publishedTrend
        record.staffCount = b.staffCount.flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }
        record.workHours = b.workHours.flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }
        record.isPlanned = b.isPlanned
        return record
    }

    static func evaluationRecord(_ e: EvaluationRow, code: String, subject: EvaluationSubject) -> EvaluationRecord {
        var record = EvaluationRecord(municipalityCode: code, subject: subject, fiscalYear: e.fiscalYear,
                                      stage: EvaluationStage(rawValue: e.stage) ?? .selfAssessment)
        record.grade = e.grade
        record.direction = e.direction
        record.comment = e.comment
        record.improvement = e.improvement
        record.author = e.author
        record.expectedOutcome = e.expectedOutcome
        record.expectedCost = e.expectedCost
        return record
    }

    static func lines(_ text: String?) -> [String] {
        (text ?? "").split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }
}

extension Array {
    /// Pieces of at most `size` elements: keeps `IN (…)` lists within database limits.
    func chunked(into size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
