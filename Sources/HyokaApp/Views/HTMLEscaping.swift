/// Every page is rendered by Plot, whose renderer (patched in Vendor/Plot, see its
/// HYOKA-PATCH.md) escapes text and attribute values alike, so views pass plain values and
/// never escape. The two documents written as strings rather than with Plot, the SVG
/// histogram and the Atom feed, and the SVG trend chart, escape here, by the same rule.
enum HTMLEscaping {
    /// Text or a double- or single-quoted attribute value: `& < > " '` become references.
    static func escape(_ text: String) -> String {
        guard text.contains(where: { "&<>\"'".contains($0) }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
