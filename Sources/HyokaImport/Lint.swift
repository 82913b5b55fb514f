import Foundation
import HyokaCore

/// One finding of a consistency check: which rule, where, and what to look at.
public struct LintFinding: Equatable, Sendable {
    public var rule: LintRule
    public var municipalityCode: String
    /// The workbook table and the record (by natural key) the finding is about.
    public var table: String
    public var record: String
    public var field: String
    public var fiscalYear: Int?
    public var japanese: String
    public var english: String
    /// The program the finding is about, by name, when it is about a program (its budget,
    /// evaluation or one of its KPIs), and the KPI's name when about a KPI: the read model
    /// turns them into ids once, when it is written.
    public var program: String? = nil
    public var indicator: String? = nil

    public var severity: LintRule.Severity { rule.severity }

    public init(rule: LintRule, municipalityCode: String, table: String, record: String, field: String, fiscalYear: Int?,
                japanese: String, english: String, program: String? = nil, indicator: String? = nil) {
        self.rule = rule
        self.municipalityCode = municipalityCode
        self.table = table
        self.record = record
        self.field = field
        self.fiscalYear = fiscalYear
        self.japanese = japanese
        self.english = english
        self.program = program
        self.indicator = indicator
    }
}

/// Runs the consistency checks over a dataset.
public enum Lint {
    public static func check(_ dataset: Dataset) -> [LintFinding] {
        check(dataset, computed: Computations(dataset))
    }

