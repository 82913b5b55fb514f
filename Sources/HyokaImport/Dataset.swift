import Foundation
import HyokaCore

/// What an import brings and an export writes: every record of the Hyoka workbook, keyed
/// by natural keys (municipality code, program name, plan-node code …) rather than
/// database ids, so that a file means the same in any database and a person can edit it.
/// Readers of published documents produce a `Dataset`; the store writes one in a single
/// transaction; the workbook is its serialization.
public struct Dataset: Equatable, Sendable {
    public var municipalities: [MunicipalityRecord] = []
    public var departments: [DepartmentRecord] = []
    public var plans: [PlanRecord] = []
    public var planNodes: [PlanNodeRecord] = []
    public var programs: [ProgramRecord] = []
    public var planLinks: [PlanLinkRecord] = []
    public var indicators: [IndicatorRecord] = []
    public var indicatorValues: [IndicatorValueRecord] = []
    public var budgets: [BudgetRecord] = []
    public var evaluations: [EvaluationRecord] = []
    public var cycles: [CycleRecord] = []
    public var sheets: [SheetRecord] = []
    public var regions: [RegionRecord] = []
    public var collaborationProjects: [CollaborationProjectRecord] = []
    public var collaborationCosts: [CollaborationCostRecord] = []
    public var collaborationRoles: [CollaborationRoleRecord] = []
    public var manifestos: [ManifestoRecord] = []
    public var manifestoGoals: [ManifestoGoalRecord] = []
    public var inventoryReviews: [InventoryReviewRecord] = []
    public var headlineFigures: [HeadlineFigureRecord] = []
    /// The ids the database gave programs and KPIs, when the dataset was read from one (empty
    /// for a file): exported beside the names, so that tables join without names.
    public var storedIDs = StoredIDs()

    public init() {}

    /// How many records of each kind, for import reports.
    public var counts: [(kind: String, count: Int)] {
        [("municipalities", municipalities.count), ("departments", departments.count), ("plans", plans.count),
         ("plan_nodes", planNodes.count), ("programs", programs.count), ("plan_links", planLinks.count),
         ("indicators", indicators.count), ("indicator_values", indicatorValues.count), ("budgets", budgets.count),
         ("evaluations", evaluations.count), ("cycles", cycles.count), ("sheets", sheets.count), ("regions", regions.count),
         ("collaboration_projects", collaborationProjects.count), ("collaboration_costs", collaborationCosts.count),
         ("collaboration_roles", collaborationRoles.count), ("manifestos", manifestos.count),
         ("manifesto_goals", manifestoGoals.count), ("inventory_reviews", inventoryReviews.count),
         ("headline_figures", headlineFigures.count)]
    }
}

/// Where a record came from, for error and warning messages: `file:line` or `sheet!cell`.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// For spreadsheets: the sheet name (the location prints as `sheet!B12`).
    public var sheet: String?

    public init(file: String, line: Int? = nil, column: Int? = nil, sheet: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.sheet = sheet
    }

    public var description: String {
        if let sheet, let line {
            let cell = column.map { SourceLocation.columnLetters($0) } ?? ""
            return "\(file) \(sheet)!\(cell)\(line)"
        }
        var text = file
        if let line { text += ":\(line)" }
        if let column { text += ":\(column)" }
        return text
    }

    /// 1 → A, 27 → AA.
    public static func columnLetters(_ column: Int) -> String {
        var n = column
        var letters = ""
        while n > 0 {
            let remainder = (n - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
            n = (n - 1) / 26
        }
        return letters
    }
}

public struct MunicipalityRecord: Equatable, Sendable {
    public var code: String
    public var name: String
    public var nameEnglish: String?
    public var prefecture: String
    public var lowerIsBetterFormula: LowerIsBetterFormula = .default
    public var budgetTrendThresholdPercent: Decimal = BudgetTrend.defaultThresholdPercent
    /// 人件費 per hour of 延べ業務時間 (大船渡市: 4,000 円): 人件費 is computed from hours with it
    /// and checked against it.
    public var personnelCostPerHour: Money?
    /// The viewpoints of the municipality's evaluation checklist, in order (大船渡市's eight:
    /// 政策体系との整合性 … 受益機会・費用負担の適正化余地). Configuration, not a fixed list.
    public var evaluationViewpoints: [String] = []

    public init(code: String, name: String, nameEnglish: String? = nil, prefecture: String) {
        self.code = code
        self.name = name
        self.nameEnglish = nameEnglish
        self.prefecture = prefecture
    }
}

