import Foundation
import HyokaCore
import Plot

/// A horizontal bar chart in HTML: each bar's label and figure are text, so they wrap and
/// stay legible on a 390 px phone and a screen reader reads them; the bar itself is a small
/// SVG drawn from zero to the value, on one scale for the whole chart. Widths are SVG
/// attributes, not inline styles, so the portal's CSP (`style-src 'self'`) holds.
enum BarList {
    /// One kind of figure drawn in every row (予算, 決算), with its colour.
    struct Series: Sendable {
        var name: String
        var color: String
    }

    struct Bar: Sendable {
        var label: String
        /// The page a bar's label leads to, if any.
        var href: String? = nil
        /// One value per series; nil is not published (no bar, 「—」).
        var values: [Money?]
        /// The label is the city's own text (`lang="ja"` on an English page).
        var cityText = true
    }

    static let budget = Series(name: "予算", color: "#0b4f8a")
    static let settlement = Series(name: "決算", color: "#7a9cc6")

    /// nil when no bar has a positive value: an empty chart says nothing.
    static func node(title: String, series: [Series], bars: [Bar], l: PortalLanguage) -> Node<HTML.BodyContext>? {
        let largest = bars.flatMap { $0.values.compactMap { $0?.yen } }.max() ?? 0
        guard largest > 0 else { return nil }
        func bar(_ value: Money?, _ series: Series) -> Node<HTML.BodyContext> {
            // Out of 1,000 so that a small program still shows a sliver; a negative figure
            // (a refund) draws nothing but keeps its text.
            let width = value.map { max(0, Double($0.yen) / Double(largest) * 1000) } ?? 0
            let svg = String(format: "<svg class=\"bar\" viewBox=\"0 0 1000 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\" focusable=\"false\">"
                + "<rect x=\"0\" y=\"0\" width=\"%.1f\" height=\"10\" fill=\"%@\"/></svg>", width, series.color)
            let figure = value.map { "\($0.approximate(japanese: l == .ja))（\(l.thousandYen($0))）" } ?? "—"
            return .div(.class("bar-row"), .raw(svg),
                        .span(.class("bar-value"), .text((series.name.isEmpty ? "" : l(series.name, english(series.name)) + " ") + figure)))
        }
        return .div(.class("bars"),
            .h3(.text(title), .span(.class("note"), .text(l("（棒は0から、全体で同じ尺度）", " (bars start at zero, on one scale)")))),
            .ol(.forEach(bars) { item in
                let label: Node<HTML.BodyContext> = item.cityText ? l.cityText(item.label) : .text(item.label)
                let linked: Node<HTML.BodyContext> = item.href.map { href in .a(.href(href), item.cityText ? l.cityText(item.label) : .text(item.label)) } ?? label
                return .li(.div(.class("bar-label"), linked),
                           .group(zip(item.values, series).map { bar($0, $1) }))
            }))
    }

    private static func english(_ japanese: String) -> String {
        switch japanese {
        case "予算": "Budget"
        case "決算": "Settlement"
        default: japanese
        }
    }
}