    /// The checks with the dataset's derived values already made (the workbook export
    /// makes them for its computed columns; deriving them twice was a third of an export).
    public static func check(_ dataset: Dataset, computed: Computations) -> [LintFinding] {
        var findings: [LintFinding] = []

        for value in dataset.indicatorValues {
            guard let printedText = value.publishedRateRaw else { continue }
            let printed = Measure.parse(printedText)
            let result = computed.achievementRate(value)
            let ours = try? result.get()
            let mismatch = printed.kind == .number ? ours != printed.value : (printed.kind == .dash && ours != nil)
            if mismatch {
                findings.append(LintFinding(rule: .rateMismatch, municipalityCode: value.municipalityCode, table: "indicator_values",
                                            record: "\(ownerLabel(value.owner)) / \(value.indicatorName)", field: "achievement_rate", fiscalYear: value.fiscalYear,
                                            japanese: "公表 \(printedText) に対し、目標 \(value.targetRaw)・実績 \(value.actualRaw) からの計算は \(AchievementRate.format(result)) です",
                                            english: "published \(printedText); target \(value.targetRaw) and actual \(value.actualRaw) give \(AchievementRate.format(result))",
                                            program: programName(value.owner), indicator: value.indicatorName))
            }
        }
        let hourlyCost = Dictionary(dataset.municipalities.compactMap { m in m.personnelCostPerHour.map { (m.code, $0) } }, uniquingKeysWith: { a, _ in a })
        for budget in dataset.budgets {
            if let printed = budget.publishedTrend, let ours = computed.budgetTrend(budget), BudgetTrend(japanese: printed) != ours {
                findings.append(LintFinding(rule: .trendMismatch, municipalityCode: budget.municipalityCode, table: "budgets", record: budget.program,
                                            field: "trend", fiscalYear: budget.fiscalYear,
                                            japanese: "公表 \(printed) に対し、前年度との比較では \(ours.japanese) です",
                                            english: "published \(printed); the budgets give \(ours.english)", program: budget.program))
            }
            if let b = budget.budget, let s = budget.settlement, s > b {
                findings.append(LintFinding(rule: .settlementOverBudget, municipalityCode: budget.municipalityCode, table: "budgets", record: budget.program,
                                            field: "settlement_yen", fiscalYear: budget.fiscalYear,
                                            japanese: "決算額 \(amount(s)) が予算額 \(amount(b)) を超えています",
                                            english: "settlement \(amount(s)) exceeds budget \(amount(b))", program: budget.program))
            }
            // 財源内訳: the five parts pay for the year's 事業費, which a sheet states as its
            // 予算額 or, once settled, its 決算額; a sum equal to neither is a typing error.
            let funding = FundingSources(national: budget.national, prefectural: budget.prefectural, bond: budget.bond,
                                         otherSpecific: budget.otherSpecific, general: budget.general)
            // Parts a city computes as shares (1355.3925 千円) are stored to the yen: a yen per
            // part is rounding, not a mismatch.
            let slack = Int64(funding.parts.filter { $0.amount != nil }.count)
            func matches(_ cost: Money?) -> Bool { cost.map { abs($0.yen - (funding.total?.yen ?? 0)) <= slack } ?? false }
            if let total = funding.total, budget.budget != nil || budget.settlement != nil, !matches(budget.budget), !matches(budget.settlement) {
                let cost = [budget.budget.map { "予算額 \(amount($0))" }, budget.settlement.map { "決算額 \(amount($0))" }].compactMap { $0 }.joined(separator: "・")
                let costEnglish = [budget.budget.map { "budget \(amount($0))" }, budget.settlement.map { "settlement \(amount($0))" }].compactMap { $0 }.joined(separator: ", ")
                findings.append(LintFinding(rule: .fundingSumMismatch, municipalityCode: budget.municipalityCode, table: "budgets", record: budget.program,
                                            field: "general_yen", fiscalYear: budget.fiscalYear,
                                            japanese: "財源内訳の合計 \(amount(total)) が事業費（\(cost)）と一致しません",
                                            english: "the funding sources add up to \(amount(total)), not the program cost (\(costEnglish))", program: budget.program))
            }
            // 人件費 = 延べ業務時間 × the municipality's hourly cost, where both are stated.
            if let hours = budget.workHours, hours <= WorkbookTable.maximumCount, let personnel = budget.personnelCost, let rate = hourlyCost[budget.municipalityCode] {
                let expected = Money(yen: NSDecimalNumber(decimal: hours * Decimal(rate.yen)).int64Value)
                if abs(expected.yen - personnel.yen) > 1 {
                    findings.append(LintFinding(rule: .personnelCostHours, municipalityCode: budget.municipalityCode, table: "budgets", record: budget.program,
                                                field: "personnel_cost_yen", fiscalYear: budget.fiscalYear,
                                                japanese: "人件費 \(amount(personnel)) が延べ業務時間 \(hours) 時間 × 単価 \(amount(rate)) = \(amount(expected)) と一致しません",
                                                english: "personnel cost \(amount(personnel)) is not \(hours) hours × \(amount(rate)) = \(amount(expected))", program: budget.program))
                }
            }
        }
        for evaluation in dataset.evaluations {
            guard let grade = evaluation.grade, let suggestion = computed.suggestedGrade(evaluation),
                  let distance = GradeScale.evaluation.distance(from: grade, to: suggestion), distance >= 2 else { continue }
            findings.append(LintFinding(rule: .gradeFarFromSuggestion, municipalityCode: evaluation.municipalityCode, table: "evaluations",
                                        record: subjectLabel(evaluation.subject), field: "grade", fiscalYear: evaluation.fiscalYear,
                                        japanese: "評価「\(grade)」は、指標の達成率からの目安「\(suggestion)」と\(distance)段階違います",
                                        english: "grade \(grade) is \(distance) steps from the suggested \(suggestion)",
                                        program: { if case let .program(name) = evaluation.subject { name } else { nil } }()))
        }
        let plans = Dictionary(dataset.plans.map { ("\($0.municipalityCode)/\($0.name)", $0) }, uniquingKeysWith: { a, _ in a })
        var linkedPlans: [String: [PlanRecord]] = [:]
        for link in dataset.planLinks {
            if let plan = plans["\(link.municipalityCode)/\(link.plan)"] { linkedPlans["\(link.municipalityCode)/\(link.program)", default: []].append(plan) }
        }
        for indicator in dataset.indicators {
            let label = "\(ownerLabel(indicator.owner)) / \(indicator.name)"
            if indicator.directionSource == .published {
                let qualitative = indicator.direction == .qualitative
                findings.append(LintFinding(rule: .directionFromPublishedRate, municipalityCode: indicator.municipalityCode, table: "indicators", record: label,
                                            field: "direction", fiscalYear: nil,
                                            japanese: qualitative
                                                ? "目標と実績は数値ですが達成率が公表されていないため、定性指標として扱いました。達成率を出すなら指標の方向を設定してください"
                                                : "目標の書き方からは逆の方向に読めますが、公表された達成率に合うのは「\(indicator.direction.japanese)」です。指標の方向を確かめてください",
                                            english: qualitative
                                                ? "target and actual are numbers but no rate is published: treated as qualitative; set a direction to rate it"
                                                : "the targets suggest the other direction; the published rate fits \(indicator.direction.rawValue) only: check the indicator's direction",
                                            program: programName(indicator.owner), indicator: indicator.name))
            }
            // A rated indicator whose baseline is missing or printed as a dash (a stated
            // なし or a text baseline is a baseline).
            let baselineKind = Measure.parse(indicator.baselineRaw).kind
            // A 対象指標 measures the size of the target population: nothing to rate against.
            if indicator.direction != .qualitative, indicator.kind != .target, baselineKind == .empty || baselineKind == .dash {
                findings.append(LintFinding(rule: .indicatorWithoutBaseline, municipalityCode: indicator.municipalityCode, table: "indicators", record: label,
                                            field: "baseline_raw", fiscalYear: nil,
                                            japanese: indicator.baselineRaw.isEmpty ? "基準値がありません" : "基準値が「\(indicator.baselineRaw)」で、数値がありません",
                                            english: indicator.baselineRaw.isEmpty ? "no baseline" : "the baseline is printed as \(indicator.baselineRaw)",
                                            program: programName(indicator.owner), indicator: indicator.name))
            }
            if case let .program(name) = indicator.owner,
               let year = indicator.finalTargetYear ?? Measure.parse(indicator.finalTargetRaw).year?.year {
                for plan in linkedPlans["\(indicator.municipalityCode)/\(name)"] ?? [] {
                    guard let start = plan.startFiscalYear, let end = plan.endFiscalYear, !(start...end).contains(year) else { continue }
                    findings.append(LintFinding(rule: .targetYearOutsidePlan, municipalityCode: indicator.municipalityCode, table: "indicators", record: label,
                                                field: "final_target_year", fiscalYear: nil,
                                                japanese: "目標年度 \(FiscalYear(year).japanese) が計画「\(plan.name)」の期間（\(start)〜\(end)年度）の外です",
                                                english: "target year FY\(year) is outside the plan \(plan.name) (FY\(start)–FY\(end))",
                                                program: name, indicator: indicator.name))
                }
            }
        }
        let withIndicators = Set(dataset.indicators.compactMap { indicator -> String? in
            if case let .program(name) = indicator.owner { return "\(indicator.municipalityCode)/\(name)" }
            return nil
        })
        var reported: Set<String> = []
        for link in dataset.planLinks where !withIndicators.contains("\(link.municipalityCode)/\(link.program)") {
            guard reported.insert("\(link.municipalityCode)/\(link.program)").inserted else { continue }
            findings.append(LintFinding(rule: .programWithoutIndicator, municipalityCode: link.municipalityCode, table: "programs", record: link.program,
                                        field: "indicators", fiscalYear: nil,
                                        japanese: "施策 \(link.nodeCode) の事業ですが、成果指標がありません", english: "serves \(link.nodeCode) but has no indicator", program: link.program))
        }
        // 表記ゆれ: programs of one department whose names share a spelling key. A name typed
        // two ways in the source makes two programs, counted twice in every total.
        var bySpelling: [String: [ProgramRecord]] = [:]
        for program in dataset.programs {
            bySpelling["\(program.municipalityCode)\u{1F}" + similarNameKey(name: program.name, department: program.department), default: []].append(program)
        }
        for group in bySpelling.values where group.count > 1 {
            let names = group.map(\.name).sorted()
            for name in names {
                let others = names.filter { $0 != name }.map { "「\($0)」" }.joined(separator: "、")
                findings.append(LintFinding(rule: .similarProgramNames, municipalityCode: group[0].municipalityCode, table: "programs", record: name,
                                            field: "name", fiscalYear: nil,
                                            japanese: "同じ課の \(others) と表記だけが違います。同じ事業なら一つにまとめてください（合計で二重に数えられます）",
                                            english: "differs from \(others) of the same department only in spelling; if it is one program, merge them (totals count it twice)",
                                            program: name))
            }
        }
        return findings.sorted { ($0.municipalityCode, $0.rule.rawValue, $0.table, $0.record, $0.fiscalYear ?? 0) < ($1.municipalityCode, $1.rule.rawValue, $1.table, $1.record, $1.fiscalYear ?? 0) }
    }

