import Foundation

/// 財源内訳: how a year's program cost is paid for, in the five parts every Japanese sheet
/// uses. Any part may be unstated.
public struct FundingSources: Sendable, Equatable {
    /// 国庫支出金
    public var national: Money?
    /// 都道府県支出金
    public var prefectural: Money?
    /// 地方債
    public var bond: Money?
    /// その他（特定財源）
    public var otherSpecific: Money?
    /// 一般財源
    public var general: Money?

    public init(national: Money? = nil, prefectural: Money? = nil, bond: Money? = nil, otherSpecific: Money? = nil, general: Money? = nil) {
        self.national = national
        self.prefectural = prefectural
        self.bond = bond
        self.otherSpecific = otherSpecific
        self.general = general
    }

    /// The parts in the sheets' order, with their names.
    public var parts: [(japanese: String, english: String, amount: Money?)] {
        [("国庫支出金", "National treasury", national), ("都道府県支出金", "Prefecture", prefectural), ("地方債", "Municipal bonds", bond),
         ("その他", "Other specific", otherSpecific), ("一般財源", "General revenue", general)]
    }

    public var isEmpty: Bool { parts.allSatisfy { $0.amount == nil } }

    /// 一般財源 as a percent of the stated parts' sum, to one decimal (the share the city
    /// pays from its own general revenue); nil without both.
    public var generalShare: Decimal? {
        guard let general, let total, total.yen > 0 else { return nil }
        var share = Decimal(general.yen) * 100 / Decimal(total.yen), rounded = Decimal()
        NSDecimalRound(&rounded, &share, 1, .plain)
        return rounded
    }

    /// The sum of the stated parts (計); nil when none is stated.
    public var total: Money? {
        let stated = parts.compactMap(\.amount)
        return stated.isEmpty ? nil : stated.reduce(Money.zero, +)
    }
}
