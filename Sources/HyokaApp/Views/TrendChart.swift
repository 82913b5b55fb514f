import Foundation
import HyokaCore

/// A KPI's targets and actuals over the years as an SVG line chart, drawn on the server.
/// Only numeric values are plotted; the chart has a title and a text description.
enum TrendChart {
    struct Point { let year: Int; let target: Decimal?; let actual: Decimal? }

    /// nil unless at least two years have a number: one year is no trend.
    /// `unit` is drawn at the top right (「単位: 件」), already in the page's language.
    static func svg(_ points: [Point], title: String, yearLabel: (Int) -> String, id: String, legend: (target: String, actual: String),
                    unit: String? = nil) -> String? {
        let values = points.flatMap { [$0.target, $0.actual].compactMap { $0 } }
        guard points.filter({ $0.target != nil || $0.actual != nil }).count >= 2, let low = values.min(), let high = values.max() else { return nil }
        // Labels at 15 units of a 520-wide view read at about 10 px on a 390 px phone.
        let width = 520.0, height = 200.0, left = 64.0, right = 44.0, top = 24.0, bottom = 40.0
        // The axis starts at zero (or below, for a negative value), so that a line does not
        // make 79 % against 83 % look like a doubling.
        let floor = min(0, low), top0 = max(high, 0)
        let span = top0 == floor ? max(abs(top0), 1) : top0 - floor
        let ceiling = top0 + span * 0.1
        func y(_ v: Decimal) -> Double {
            let share = NSDecimalNumber(decimal: (v - floor) / (ceiling - floor)).doubleValue
            return top + (1 - share) * (height - top - bottom)
        }
        func x(_ index: Int) -> Double {
            points.count == 1 ? left : left + Double(index) * (width - left - right) / Double(points.count - 1)
        }
        func line(_ pick: (Point) -> Decimal?, color: String, dash: String) -> String {
            let coordinates = points.enumerated().compactMap { i, p in pick(p).map { String(format: "%.1f,%.1f", x(i), y($0)) } }
            guard !coordinates.isEmpty else { return "" }
            let circles = points.enumerated().compactMap { i, p in pick(p).map { v in
                String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%@\"/>", x(i), y(v), color) } }.joined()
            return "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" stroke-dasharray=\"\(dash)\" points=\"\(coordinates.joined(separator: " "))\"/>" + circles
        }
        let labels = points.enumerated().map { i, p in
            String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"15\" text-anchor=\"middle\">%@</text>", x(i), height - bottom + 20, HTMLEscaping.escape(yearLabel(p.year)))
        }.joined()
        let axis = Array(Set([high, floor])).sorted().map { v in String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"14\" text-anchor=\"end\">%@</text>", left - 6, y(v) + 5,
                                                 HTMLEscaping.escape(NSDecimalNumber(decimal: v).stringValue)) }.joined()
        let description = points.map { p in
            "\(yearLabel(p.year)): \(legend.target) \(p.target.map { NSDecimalNumber(decimal: $0).stringValue } ?? "—"), \(legend.actual) \(p.actual.map { NSDecimalNumber(decimal: $0).stringValue } ?? "—")"
        }.joined(separator: "; ")
        return """
        <svg class="chart" role="img" aria-labelledby="\(id)-t \(id)-d" viewBox="0 0 \(Int(width)) \(Int(height))" width="100%" xmlns="http://www.w3.org/2000/svg">\
        <title id="\(id)-t">\(HTMLEscaping.escape(title))</title><desc id="\(id)-d">\(HTMLEscaping.escape(description))</desc>\
        <line x1="\(left)" y1="\(height - bottom)" x2="\(width - right)" y2="\(height - bottom)" stroke="#555"/>\
        <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(height - bottom)" stroke="#555"/>\(axis)\(labels)\
        \(line(\.target, color: "#555555", dash: "5 4"))\(line(\.actual, color: "#0b4f8a", dash: "none"))\
        <text x="\(left)" y="15" font-size="15" fill="#555555">- - \(HTMLEscaping.escape(legend.target))</text>\
        <text x="\(left + 110)" y="15" font-size="15" fill="#0b4f8a">── \(HTMLEscaping.escape(legend.actual))</text>\
        \(unit.map { "<text x=\"\(width - right)\" y=\"15\" font-size=\"14\" text-anchor=\"end\" fill=\"#555555\">\(HTMLEscaping.escape($0))</text>" } ?? "")</svg>
        """
    }
}
