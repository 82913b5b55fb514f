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
