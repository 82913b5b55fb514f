import Foundation

/// A histogram of achievement rates as SVG, drawn on the server. Bins of 20 points from 0
/// to 200%, with everything above in the last bin; an accessible title and a table-like
/// description for screen readers.
enum RateHistogram {
    static let edges: [Int] = [0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200]

    static func bins(_ rates: [Decimal]) -> [(label: String, count: Int)] {
        var counts = Array(repeating: 0, count: edges.count)
        for rate in rates {
            // As a Double: Decimal comparisons were most of the overview page's time.
            let value = NSDecimalNumber(decimal: rate).doubleValue
            let index = edges.lastIndex { value >= Double($0) } ?? 0
            counts[index] += 1
        }
        return edges.indices.map { i in
            (i == edges.count - 1 ? "200%〜" : "\(edges[i])〜\(edges[i + 1])%", counts[i])
        }
    }

    static func svg(_ rates: [Decimal], title: String) -> String {
        let data = bins(rates)
        // Labels at 18 units of a 640-wide view read at about 10 px on a 390 px phone.
        let width = 640, height = 240, left = 40, bottom = 48, top = 24
        let barWidth = (width - left - 10) / data.count
        let maximum = max(data.map(\.count).max() ?? 0, 1)
        var bars = ""
        for (i, bin) in data.enumerated() {
            let h = (height - bottom - top) * bin.count / maximum
            let x = left + i * barWidth
            let y = height - bottom - h
            let color = i >= 5 ? "#1b6e3a" : (i >= 4 ? "#6a8f2a" : "#a4161a")
            bars += "<rect x=\"\(x + 2)\" y=\"\(y)\" width=\"\(barWidth - 4)\" height=\"\(h)\" fill=\"\(color)\"><title>\(HTMLEscaping.escape(bin.label)): \(bin.count)</title></rect>"
            bars += "<text x=\"\(x + barWidth / 2)\" y=\"\(y - 2)\" font-size=\"18\" text-anchor=\"middle\">\(bin.count)</text>"
            bars += "<text x=\"\(x + barWidth / 2)\" y=\"\(height - bottom + 20)\" font-size=\"18\" text-anchor=\"middle\">\(HTMLEscaping.escape(String(bin.label.prefix { $0 != "〜" })))</text>"
        }
        let description = data.map { "\($0.label): \($0.count)" }.joined(separator: ", ")
        return """
        <svg class="chart wide" role="img" aria-labelledby="hist-title hist-desc" viewBox="0 0 \(width) \(height)" width="100%" xmlns="http://www.w3.org/2000/svg">\
        <title id="hist-title">\(HTMLEscaping.escape(title))</title><desc id="hist-desc">\(HTMLEscaping.escape(description))</desc>\
        <line x1="\(left)" y1="\(height - bottom)" x2="\(width - 10)" y2="\(height - bottom)" stroke="#555"/>\(bars)\
        <text x="\(width / 2)" y="\(height - 8)" font-size="16" text-anchor="middle">%</text></svg>
        """
    }

}
