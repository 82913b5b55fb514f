import Foundation

/// An amount of money in whole yen. Sheets print 千円; Hyoka stores yen so that totals
/// of lines entered in different units add up exactly.
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var yen: Int64

    public init(yen: Int64) { self.yen = yen }

    public static let zero = Money(yen: 0)

    /// The unit a bare number in a money column is written in.
    public enum Unit: String, Sendable, Codable, CaseIterable {
        case yen = "円"
        case thousandYen = "千円"
        case tenThousandYen = "万円"
        case millionYen = "百万円"
        case hundredMillionYen = "億円"

        public var factor: Decimal {
            switch self {
            case .yen: 1
            case .thousandYen: 1_000
            case .tenThousandYen: 10_000
            case .millionYen: 1_000_000
            case .hundredMillionYen: 100_000_000
            }
        }
    }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case notAnAmount(String)
        case fractionalYen(String)
        case outOfRange(String)

        public var description: String {
            switch self {
            case let .notAnAmount(text): "金額として読めません: 「\(text)」 (not an amount of money; write e.g. 2,665,000 or 22.8億円)"
            case let .fractionalYen(text): "円未満の端数があります: 「\(text)」 (the amount has a fraction of a yen)"
            case let .outOfRange(text): "金額が大きすぎます: 「\(text)」 (amount out of range)"
            }
        }
    }

    /// The marks that make an amount negative: a minus or hyphen, and △ ▲ as Japanese
    /// budget tables write a decrease (`△500` = −500).
    static let negativeMarks: Set<Character> = ["-", "−", "‐", "–", "△", "▲"]
    /// Kanji scales: a number written with one is a number of yen (`1.2億` is 1.2億円 in a
    /// 千円 field, not 1.2億千円).
    static let scaleKanji: Set<Character> = ["千", "万", "億", "兆"]
    /// The largest amount accepted, in yen (1,000兆円).
    public static let maximumAmount: Decimal = 1_000_000_000_000_000

    /// Parses `2,665,000` (in `defaultUnit`), `22.8億円`, `約450万円`, `80,400百万円`, `1,500円`,
    /// `△500`, `-1,200`, full-width forms. A unit or kanji scale written in the text wins over
    /// `defaultUnit`.
    public static func parse(_ text: String, defaultUnit: Unit = .yen) throws -> Money {
        var compact = JapaneseText.compact(text)
        var sign: Decimal = 1
        if let first = compact.first, negativeMarks.contains(first), compact.count > 1 {
            sign = -1
            compact.removeFirst()
        }
        let measure = Measure.parse(compact)
        guard measure.kind == .number, measure.comparator == nil, measure.reference == nil, let scaled = measure.value else { throw ParseError.notAnAmount(text) }
        let amount: Decimal
        switch measure.unit {
        case nil: amount = sign * (compact.contains(where: scaleKanji.contains) ? scaled : scaled * defaultUnit.factor)
        case "円": amount = sign * scaled
        default: throw ParseError.notAnAmount(text)
        }
        var rounded = Decimal()
        var source = amount
        NSDecimalRound(&rounded, &source, 0, .plain)
        guard rounded == amount else { throw ParseError.fractionalYen(text) }
        // 1,000兆円 is beyond any budget; the bound keeps every later sum (a city's
        // totals, トータルコスト) far from overflowing.
        guard abs(rounded) < maximumAmount, let yen = Int64(exactly: NSDecimalNumber(decimal: rounded)) else { throw ParseError.outOfRange(text) }
        return Money(yen: yen)
    }

    /// Thousands of yen, rounded half up, as sheets print them: `2,665,000`.
    public var thousandYenText: String {
        Money.grouped(Money.roundedHalfUp(Decimal(yen) / 1_000, scale: 0))
    }

    /// `2,665,000千円`.
    public var thousandYenWithUnit: String { thousandYenText + "千円" }

    /// `2,665,000,000円`.
    public var yenText: String { Money.grouped(Decimal(yen)) + "円" }

    public var description: String { yenText }

    /// An amount as a citizen reads it: 「約21.3億円」, 「約8,500万円」 (the exact 千円 figure
    /// belongs beside it); in English "about ¥2.13 billion", "about ¥85 million".
    public func approximate(japanese: Bool) -> String {
        let value = Decimal(yen), size = abs(yen)
        let sign = yen < 0 ? "-" : ""
        func fixed(_ decimal: Decimal, _ scale: Int) -> String {
            let rounded = Money.roundedHalfUp(abs(decimal), scale: scale)
            let text = NSDecimalNumber(decimal: rounded).stringValue
            guard scale > 0 else { return Money.grouped(rounded) }
            return text.contains(".") ? text : text + "." + String(repeating: "0", count: scale)
        }
        if japanese {
            if size >= 100_000_000 { return "約" + sign + fixed(value / 100_000_000, 1) + "億円" }
            if size >= 10_000 { return "約" + sign + fixed(value / 10_000, 0) + "万円" }
            return sign + Money.grouped(Decimal(size)) + "円"
        }
        if size >= 1_000_000_000 { return "about " + sign + "¥" + fixed(value / 1_000_000_000, 2) + " billion" }
        if size >= 1_000_000 { return "about " + sign + "¥" + fixed(value / 1_000_000, 1) + " million" }
        return sign + "¥" + Money.grouped(Decimal(size))
    }

    public static func + (lhs: Money, rhs: Money) -> Money { Money(yen: lhs.yen + rhs.yen) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(yen: lhs.yen - rhs.yen) }
    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.yen < rhs.yen }

    static func roundedHalfUp(_ value: Decimal, scale: Int) -> Decimal {
        var result = Decimal()
        var source = value
        NSDecimalRound(&result, &source, scale, .plain)
        return result
    }

    private static let groupedFormatter = SharedNumberFormatter { formatter in
        formatter.numberStyle = .decimal
        formatter.usesGroupingSeparator = true
        formatter.groupingSeparator = ","
        formatter.groupingSize = 3
        formatter.maximumFractionDigits = 0
    }

    static func grouped(_ value: Decimal) -> String {
        groupedFormatter.string(from: NSDecimalNumber(decimal: value)) ?? "\(value)"
    }
}

/// 執行率: settlement ÷ budget, as a percentage rounded half up to one decimal.
public func executionRate(budget: Money, settlement: Money) -> Decimal? {
    guard budget.yen > 0 else { return nil }
    return Money.roundedHalfUp(Decimal(settlement.yen) / Decimal(budget.yen) * 100, scale: 1)
}

/// トータルコスト: 事業費 + 人件費.
public func totalCost(programCost: Money, personnelCost: Money) -> Money { programCost + personnelCost }