public struct DepartmentRecord: Equatable, Sendable {
    public var municipalityCode: String
    public var name: String
    public var parentName: String?
    public var level: DepartmentLevel
    public var code: String?

    public init(municipalityCode: String, name: String, parentName: String? = nil, level: DepartmentLevel? = nil, code: String? = nil) {
        self.municipalityCode = municipalityCode
        self.name = name
        self.parentName = parentName
        self.level = level ?? DepartmentLevel.implied(byName: name)
        self.code = code
    }
}

public struct PlanRecord: Equatable, Sendable {
    public var municipalityCode: String
    public var name: String
    public var startFiscalYear: Int?
    public var endFiscalYear: Int?

    public init(municipalityCode: String, name: String, startFiscalYear: Int? = nil, endFiscalYear: Int? = nil) {
        self.municipalityCode = municipalityCode
        self.name = name
        self.startFiscalYear = startFiscalYear
        self.endFiscalYear = endFiscalYear
    }
}

public struct PlanNodeRecord: Equatable, Sendable {
    public var municipalityCode: String
    public var plan: String
    public var code: String
    public var parentCode: String?
    public var title: String
    public var level: String

    public init(municipalityCode: String, plan: String, code: String, parentCode: String? = nil, title: String, level: String) {
        self.municipalityCode = municipalityCode
        self.plan = plan
        self.code = code
        self.parentCode = parentCode
        self.title = title
        self.level = level
    }
}

public struct ProgramRecord: Equatable, Sendable {
    public var municipalityCode: String
    public var name: String
    public var number: String?
    public var department: String?
    public var summary: String?
    public var sdgGoals: [Int] = []
    public var startFiscalYear: Int?
    public var endFiscalYear: Int?
    /// 根拠法令
    public var legalBasis: String?
    /// 事務事業区分 (Ａ政策事業 … Ｅ一般)
    public var category: String?
    /// 事業期間の区分 (単年度繰返, 期間限定複数年度 …)
    public var periodKind: String?
    /// 予算科目 (会計・款・項・目・事業), one account a line: a program may be paid from several.
    public var budgetAccounts: [String] = []
    /// 目的: 対象 (who or what the program works on), 意図 (how it should change them), 結果
    /// (what that gives the level above).
    public var purposeTarget: String?
    public var purposeIntent: String?
    public var purposeResult: String?
    /// 手段: 前年度実績 and 今年度計画.
    public var meansPreviousYear: String?
    public var meansThisYear: String?

    public init(municipalityCode: String, name: String, number: String? = nil, department: String? = nil, summary: String? = nil) {
        self.municipalityCode = municipalityCode
        self.name = name
        self.number = number
        self.department = department
        self.summary = summary
    }
}

public struct PlanLinkRecord: Equatable, Sendable {
    public var municipalityCode: String
    public var plan: String
    public var nodeCode: String
    public var program: String
    public var number: String?
    public var summary: String?

    public init(municipalityCode: String, plan: String, nodeCode: String, program: String, number: String? = nil, summary: String? = nil) {
        self.municipalityCode = municipalityCode
        self.plan = plan
        self.nodeCode = nodeCode
        self.program = program
        self.number = number
        self.summary = summary
    }
}

/// What an indicator belongs to, by natural key.
/// The database ids of a dataset's programs and KPIs, by their natural keys.
public struct StoredIDs: Equatable, Sendable {
    public struct IndicatorKey: Hashable, Sendable {
        public var municipality: String
        public var owner: IndicatorOwner
        public var name: String

        public init(municipality: String, owner: IndicatorOwner, name: String) {
            self.municipality = municipality
            self.owner = owner
            self.name = name
        }
    }

    /// By municipality code and program name.
    public var programs: [String: [String: UUID]] = [:]
    public var indicators: [IndicatorKey: UUID] = [:]

    public init() {}

    public func program(_ municipality: String, _ name: String) -> UUID? { programs[municipality]?[name] }
}

public enum IndicatorOwner: Hashable, Sendable {
    case program(name: String)
    case planNode(plan: String, code: String)
    case collaborationProject(region: String, category: String, name: String)
    case manifestoGoal(department: String, fiscalYear: Int, number: Int)

    public var typeName: String {
        switch self {
        case .program: "program"
        case .planNode: "plan_node"
        case .collaborationProject: "collaboration_project"
        case .manifestoGoal: "manifesto_goal"
        }
    }
}

