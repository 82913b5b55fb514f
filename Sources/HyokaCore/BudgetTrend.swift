import Foundation

/// 事業費の増減: how this year's budget compares with last year's.
public enum BudgetTrend: String, CaseIterable, Sendable, Codable {
    /// 増額
    case increase
    /// 維持
    case maintain
    /// 減額
    case decrease

    public var japanese: String {
        switch self {
        case .increase: "増額"
        case .maintain: "維持"
        case .decrease: "減額"
        }
    }

    public var english: String {
        switch self {
        case .increase: "Increase"
        case .maintain: "Maintain"
        case .decrease: "Decrease"
        }
    }

    public init?(japanese: String) {
        guard let trend = BudgetTrend.allCases.first(where: { $0.japanese == JapaneseText.compact(japanese) }) else { return nil }
        self = trend
    }

    /// The default threshold in percent: a change smaller than 5% in either direction is 維持.
    /// All 38 budget pairs of the published 施策評価 sheet agree with it (−4.55% 維持, −5.33% 減額).
    public static let defaultThresholdPercent: Decimal = 5

    /// Classifies the change from `previous` to `current`. A change whose magnitude is
    /// below `thresholdPercent` of the previous budget is 維持; at or above it, 増額 or 減額.
    /// From nothing to something is 増額.
    public static func classify(previous: Money, current: Money, thresholdPercent: Decimal = defaultThresholdPercent) -> BudgetTrend {
        if previous.yen == 0 {
            return current.yen == 0 ? .maintain : (current.yen > 0 ? .increase : .decrease)
        }
        let change = Decimal(current.yen - previous.yen) / Decimal(abs(previous.yen)) * 100
        if abs(change) < thresholdPercent { return .maintain }
        return change > 0 ? .increase : .decrease
    }

    /// The change in percent, rounded half up to two decimals (−4.55 for 46,190 → 44,090).
    public static func changePercent(previous: Money, current: Money) -> Decimal? {
        guard previous.yen != 0 else { return nil }
        return Money.roundedHalfUp(Decimal(current.yen - previous.yen) / Decimal(abs(previous.yen)) * 100, scale: 2)
    }
}
