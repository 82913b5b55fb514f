import Foundation
import HyokaCore

/// The derived values of a dataset (達成率, 増減, suggested grade, トータルコスト, 過去最高),
/// computed by HyokaCore from the records; never read from a file or typed in.
public struct Computations: Sendable {
    public let dataset: Dataset
    private let municipalities: [String: MunicipalityRecord]
    private let indicators: [IndicatorKey: IndicatorRecord]
    private let values: [IndicatorKey: [Int: IndicatorValueRecord]]
    private let budgets: [ProgramKey: [Int: BudgetRecord]]
    private let indicatorsByProgram: [ProgramKey: [IndicatorRecord]]
    /// Each program's figures, derived by HyokaCore's one derivation (`ProgramFigures`).
    private let figures: [ProgramKey: ProgramFigures]
    /// Where each program KPI stands in its program's `ProgramFigures.kpis`.
    private let kpiIndex: [IndicatorKey: Int]
    private let headlineValues: [HeadlineKey: [String]]
    /// Every value text of the dataset, parsed once: a rate needs the target, the actual,
    /// the baseline and last year's actual, and parsing was most of the time of a workbook.
    private let measures: [String: Measure]

    struct IndicatorKey: Hashable { let municipality: String; let owner: IndicatorOwner; let name: String }
    struct ProgramKey: Hashable { let municipality: String; let program: String }
    struct HeadlineKey: Hashable { let municipality: String; let name: String }