public struct IndicatorRecord: Equatable, Sendable {
    public var municipalityCode: String
    public var owner: IndicatorOwner
    public var name: String
    public var kind: IndicatorKind = .outcome
    public var unit: String?
    public var direction: IndicatorDirection
    public var directionSource: DirectionSource
    /// Overrides the municipality's lower-is-better formula for this indicator.
    public var formula: LowerIsBetterFormula?
    public var baselineRaw: String = ""
    /// 基準年度, when the document states it apart from the baseline text.
    public var baselineYear: Int?
    public var finalTargetRaw: String = ""
    public var finalTargetYear: Int?

    public init(municipalityCode: String, owner: IndicatorOwner, name: String, direction: IndicatorDirection = .higherIsBetter,
                directionSource: DirectionSource = .inferred) {
        self.municipalityCode = municipalityCode
        self.owner = owner
        self.name = name
        self.direction = direction
        self.directionSource = directionSource
    }
}

public struct IndicatorValueRecord: Equatable, Sendable {
    public var municipalityCode: String
    public var owner: IndicatorOwner
    public var indicatorName: String
    public var fiscalYear: Int
    public var targetRaw: String = ""
    public var actualRaw: String = ""
    /// The rate a published document printed: kept for lint, never trusted.
    public var publishedRateRaw: String?

    public init(municipalityCode: String, owner: IndicatorOwner, indicatorName: String, fiscalYear: Int) {
        self.municipalityCode = municipalityCode
        self.owner = owner
        self.indicatorName = indicatorName
        self.fiscalYear = fiscalYear
    }
}

public struct BudgetRecord: Equatable, Sendable {
    public var municipalityCode: String
    public var program: String
    public var fiscalYear: Int
    public var budget: Money?
    public var settlement: Money?
    public var personnelCost: Money?
    public var national: Money?
    public var prefectural: Money?
    public var bond: Money?
    public var otherSpecific: Money?
    public var general: Money?
    /// 正規職員従事人数
    public var staffCount: Decimal?
    /// 延べ業務時間
    public var workHours: Decimal?
    /// A planned future year (計画), as distinct from a budget (予算) or settled (決算) year.
    public var isPlanned = false
    /// The 増減 label a published document printed: kept for lint, never trusted.
    public var publishedTrend: String?

    public init(municipalityCode: String, program: String, fiscalYear: Int) {
        self.municipalityCode = municipalityCode
        self.program = program
        self.fiscalYear = fiscalYear
    }
}

public enum EvaluationSubject: Hashable, Sendable {
    case program(name: String)
    case planNode(plan: String, code: String)
}

public struct EvaluationRecord: Equatable, Sendable {
    public var municipalityCode: String
    public var subject: EvaluationSubject
    public var fiscalYear: Int
    public var stage: EvaluationStage
    public var grade: String?
    /// 今後の方向性 / 成果の方向性
    public var direction: String?
    public var comment: String?
    public var improvement: String?
    public var author: String?
    /// 期待成果: 成果 (向上・維持・低下) and コスト (削減・維持・増加) expected of the direction.
    public var expectedOutcome: String?
    public var expectedCost: String?
    /// The checklist: each viewpoint's judgement and reason, in the municipality's order.
    public var viewpoints: [ViewpointJudgement] = []

    public init(municipalityCode: String, subject: EvaluationSubject, fiscalYear: Int, stage: EvaluationStage) {
        self.municipalityCode = municipalityCode
        self.subject = subject
        self.fiscalYear = fiscalYear
        self.stage = stage
    }
}

/// One viewpoint of an evaluation checklist: 「政策体系との整合性」 judged 「結びついている」, and why.
public struct ViewpointJudgement: Equatable, Sendable {
    public var viewpoint: String
    public var judgement: String
    public var reason: String?

    public init(viewpoint: String, judgement: String, reason: String? = nil) {
        self.viewpoint = viewpoint
        self.judgement = judgement
        self.reason = reason
    }
}

public struct CycleRecord: Equatable, Sendable {
    public var municipalityCode: String
    public var fiscalYear: Int
    public var phase: CyclePhase

    public init(municipalityCode: String, fiscalYear: Int, phase: CyclePhase) {
        self.municipalityCode = municipalityCode
        self.fiscalYear = fiscalYear
        self.phase = phase
    }
}

public struct SheetRecord: Equatable, Sendable {
    public var municipalityCode: String
    public var fiscalYear: Int
    public var program: String
    public var status: SheetState
    public var returnReason: String?

    public init(municipalityCode: String, fiscalYear: Int, program: String, status: SheetState) {
        self.municipalityCode = municipalityCode
        self.fiscalYear = fiscalYear
        self.program = program
        self.status = status
    }
}

