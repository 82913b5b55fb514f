import Foundation

/// What a KPI (指標) holds that its 達成率 depends on besides the year's target and actual:
/// the direction, the formula for lower-is-better KPIs (its own, else the municipality's),
/// and the baseline (基準値), whose year may be written in its own column.
public struct StoredKPI: Sendable, Equatable {
    public var direction: IndicatorDirection
    public var formula: LowerIsBetterFormula
    public var baselineText: String
    public var baselineYear: Int?

    public init(direction: IndicatorDirection, formula: LowerIsBetterFormula, baselineText: String, baselineYear: Int?) {
        self.direction = direction
        self.formula = formula
        self.baselineText = baselineText
        self.baselineYear = baselineYear
    }

    /// The baseline with its year filled in from the year column when the text has none.
    public func baseline(parse: (String) -> Measure = Measure.parse) -> Measure {
        var baseline = parse(baselineText)
        if baseline.year == nil, let baselineYear { baseline.year = YearReference(year: baselineYear, unit: .unspecified) }
        return baseline
    }

    /// 達成率 of one year's stored texts: the one place the inputs of a rate are gathered,
    /// for the import's computed columns, the portal's sheet and list, the API, the open
    /// data and the staff form alike. `parse` lets a caller that reads many values parse
    /// each text once.
    public func rate(target: String, actual: String, previousActual: String?, parse: (String) -> Measure = Measure.parse) -> AchievementRate.Result {
        AchievementRate.compute(target: parse(target), actual: parse(actual), direction: direction, formula: formula,
                                baseline: baseline(parse: parse), previousActual: previousActual.map(parse))
    }
}
