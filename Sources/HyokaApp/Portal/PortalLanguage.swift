import HyokaCore
import Vapor

/// The portal's language: Japanese by default, English with `?lang=en`.
enum PortalLanguage: String, Sendable {
    case ja, en

    init(_ req: Request) {
        self = (try? req.query.get(String.self, at: "lang")).flatMap(PortalLanguage.init(rawValue:)) ?? .ja
    }

    /// Picks the text for this language.
    func callAsFunction(_ japanese: String, _ english: String) -> String {
        self == .ja ? japanese : english
    }

    var other: PortalLanguage { self == .ja ? .en : .ja }
    var switchLabel: String { self == .ja ? "English" : "日本語" }
}

extension PortalLanguage {
    /// 増減 in the page's language; 「—」 when there is none.
    func trend(_ trend: BudgetTrend?) -> String {
        trend.map { self($0.japanese, $0.english) } ?? "—"
    }

    /// A stored grade or direction (大変順調, 拡充) in the page's language: the scale's English
    /// for a label it knows; a label it does not know is the city's own and stays as stored.
    func label(_ stored: String?, on scale: GradeScale) -> String {
        guard let stored else { return "—" }
        guard self == .en, let grade = scale.grade(named: stored) else { return stored }
        return grade.english
    }

    /// An amount in thousands of yen with its unit: 「64,590千円」, "¥64,590 thousand".
    func thousandYen(_ money: Money) -> String {
        self == .ja ? money.thousandYenWithUnit : "¥\(money.thousandYenText) thousand"
    }

    /// A facet's stored value (grade, direction, 増減) in the page's language.
    func facetValue(_ value: String, key: String) -> String {
        switch key {
        case "grade": label(value, on: .evaluation)
        case "direction": label(value, on: .direction)
        case "trend": BudgetTrend(japanese: value).map { trend($0) } ?? value
        default: value
        }
    }
}