    /// Programs of one municipality with the same key are flagged `similar-program-names`:
    /// the department and the name's spelling key. The staff page that merges them groups
    /// by the same key.
    public static func similarNameKey(name: String, department: String?) -> String {
        "\(department ?? "")\u{1F}\(JapaneseText.spellingKey(name))"
    }

    /// 千円 where that is exact, else yen, so that a difference is never rounded away.
    static func amount(_ money: Money) -> String {
        money.yen % 1_000 == 0 ? money.thousandYenWithUnit : money.yenText
    }

    static func programName(_ owner: IndicatorOwner) -> String? {
        if case let .program(name) = owner { name } else { nil }
    }

    static func ownerLabel(_ owner: IndicatorOwner) -> String {
        switch owner {
        case let .program(name): name
        case let .planNode(_, code): code
        case let .collaborationProject(_, _, name): name
        case let .manifestoGoal(department, year, number): "\(department) \(year) 目標\(number)"
        }
    }

    static func subjectLabel(_ subject: EvaluationSubject) -> String {
        switch subject {
        case let .program(name): name
        case let .planNode(_, code): code
        }
    }

    /// A plain-text table for the terminal.
    public static func table(_ findings: [LintFinding]) -> String {
        guard !findings.isEmpty else { return "指摘はありません (no findings)" }
        var lines = ["重要度\tルール\t団体\t表\t記録\t項目\t年度\t内容 (message)"]
        for f in findings {
            lines.append([f.severity.rawValue, f.rule.rawValue, f.municipalityCode, f.table, f.record, f.field,
                          f.fiscalYear.map { FiscalYear($0).shortJapanese } ?? "", "\(f.japanese) (\(f.english))"].joined(separator: "\t"))
        }
        let counts = Dictionary(grouping: findings, by: \.severity).map { "\($0.key.rawValue) \($0.value.count)" }.sorted().joined(separator: ", ")
        lines.append("計 \(findings.count) 件 (\(counts))")
        return lines.joined(separator: "\n")
    }
}
