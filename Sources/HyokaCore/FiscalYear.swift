import Foundation

/// 和暦 eras that appear in municipal documents. An era year n is Gregorian `offset + n`.
public enum Era: String, CaseIterable, Sendable, Codable {
    /// 令和 (2019-05-01 onwards). 令和元年 = 2019.
    case reiwa
    /// 平成 (1989-01-08 to 2019-04-30). 平成元年 = 1989.
    case heisei
    /// 昭和 (1926-12-25 to 1989-01-07). 昭和元年 = 1926.
    case showa

    public var kanji: String {
        switch self {
        case .reiwa: "令和"
        case .heisei: "平成"
        case .showa: "昭和"
        }
    }

    public var offset: Int {
        switch self {
        case .reiwa: 2018
        case .heisei: 1988
        case .showa: 1925
        }
    }

    /// Spellings accepted before the year number, longest first so that `令和` wins over `令`.
    static let prefixes: [(String, Era)] = [
        ("令和", .reiwa), ("平成", .heisei), ("昭和", .showa),
        ("令", .reiwa), ("平", .heisei), ("昭", .showa),
        ("R", .reiwa), ("H", .heisei), ("S", .showa),
        ("r", .reiwa), ("h", .heisei), ("s", .showa),
    ]

    /// The era used to print a fiscal year. A fiscal year is named by the era in force at
    /// its end, so FY2019 (April 2019 – March 2020) is 令和元年度, and FY1988 is 昭和63年度.
    public static func forFiscalYear(_ year: Int) -> Era? {
        if year >= 2019 { return .reiwa }
        if year >= 1989 { return .heisei }
        if year >= 1926 { return .showa }
        return nil
    }
}

/// 年度: a Japanese fiscal year, April to March, kept as the Gregorian year it starts in.
public struct FiscalYear: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int

    public init(_ year: Int) { self.year = year }

    /// Parses `令和5年度`, `令和元年度`, `R5`, `R5年度`, `令5`, `H25`, `平成31年度`, `2023年度`,
    /// `FY2023`, `2023`, full-width forms. A calendar year (`H27年`) or a month (`R7.2月`) is
    /// not a fiscal year: use `YearReference.parse` for those.
    public init?(parsing text: String) {
        guard let reference = YearReference.parse(text), reference.unit != .calendarYear, reference.month == nil else {
            return nil
        }
        self.year = reference.year
    }

    /// The fiscal year a date falls in (the year starts on 1 April, Japan time).
    public init(containing date: Date, calendar: Calendar = .japan) {
        let parts = calendar.dateComponents([.year, .month], from: date)
        let year = parts.year ?? 0
        self.year = (parts.month ?? 1) >= 4 ? year : year - 1
    }

    public var era: Era? { Era.forFiscalYear(year) }

    /// `令和5年度`, `令和元年度`.
    public var japanese: String {
        guard let era else { return gregorian }
        let n = year - era.offset
        return "\(era.kanji)\(n == 1 ? "元" : String(n))年度"
    }

    /// `R5`, the short form used in table headers.
    public var shortJapanese: String {
        guard let era else { return gregorian }
        let letter = switch era { case .reiwa: "R"; case .heisei: "H"; case .showa: "S" }
        return "\(letter)\(year - era.offset)"
    }

    /// `2023年度`.
    public var gregorian: String { "\(year)年度" }

    /// `令和5年度（2023年度）`: both forms, as printed on sheets.
    public var both: String { era == nil ? gregorian : "\(japanese)（\(gregorian)）" }

    /// `FY2023`, for English text.
    public var english: String { "FY\(year)" }

    public var description: String { japanese }

    public static func < (lhs: FiscalYear, rhs: FiscalYear) -> Bool { lhs.year < rhs.year }
}

extension Calendar {
    /// Gregorian calendar in Japan time: the fiscal year turns at midnight JST on 1 April.
    public static var japan: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tokyo") ?? .current
        return calendar
    }
}

/// A year as written in a cell, with what kind of year it is. Sheets mix 年度 (fiscal),
/// 年 (calendar) and bare `R5`; a month (`R7.2月`) also occurs.
public struct YearReference: Hashable, Sendable, Codable {
    public enum Unit: String, Sendable, Codable {
        /// 年度
        case fiscalYear
        /// 年
        case calendarYear
        /// `R5`, `2023`: no 年 or 年度 written.
        case unspecified
    }

    public let year: Int
    public let unit: Unit
    public let month: Int?