    public init(_ dataset: Dataset) {
        self.dataset = dataset
        municipalities = Dictionary(dataset.municipalities.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        indicators = Dictionary(dataset.indicators.map { (IndicatorKey(municipality: $0.municipalityCode, owner: $0.owner, name: $0.name), $0) },
                                uniquingKeysWith: { a, _ in a })
        var values: [IndicatorKey: [Int: IndicatorValueRecord]] = [:]
        for value in dataset.indicatorValues {
            values[IndicatorKey(municipality: value.municipalityCode, owner: value.owner, name: value.indicatorName), default: [:]][value.fiscalYear] = value
        }
        self.values = values
        var budgets: [ProgramKey: [Int: BudgetRecord]] = [:]
        for budget in dataset.budgets {
            budgets[ProgramKey(municipality: budget.municipalityCode, program: budget.program), default: [:]][budget.fiscalYear] = budget
        }
        self.budgets = budgets
        var byProgram: [ProgramKey: [IndicatorRecord]] = [:]
        for indicator in dataset.indicators {
            if case let .program(name) = indicator.owner {
                byProgram[ProgramKey(municipality: indicator.municipalityCode, program: name), default: []].append(indicator)
            }
        }
        indicatorsByProgram = byProgram
        headlineValues = Dictionary(grouping: dataset.headlineFigures, by: { HeadlineKey(municipality: $0.municipalityCode, name: $0.name) })
            .mapValues { $0.map(\.valueRaw) }
        var measures: [String: Measure] = [:]
        for text in dataset.indicatorValues.flatMap({ [$0.targetRaw, $0.actualRaw] }) + dataset.indicators.map(\.baselineRaw) {
            if measures[text] == nil { measures[text] = Measure.parse(text) }
        }
        self.measures = measures
        let parse: @Sendable (String) -> Measure = { [measures] in measures[$0] ?? Measure.parse($0) }
        let municipalities = self.municipalities
        var figures: [ProgramKey: ProgramFigures] = [:]
        var kpiIndex: [IndicatorKey: Int] = [:]
        for key in Set(budgets.keys).union(byProgram.keys) {
            let money = (budgets[key] ?? [:]).mapValues {
                ProgramFigures.YearMoney(budget: $0.budget, settlement: $0.settlement, personnelCost: $0.personnelCost)
            }
            let setting = municipalities[key.municipality]
            let kpis = (byProgram[key] ?? []).enumerated().map { index, indicator in
                let indicatorKey = IndicatorKey(municipality: key.municipality, owner: indicator.owner, name: indicator.name)
                kpiIndex[indicatorKey] = index
                return ProgramFigures.KPI(
                    stored: StoredKPI(direction: indicator.direction, formula: indicator.formula ?? setting?.lowerIsBetterFormula ?? .default,
                                      baselineText: indicator.baselineRaw, baselineYear: indicator.baselineYear),
                    values: (values[indicatorKey] ?? [:]).mapValues { (target: $0.targetRaw, actual: $0.actualRaw) })
            }
            figures[key] = ProgramFigures(budgets: money, kpis: kpis,
                                          thresholdPercent: setting?.budgetTrendThresholdPercent ?? BudgetTrend.defaultThresholdPercent, parse: parse)
        }
        self.figures = figures
        self.kpiIndex = kpiIndex
    }

    /// The derived figures of one program (by its municipality and name).
    public func figures(municipality: String, program: String) -> ProgramFigures? {
        figures[ProgramKey(municipality: municipality, program: program)]
    }

    /// A value text parsed, from the parsed-once table when the dataset holds it.
    func measure(_ text: String) -> Measure {
        measures[text] ?? Measure.parse(text)
    }

    public func formula(for indicator: IndicatorRecord) -> LowerIsBetterFormula {
        indicator.formula ?? municipalities[indicator.municipalityCode]?.lowerIsBetterFormula ?? .default
    }

    /// 達成率 of one yearly value: a program's KPI through its program's figures, any other
    /// (a plan node's, a manifesto goal's) through the same `StoredKPI.rate`.
    public func achievementRate(_ value: IndicatorValueRecord) -> AchievementRate.Result {
        let key = IndicatorKey(municipality: value.municipalityCode, owner: value.owner, name: value.indicatorName)
        guard let indicator = indicators[key] else { return .failure(.qualitative) }
        if case let .program(name) = value.owner, let index = kpiIndex[key],
           let rate = figures[ProgramKey(municipality: value.municipalityCode, program: name)]?.rate(of: index, in: value.fiscalYear) {
            return rate
        }
        let previous = values[key]?[value.fiscalYear - 1]
        return stored(indicator).rate(target: value.targetRaw, actual: value.actualRaw, previousActual: previous?.actualRaw, parse: measure)
    }

    /// What the indicator's rates depend on, for `StoredKPI.rate`.
    public func stored(_ indicator: IndicatorRecord) -> StoredKPI {
        StoredKPI(direction: indicator.direction, formula: formula(for: indicator), baselineText: indicator.baselineRaw, baselineYear: indicator.baselineYear)
    }

    /// The baseline with its year: the year may stand in its own column.
    public func baselineMeasure(_ indicator: IndicatorRecord) -> Measure {
        stored(indicator).baseline(parse: measure)
    }

    /// 事業費の増減 against the previous fiscal year's budget; nil without both budgets.
    public func budgetTrend(_ budget: BudgetRecord) -> BudgetTrend? {
        figures[ProgramKey(municipality: budget.municipalityCode, program: budget.program)]?.trend(in: budget.fiscalYear)
    }

    /// トータルコスト = 事業費 (決算額, else 予算額) + 人件費.
    public func totalCost(_ budget: BudgetRecord) -> Money? {
        figures[ProgramKey(municipality: budget.municipalityCode, program: budget.program)]?.totalCost(in: budget.fiscalYear)
    }

    /// 執行率 of a budget line.
    public func executionRate(_ budget: BudgetRecord) -> Decimal? {
        figures[ProgramKey(municipality: budget.municipalityCode, program: budget.program)]?.executionRate(in: budget.fiscalYear)
    }

    /// The rates of a program's KPIs in a fiscal year.
    public func programRates(municipality: String, program: String, fiscalYear: Int) -> [Decimal] {
        figures[ProgramKey(municipality: municipality, program: program)]?.rates(in: fiscalYear) ?? []
    }

    /// The grade suggested beside an evaluation of a program, from its KPIs' rates that year.
    public func suggestedGrade(_ evaluation: EvaluationRecord) -> String? {
        guard case let .program(name) = evaluation.subject else { return nil }
        return figures[ProgramKey(municipality: evaluation.municipalityCode, program: name)]?.suggestedGrade(in: evaluation.fiscalYear)?.label
    }

    /// 過去最高 of a headline figure (`Computations.isRecordHigh(_:published:among:)`).
    public func isRecordHigh(_ figure: HeadlineFigureRecord) -> Bool {
        Self.isRecordHigh(figure.valueRaw, published: figure.publishedRecordHigh,
                          among: headlineValues[HeadlineKey(municipality: figure.municipalityCode, name: figure.name)] ?? [])
    }

    /// 過去最高: the highest of the values of its name held over the years, when more than one
    /// year is held; with one year only, what the city published says so (a single value is
    /// trivially the highest Hyoka holds, which says nothing about the city's past).
    public static func isRecordHigh(_ valueRaw: String, published: Bool, among values: [String]) -> Bool {
        let numbers = values.compactMap { Measure.parse($0).numericValue }
        guard numbers.count > 1 else { return published }
        guard let value = Measure.parse(valueRaw).numericValue, let maximum = numbers.max() else { return false }
        return value == maximum
    }

    public func indicator(for value: IndicatorValueRecord) -> IndicatorRecord? {
        indicators[IndicatorKey(municipality: value.municipalityCode, owner: value.owner, name: value.indicatorName)]
    }
}
