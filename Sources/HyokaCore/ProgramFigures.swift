import Foundation

/// Every value Hyoka derives from one program's stored figures: each KPI's 達成率 (or why
/// there is none), 事業費の増減, トータルコスト, 執行率 and the grade the rates suggest.
/// The one derivation: the read model written at publication, the sheet, the API, the
/// workbook export, the open-data bundle, the checks and the staff form all ask it, so a
/// figure cannot be computed two ways.
public struct ProgramFigures: Sendable {
    /// One fiscal year's money as stored.
    public struct YearMoney: Sendable, Equatable {
        /// 予算額
        public var budget: Money?
        /// 決算額
        public var settlement: Money?
        /// 人件費
        public var personnelCost: Money?

        public init(budget: Money?, settlement: Money?, personnelCost: Money?) {
            self.budget = budget
            self.settlement = settlement
            self.personnelCost = personnelCost
        }

        public var isEmpty: Bool { budget == nil && settlement == nil }
    }

    /// One KPI: what its rate depends on, and its stored target and actual texts by year.
    public struct KPI: Sendable {
        public var stored: StoredKPI
        public var values: [Int: (target: String, actual: String)]

        public init(stored: StoredKPI, values: [Int: (target: String, actual: String)]) {
            self.stored = stored
            self.values = values
        }
    }

    public let budgets: [Int: YearMoney]
    public let kpis: [KPI]
    /// 増減 is 増額/減額 past this many percent (the municipality's setting), else 現状維持.
    public let thresholdPercent: Decimal
    /// Each KPI's 達成率 (or why there is none) by year, derived once here: a list row, its
    /// suggested grade and the sheet's KPI table all read the same results (deriving them
    /// again for each was a third of computing a municipality's read model).
    private let results: [[Int: AchievementRate.Result]]

    public init(budgets: [Int: YearMoney], kpis: [KPI], thresholdPercent: Decimal = BudgetTrend.defaultThresholdPercent,
                parse: @escaping @Sendable (String) -> Measure = { Measure.parse($0) }) {
        self.budgets = budgets
        self.kpis = kpis
        self.thresholdPercent = thresholdPercent
        results = kpis.map { kpi in
            var byYear: [Int: AchievementRate.Result] = [:]
            for (year, value) in kpi.values {
                byYear[year] = kpi.stored.rate(target: value.target, actual: value.actual, previousActual: kpi.values[year - 1]?.actual, parse: parse)
            }
            return byYear
        }
    }

    // MARK: Money

    /// トータルコスト = 事業費 + 人件費, where 事業費 is the 決算額, or the 予算額 while no
    /// settlement is stored; nil when neither is.
    public func totalCost(in year: Int) -> Money? {
        guard let money = budgets[year], let cost = money.settlement ?? money.budget else { return nil }
        return HyokaCore.totalCost(programCost: cost, personnelCost: money.personnelCost ?? .zero)
    }

    /// Whether the year's トータルコスト stands on the 予算額 because no 決算額 is stored.
    public func totalCostUsesBudget(in year: Int) -> Bool {
        budgets[year].map { $0.settlement == nil && $0.budget != nil } ?? false
    }

    /// 事業費の増減 of the year's 予算額 against the previous year's; nil without both.
    public func trend(in year: Int) -> BudgetTrend? {
        guard let now = budgets[year]?.budget, let before = budgets[year - 1]?.budget else { return nil }
        return BudgetTrend.classify(previous: before, current: now, thresholdPercent: thresholdPercent)
    }

    /// 増減額: the year's 予算額 less the previous year's; nil without both.
    public func budgetChange(in year: Int) -> Money? {
        guard let now = budgets[year]?.budget, let before = budgets[year - 1]?.budget else { return nil }
        return now - before
    }

    /// 増減率 in percent; nil without both budgets or when the previous one is zero.
    public func budgetChangePercent(in year: Int) -> Decimal? {
        guard let now = budgets[year]?.budget, let before = budgets[year - 1]?.budget else { return nil }
        return BudgetTrend.changePercent(previous: before, current: now)
    }

    /// 執行率 = 決算額 ÷ 予算額 in percent; nil without both or with a zero budget.
    public func executionRate(in year: Int) -> Decimal? {
        guard let money = budgets[year], let budget = money.budget, let settlement = money.settlement else { return nil }
        return HyokaCore.executionRate(budget: budget, settlement: settlement)
    }

    /// The latest year holding a 予算額 or 決算額 among `years`: the year a list row's money
    /// is of (an evaluation sheet may print a year ahead).
    public func latestBudgetYear(among years: some Sequence<Int>) -> Int? {
        years.filter { budgets[$0].map { !$0.isEmpty } ?? false }.max()
    }

    // MARK: KPIs

    /// 達成率 of one KPI in a year, or why there is none; nil when the year holds no value.
    public func rate(of kpi: Int, in year: Int) -> AchievementRate.Result? {
        guard results.indices.contains(kpi) else { return nil }
        return results[kpi][year]
    }

    /// The rates of the year's KPIs that have one, in KPI order.
    public func rates(in year: Int) -> [Decimal] {
        kpis.indices.compactMap { try? rate(of: $0, in: year)?.get() }
    }

    /// The grade the year's rates suggest (their mean on the evaluation scale).
    public func suggestedGrade(in year: Int) -> GradeScale.Grade? {
        GradeScale.evaluation.suggestedGrade(forRates: rates(in: year))
    }
}