    public init(year: Int, unit: Unit, month: Int? = nil) {
        self.year = year
        self.unit = unit
        self.month = month
    }

    /// The whole text must be one year reference (after `JapaneseText.compact`).
    public static func parse(_ text: String) -> YearReference? {
        var scanner = YearScanner(JapaneseText.compact(text))
        guard let reference = scanner.scanYear(inheritedEra: nil, allowBareYear: true), scanner.isAtEnd else { return nil }
        return reference
    }

    /// The fiscal year this reference names, if it is not a calendar year or a month.
    public var fiscalYear: FiscalYear? {
        unit == .calendarYear || month != nil ? nil : FiscalYear(year)
    }
}

/// Scans era years out of compacted text. Shared by `YearReference` and `Measure`, which
/// finds years inside longer cells (`80%以上(R6年度)`, `(R2～R6年度)`).
struct YearScanner {
    let characters: [Character]
    private(set) var position: Int = 0
    /// The era of the last year scanned, so that `令和8～12年度` reads 12 as 令和12.
    private(set) var lastEra: Era?

    init(_ text: String) { characters = Array(text) }

    var isAtEnd: Bool { position >= characters.count }
    var rest: String { String(characters[position...]) }

    mutating func skip(_ count: Int) { position = min(characters.count, position + count) }

    /// Called at every character for every era name, so it compares in place (no arrays).
    func hasPrefix(_ prefix: String) -> Bool {
        var index = position
        for c in prefix {
            guard index < characters.count, characters[index] == c else { return false }
            index += 1
        }
        return true
    }

    /// Reads `[era]n[年度|年][.m月]` or `YYYY[年度|年]` or `FYYYYY` at the current position.
    /// Without an era, a number is read as a year only when it has four digits or when
    /// `inheritedEra` is given (the second half of a range, `令和8～12年度`). Inside a value
    /// (`2000人`) a bare four-digit number is a year only if 年 or 年度 follows it, unless
    /// `allowBareYear` says the whole text is a year.
    mutating func scanYear(inheritedEra: Era?, allowBareYear: Bool = false) -> YearReference? {
        let start = position
        var era: Era?
        var isFY = false
        if hasPrefix("FY") || hasPrefix("fy") { skip(2); isFY = true }
        if !isFY {
            for (prefix, candidate) in Era.prefixes where hasPrefix(prefix) {
                // A Latin letter counts as an era only when a digit follows (`R5`), not in `Rate`.
                let after = position + prefix.count
                let isLatin = prefix.first?.isASCII ?? false
                if isLatin, !(after < characters.count && characters[after].isNumber) { continue }
                era = candidate
                skip(prefix.count)
                break
            }
        }
        var number: Int?
        if era != nil, hasPrefix("元") {
            skip(1)
            number = 1
        } else {
            number = scanDigits()
        }
        guard let n = number else { position = start; return nil }
        let year: Int
        if let era {
            year = era.offset + n
        } else if isFY || n >= 1000 {
            year = n
        } else if let inheritedEra {
            era = inheritedEra
            year = inheritedEra.offset + n
        } else {
            position = start
            return nil
        }
        guard year >= 1868, year <= 2200 else { position = start; return nil }
        var unit: YearReference.Unit = isFY ? .fiscalYear : .unspecified
        var month: Int?
        if hasPrefix("年度") {
            skip(2)
            unit = .fiscalYear
        } else if hasPrefix(".") || hasPrefix("年") {
            // `R7.2月` or `R7年2月`: a month. `H27年` alone: a calendar year.
            let save = position
            skip(1)
            if let m = scanDigits(), (1...12).contains(m), hasPrefix("月") {
                skip(1)
                month = m
                unit = .calendarYear
            } else {
                position = save
                if hasPrefix("年") {
                    skip(1)
                    unit = .calendarYear
                } else {
                    position = save
                }
            }
        }
        if era == nil, !isFY, !allowBareYear, unit == .unspecified, inheritedEra == nil {
            position = start
            return nil
        }
        lastEra = era ?? lastEra
        return YearReference(year: year, unit: unit, month: month)
    }

    mutating func scanDigits() -> Int? {
        var value = 0
        var count = 0
        while position < characters.count, let d = characters[position].wholeNumberValue, characters[position].isASCII {
            value = value * 10 + d
            count += 1
            position += 1
            if count > 6 { return nil }
        }
        return count > 0 ? value : nil
    }
}
