/**
*  Plot
*  Copyright (c) John Sundell 2019
*  MIT license, see LICENSE file for details
*/

// Hyoka's patch (HYOKA-PATCH.md): upstream passes `&name;` and `&#…;` through unescaped in
// text and writes attribute values verbatim, so `"><script>` in a value breaks out of the
// attribute. Every character that means something in HTML is escaped here, in the one place
// all rendering goes through; a value is never markup.
internal extension String {
    /// Text between tags.
    func escaped() -> String {
        escaping(quotes: false)
    }

    /// An attribute value, always written between double quotes.
    func escapedForAttribute() -> String {
        escaping(quotes: true)
    }

    private func escaping(quotes: Bool) -> String {
        guard contains(where: { $0 == "<" || $0 == ">" || $0 == "&" || (quotes && ($0 == "\"" || $0 == "'")) }) else {
            return self
        }
        var result = ""
        result.reserveCapacity(utf8.count + 16)
        for character in unicodeScalars {
            switch character {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\"" where quotes: result += "&quot;"
            case "'" where quotes: result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }
}
