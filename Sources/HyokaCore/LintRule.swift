import Foundation

/// The consistency checks of DESIGN.md ("lint"): published sheets contain mistakes, and
/// Hyoka reports them with the place and a message in Japanese and English.
public enum LintRule: String, CaseIterable, Sendable, Codable {
    /// The printed 達成率 differs from the one computed from target and actual.
    case rateMismatch = "rate-mismatch"
    /// The printed 事業費の増減 differs from the one computed from the two budgets.
    case trendMismatch = "trend-mismatch"
    /// The evaluator's grade is two or more steps from the grade the KPIs suggest.
    case gradeFarFromSuggestion = "grade-far-from-suggestion"
    /// An indicator's target year lies outside its plan's period.
    case targetYearOutsidePlan = "target-year-outside-plan"
    /// A rated indicator has no baseline (基準値).
    case indicatorWithoutBaseline = "indicator-without-baseline"
    /// The settlement (決算額) exceeds the budget (予算額).
    case settlementOverBudget = "settlement-over-budget"
    /// A program linked to a 施策 has no indicator.
    case programWithoutIndicator = "program-without-indicator"
    /// The indicator's direction had to be read off its printed rate, against what its
    /// targets say.
    case directionFromPublishedRate = "direction-from-published-rate"
    /// Two programs of one department whose names differ only in how they are written
    /// (インフォーメーション / インフォメーション): likely one program entered twice.
    case similarProgramNames = "similar-program-names"
    /// The 財源内訳 does not add up to the year's 事業費 (neither its 予算額 nor its 決算額).
    case fundingSumMismatch = "funding-sum-mismatch"
    /// 人件費 is not 延べ業務時間 × the municipality's hourly 人件費 (大船渡市: 4.0 千円).
    case personnelCostHours = "personnel-cost-hours"

    public enum Severity: String, Sendable, Codable, Comparable {
        case info, warning, error

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            let order: [Severity] = [.info, .warning, .error]
            return (order.firstIndex(of: lhs) ?? 0) < (order.firstIndex(of: rhs) ?? 0)
        }
    }

    public var severity: Severity {
        switch self {
        case .rateMismatch, .trendMismatch, .settlementOverBudget: .error
        case .gradeFarFromSuggestion, .targetYearOutsidePlan, .directionFromPublishedRate, .similarProgramNames, .fundingSumMismatch, .personnelCostHours: .warning
        case .indicatorWithoutBaseline, .programWithoutIndicator: .info
        }
    }

    public var japanese: String {
        switch self {
        case .rateMismatch: "達成率が計算値と違う"
        case .trendMismatch: "事業費の増減が計算値と違う"
        case .gradeFarFromSuggestion: "評価が達成率からの目安と大きく違う"
        case .targetYearOutsidePlan: "目標年度が計画期間の外"
        case .indicatorWithoutBaseline: "基準値のない指標"
        case .settlementOverBudget: "決算額が予算額を超えている"
        case .programWithoutIndicator: "指標のない事業"
        case .directionFromPublishedRate: "指標の方向を公表された達成率から判定"
        case .similarProgramNames: "表記だけが違う同じ課の事業（二重登録の可能性）"
        case .fundingSumMismatch: "財源内訳の合計が事業費と違う"
        case .personnelCostHours: "人件費が延べ業務時間×単価と違う"
        }
    }

    public var english: String {
        switch self {
        case .rateMismatch: "Achievement rate differs from the computed one"
        case .trendMismatch: "Budget trend differs from the computed one"
        case .gradeFarFromSuggestion: "Grade far from the one the KPIs suggest"
        case .targetYearOutsidePlan: "Target year outside the plan period"
        case .indicatorWithoutBaseline: "Indicator without a baseline"
        case .settlementOverBudget: "Settlement exceeds the budget"
        case .programWithoutIndicator: "Program without an indicator"
        case .directionFromPublishedRate: "Direction read off the published rate"
        case .similarProgramNames: "Programs of one department whose names differ only in spelling (entered twice?)"
        case .fundingSumMismatch: "Funding sources do not add up to the program cost"
        case .personnelCostHours: "Personnel cost is not the hours times the hourly cost"
        }
    }
}
