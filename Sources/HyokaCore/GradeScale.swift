import Foundation

/// A grade scale is configuration, not code: a municipality may rename grades, add one or
/// move a threshold. A scale lists its grades best first; a grade with a lower bound can
/// be suggested from an achievement rate.
public struct GradeScale: Hashable, Sendable, Codable {
    public struct Grade: Hashable, Sendable, Codable {
        /// The label printed on sheets (`順調`).
        public var label: String
        public var english: String
        /// The rate in percent from which this grade applies; nil for grades that are only
        /// ever chosen by a person (`取組なし`, 方向性 labels).
        public var minimumRate: Decimal?
        /// Whether `minimumRate` itself belongs to this grade (`到達` = 100%) or only rates
        /// above it (`上回る` > 100%).
        public var includesMinimum: Bool
        /// Other spellings read as this grade (`拡大` for `拡充`).
        public var aliases: [String]

        public init(_ label: String, english: String, minimumRate: Decimal? = nil, includesMinimum: Bool = true, aliases: [String] = []) {
            self.label = label
            self.english = english
            self.minimumRate = minimumRate
            self.includesMinimum = includesMinimum
            self.aliases = aliases
        }

        func admits(_ rate: Decimal) -> Bool {
            guard let minimumRate else { return false }
            return includesMinimum ? rate >= minimumRate : rate > minimumRate
        }
    }

    /// A stable identifier (`evaluation`, `manifesto`, `direction`).
    public var id: String
    public var name: String
    public var grades: [Grade]

    public init(id: String, name: String, grades: [Grade]) {
        self.id = id
        self.name = name
        self.grades = grades
    }

    /// Finds a grade by its label or an alias; spaces from PDF extraction are ignored
    /// (`大変 順調` is 大変順調).
    public func grade(named text: String) -> Grade? {
        // Most texts are a label as written: found without normalizing anything.
        if let exact = grades.first(where: { $0.label == text }) { return exact }
        let key = JapaneseText.compact(text)
        return grades.first { JapaneseText.compact($0.label) == key || $0.aliases.contains(where: { JapaneseText.compact($0) == key }) }
    }

    /// The best grade whose lower bound the rate meets. A rate below every bound (a
    /// negative rate from the two-minus formula) gets the lowest rated grade.
    public func grade(forRate rate: Decimal) -> Grade? {
        grades.first { $0.admits(rate) } ?? grades.last { $0.minimumRate != nil }
    }

    /// Suggests a grade from the rates of a program's KPIs: their mean, so that one KPI far
    /// ahead offsets one slightly behind as evaluators do (50% and 175% → 順調). KPIs
    /// without a rate are left out; with no rate at all there is no suggestion.
    public func suggestedGrade(forRates rates: [Decimal]) -> Grade? {
        guard !rates.isEmpty else { return nil }
        let mean = rates.reduce(0, +) / Decimal(rates.count)
        return grade(forRate: mean)
    }

    /// Steps between two grades of the scale (0 = same), for the "grade far from the
    /// suggestion" lint; nil when either is not on the scale.
    public func distance(from a: String, to b: String) -> Int? {
        guard let first = grade(named: a)?.label, let second = grade(named: b)?.label,
              let i = grades.firstIndex(where: { $0.label == first }),
              let j = grades.firstIndex(where: { $0.label == second }) else { return nil }
        return abs(i - j)
    }
}

extension GradeScale {
    /// 事業評価 / 施策評価. Thresholds from the published sheets: 100% → 順調, 92–95% →
    /// 概ね順調, 61.4% → やや遅れ, 38% → 遅れ, 124–362% → 大変順調.
    public static let evaluation = GradeScale(id: "evaluation", name: "事業評価・施策評価", grades: [
        Grade("大変順調", english: "Well ahead", minimumRate: 120),
        Grade("順調", english: "On track", minimumRate: 100),
        Grade("概ね順調", english: "Mostly on track", minimumRate: 80),
        Grade("やや遅れ", english: "Slightly behind", minimumRate: 50),
        Grade("遅れ", english: "Behind", minimumRate: 0),
    ])

    /// 部局マニフェストの自己評価 (department-manifesto.txt): 上回る (>100%), 到達 (=100%),
    /// わずかに届かず (90–<100%), 届かず (60–<90%), 遠い (<60%), 取組なし.
    public static let manifesto = GradeScale(id: "manifesto", name: "部局マニフェスト自己評価", grades: [
        Grade("上回る", english: "Exceeded", minimumRate: 100, includesMinimum: false),
        Grade("到達", english: "Reached", minimumRate: 100),
        Grade("わずかに届かず", english: "Just short", minimumRate: 90),
        Grade("届かず", english: "Short", minimumRate: 60),
        Grade("遠い", english: "Far short", minimumRate: 0),
        Grade("取組なし", english: "No action taken"),
    ])

    /// 今後の方向性 / 成果の方向性: chosen by people, never computed.
    public static let direction = GradeScale(id: "direction", name: "今後の方向性", grades: [
        Grade("拡充", english: "Expand", aliases: ["拡大"]),
        Grade("継続", english: "Continue"),
        Grade("改善", english: "Improve"),
        Grade("縮小", english: "Reduce"),
        Grade("統合", english: "Merge"),
        Grade("休止", english: "Suspend"),
        Grade("廃止", english: "Abolish"),
        Grade("完了", english: "Completed"),
    ])

    public static let defaults: [GradeScale] = [.evaluation, .manifesto, .direction]
}
