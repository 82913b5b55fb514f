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
    private let headlineMaxima: [HeadlineKey: Decimal]
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
        var maxima: [HeadlineKey: Decimal] = [:]
        for figure in dataset.headlineFigures {
            guard let value = Measure.parse(figure.valueRaw).numericValue else { continue }
            let key = HeadlineKey(municipality: figure.municipalityCode, name: figure.name)
            maxima[key] = max(maxima[key] ?? value, value)
        }
        headlineMaxima = maxima
        var measures: [String: Measure] = [:]
        for text in dataset.indicatorValues.flatMap({ [$0.targetRaw, $0.actualRaw] }) + dataset.indicators.map(\.baselineRaw) {
            if measures[text] == nil { measures[text] = Measure.parse(text) }
        }
        self.measures = measures
    }

    /// A value text parsed, from the parsed-once table when the dataset holds it.
    func measure(_ text: String) -> Measure {
        measures[text] ?? Measure.parse(text)
    }

    public func formula(for indicator: IndicatorRecord) -> LowerIsBetterFormula {
        indicator.formula ?? municipalities[indicator.municipalityCode]?.lowerIsBetterFormula ?? .default
    }

    /// 達成率 of one yearly value.
    public func achievementRate(_ value: IndicatorValueRecord) -> AchievementRate.Result {
        let key = IndicatorKey(municipality: value.municipalityCode, owner: value.owner, name: value.indicatorName)
        guard let indicator = indicators[key] else { return .failure(.qualitative) }
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
        guard let current = budget.budget,
              let previous = budgets[ProgramKey(municipality: budget.municipalityCode, program: budget.program)]?[budget.fiscalYear - 1]?.budget
        else { return nil }
        let threshold = municipalities[budget.municipalityCode]?.budgetTrendThresholdPercent ?? BudgetTrend.defaultThresholdPercent
        return BudgetTrend.classify(previous: previous, current: current, thresholdPercent: threshold)
    }

    /// トータルコスト = 事業費 (決算額, else 予算額) + 人件費.
    public func totalCost(_ budget: BudgetRecord) -> Money? {
        guard let cost = budget.settlement ?? budget.budget else { return nil }
        return HyokaCore.totalCost(programCost: cost, personnelCost: budget.personnelCost ?? .zero)
    }

    /// The rates of a program's KPIs in a fiscal year.
    public func programRates(municipality: String, program: String, fiscalYear: Int) -> [Decimal] {
        (indicatorsByProgram[ProgramKey(municipality: municipality, program: program)] ?? []).compactMap { indicator in
            let key = IndicatorKey(municipality: municipality, owner: indicator.owner, name: indicator.name)
            guard let value = values[key]?[fiscalYear] else { return nil }
            return try? achievementRate(value).get()
        }
    }

    /// The grade suggested beside an evaluation of a program, from its KPIs' rates that year.
    public func suggestedGrade(_ evaluation: EvaluationRecord) -> String? {
        guard case let .program(name) = evaluation.subject else { return nil }
        let rates = programRates(municipality: evaluation.municipalityCode, program: name, fiscalYear: evaluation.fiscalYear)
        return GradeScale.evaluation.suggestedGrade(forRates: rates)?.label
    }

    /// 過去最高: the figure is the highest of its name over the years held.
    public func isRecordHigh(_ figure: HeadlineFigureRecord) -> Bool {
        guard let value = Measure.parse(figure.valueRaw).numericValue,
              let maximum = headlineMaxima[HeadlineKey(municipality: figure.municipalityCode, name: figure.name)] else { return false }
        return value == maximum
    }

    public func indicator(for value: IndicatorValueRecord) -> IndicatorRecord? {
        indicators[IndicatorKey(municipality: value.municipalityCode, owner: value.owner, name: value.indicatorName)]
    }
}
