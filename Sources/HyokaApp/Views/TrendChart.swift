import Foundation
import HyokaCore

/// A KPI's targets and actuals over the years as an SVG line chart, drawn on the server.
/// Only numeric values are plotted; the chart has a title and a text description.
enum TrendChart {
    struct Point { let year: Int; let target: Decimal?; let actual: Decimal? }

    /// nil unless at least two years have a number: one year is no trend.
    static func svg(_ points: [Point], title: String, yearLabel: (Int) -> String, id: String, legend: (target: String, actual: String)) -> String? {
        let values = points.flatMap { [$0.target, $0.actual].compactMap { $0 } }
        guard points.filter({ $0.target != nil || $0.actual != nil }).count >= 2, let low = values.min(), let high = values.max() else { return nil }
        let width = 520.0, height = 180.0, left = 56.0, right = 40.0, top = 16.0, bottom = 36.0
        let span = high == low ? max(abs(high), 1) : high - low
        let floor = low - span * 0.1, ceiling = high + span * 0.1
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
            String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">%@</text>", x(i), height - bottom + 16, HTMLEscaping.escape(yearLabel(p.year)))
        }.joined()
        let axis = [high, low].map { v in String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%@</text>", left - 6, y(v) + 4,
                                                 HTMLEscaping.escape(NSDecimalNumber(decimal: v).stringValue)) }.joined()
        let description = points.map { p in
            "\(yearLabel(p.year)): \(legend.target) \(p.target.map { NSDecimalNumber(decimal: $0).stringValue } ?? "—"), \(legend.actual) \(p.actual.map { NSDecimalNumber(decimal: $0).stringValue } ?? "—")"
        }.joined(separator: "; ")
        return """
        <svg class="chart" role="img" aria-labelledby="\(id)-t \(id)-d" viewBox="0 0 \(Int(width)) \(Int(height))" width="100%" style="max-width:\(Int(width))px" xmlns="http://www.w3.org/2000/svg">\
        <title id="\(id)-t">\(HTMLEscaping.escape(title))</title><desc id="\(id)-d">\(HTMLEscaping.escape(description))</desc>\
        <line x1="\(left)" y1="\(height - bottom)" x2="\(width - right)" y2="\(height - bottom)" stroke="#555"/>\(axis)\(labels)\
        \(line(\.target, color: "#555555", dash: "5 4"))\(line(\.actual, color: "#0b4f8a", dash: "none"))\
        <text x="\(left)" y="12" font-size="11" fill="#555555">- - \(HTMLEscaping.escape(legend.target))</text>\
        <text x="\(left + 90)" y="12" font-size="11" fill="#0b4f8a">── \(HTMLEscaping.escape(legend.actual))</text></svg>
        """
    }
}