public struct RegionRecord: Equatable, Sendable {
    public var municipalityCode: String
    public var name: String
    public var centralCity: String
    public var members: [String] = []
    public var startFiscalYear: Int?
    public var endFiscalYear: Int?

    public init(municipalityCode: String, name: String, centralCity: String) {
        self.municipalityCode = municipalityCode
        self.name = name
        self.centralCity = centralCity
    }
}

public struct CollaborationProjectRecord: Equatable, Sendable {
    public var municipalityCode: String
    public var region: String
    public var policyField: String
    public var agreementCategory: String
    public var name: String
    public var content: String?
    /// 効果, one item a line.
    public var effects: [String] = []
    public var partnersText: String?
    public var partners: [String] = []
    public var allMembers: Bool = false
    /// 費用負担（基本方針）, one item a line.
    public var costSharing: [String] = []
    public var isRepost: Bool = false

    public init(municipalityCode: String, region: String, policyField: String, agreementCategory: String, name: String) {
        self.municipalityCode = municipalityCode
        self.region = region
        self.policyField = policyField
        self.agreementCategory = agreementCategory
        self.name = name
    }
}

public struct CollaborationCostRecord: Equatable, Sendable {
    public var municipalityCode: String
    public var region: String
    public var agreementCategory: String
    public var project: String
    public var fiscalYear: Int
    public var amountRaw: String
    public var note: String?

    public init(municipalityCode: String, region: String, agreementCategory: String, project: String, fiscalYear: Int, amountRaw: String, note: String? = nil) {
        self.municipalityCode = municipalityCode
        self.region = region
        self.agreementCategory = agreementCategory
        self.project = project
        self.fiscalYear = fiscalYear
        self.amountRaw = amountRaw
        self.note = note
    }
}

public struct CollaborationRoleRecord: Equatable, Sendable {
    public var municipalityCode: String
    public var region: String
    public var agreementCategory: String
    public var project: String
    public var party: String
    /// One item a line.
    public var role: [String]

    public init(municipalityCode: String, region: String, agreementCategory: String, project: String, party: String, role: [String]) {
        self.municipalityCode = municipalityCode
        self.region = region
        self.agreementCategory = agreementCategory
        self.project = project
        self.party = party
        self.role = role
    }
}

public struct ManifestoRecord: Equatable, Sendable {
    public var municipalityCode: String
    public var department: String
    public var fiscalYear: Int
    public var headTitle: String?
    public var headName: String?
    public var contact: String?
    public var mission: String?

    public init(municipalityCode: String, department: String, fiscalYear: Int) {
        self.municipalityCode = municipalityCode
        self.department = department
        self.fiscalYear = fiscalYear
    }
}

public struct ManifestoGoalRecord: Equatable, Sendable {
    public var municipalityCode: String
    public var department: String
    public var fiscalYear: Int
    public var number: Int
    public var heading: String?
    public var title: String
    public var relatedPolicy: String?
    public var background: String?
    public var currentAnalysis: String?
    public var issues: String?
    public var targetFigures: String?
    public var achievedState: String?
    public var meansAndProcess: String?
    public var selfGrade: String?
    public var selfReason: String?
    public var supervisorGrade: String?

    public init(municipalityCode: String, department: String, fiscalYear: Int, number: Int, title: String) {
        self.municipalityCode = municipalityCode
        self.department = department
        self.fiscalYear = fiscalYear
        self.number = number
        self.title = title
    }
}

public struct InventoryReviewRecord: Equatable, Sendable {
    public var municipalityCode: String
    public var program: String
    public var fiscalYear: Int
    public var reviewRound: String
    /// The viewpoints (1–6) that applied.
    public var viewpoints: [Int] = []
    public var result: InventoryResult
    public var saving: Money?
    public var note: String?

    public init(municipalityCode: String, program: String, fiscalYear: Int, reviewRound: String, result: InventoryResult) {
        self.municipalityCode = municipalityCode
        self.program = program
        self.fiscalYear = fiscalYear
        self.reviewRound = reviewRound
        self.result = result
    }
}

public struct HeadlineFigureRecord: Equatable, Sendable {
    public var municipalityCode: String
    public var fiscalYear: Int
    public var name: String
    public var valueRaw: String
    public var publishedRecordHigh: Bool = false
    public var note: String?

    public init(municipalityCode: String, fiscalYear: Int, name: String, valueRaw: String) {
        self.municipalityCode = municipalityCode
        self.fiscalYear = fiscalYear
        self.name = name
        self.valueRaw = valueRaw
    }
}
