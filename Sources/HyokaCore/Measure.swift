import Foundation

/// A target, actual or baseline value as written on a sheet (`6,044件`, `80%以上 (R6年度)`,
/// `R5年度比増（R5：81.4%）`, `A (計画どおり)`, `単年度目標設定なし`), kept verbatim in `raw`
/// and parsed into its parts. Parsing never fails: text that is not a value is kept as
/// `.text`, so that nothing a sheet says is lost or silently dropped.
public struct Measure: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A number with its unit: `6,044件`, `177.4万人`, `80%以上`.
        case number
        /// A target relative to another value: `R5年比減`, `前年度比増`, `R5年度比増（R5：81.4%）`.
        case relative
        /// A qualitative grade: `A (計画どおり)`.
        case grade
        /// 単年度目標設定なし: deliberately no numeric target for the year.
        case noTarget
        /// `—`: the cell says there is no value.
        case dash
        /// なし: none (zero or not existing), as in `なし（令和7年度）`.
        case none
        /// Anything else: a qualitative statement (`ユネスコへの報告書作成`), a note.
        case text
        /// An empty cell.
        case empty
    }

    /// 以上, 以下, 増 … written after a number or in a relative target.
    public enum Comparator: String, Sendable, Codable, CaseIterable {
        /// 以上
        case atLeast
        /// 以下, 以内
        case atMost
        /// 超
        case moreThan
        /// 未満
        case lessThan
        /// 増, 増加
        case increase
        /// 減, 減少, 削減
        case decrease

        /// Whether meeting this comparator means a smaller value is better.
        public var impliesLowerIsBetter: Bool { self == .atMost || self == .lessThan || self == .decrease }
    }

    /// What span of time a number stands for.
    public enum Period: String, Sendable, Codable, CaseIterable {
        /// 毎年度, 毎年: the same target every year.
        case everyYear
        /// 累計: cumulative over the years given.
        case cumulative
        /// `n回/年`, `年n回`: a rate per year.
        case perYear
        /// `n人/月`, 月平均: a rate per month.
        case perMonth
    }

    /// The value a relative target refers to: `R5年度比増（R5：81.4%）` refers to 81.4% in R5.
    public struct Reference: Hashable, Sendable, Codable {
        /// `R5`, or nil for 前年度 (the previous year) or when no base is named.
        public var year: YearReference?
        /// 前年度比, 前年比: relative to the previous year.
        public var isPreviousYear: Bool
        /// The base value when the cell states it.
        public var value: Decimal?
        public var unit: String?
    }

    public var raw: String
    public var kind: Kind
    /// The number with its scale applied (`177.4万人` → 1,774,000).
    public var value: Decimal?
    /// The unit without the scale: `人` for `177.4万人`, `%`, `円`.
    public var unit: String?
    public var comparator: Comparator?
    public var period: Period?
    /// The year the value belongs to, or the last year of a range.
    public var year: YearReference?
    /// The first year of a range (`R2～R6年度`), nil when there is only one year.
    public var startYear: YearReference?
    /// 約: the number is approximate.
    public var isApproximate: Bool
    /// Words before the number: `登録者数計` in `登録者数計3,100人`, `検討会` in `検討会0回`.
    public var label: String?
    /// The grade letter of a `.grade` (`A`).
    public var grade: String?
    /// For `.relative`: what the target is relative to.
    public var reference: Reference?
    /// Text the parser kept but did not interpret (`計画どおり` in `A (計画どおり)`).
    public var note: String?

    public init(raw: String, kind: Kind) {
        self.raw = raw
        self.kind = kind
        self.isApproximate = false
    }

    /// Whether the value can stand in a calculation (a number, or a relative target that
    /// states its base value).
    public var numericValue: Decimal? {
        switch kind {
        case .number: value
        case .relative: reference?.value
        default: nil
        }
    }

    public static func parse(_ raw: String) -> Measure { MeasureParser.parse(raw) }
}
