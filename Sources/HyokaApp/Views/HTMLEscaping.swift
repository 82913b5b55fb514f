/// Plot escapes text nodes but writes attribute values as it is given them: a value that
/// can carry what a person typed (a KPI value, a search, a `next` address) passes here, so
/// that `"` cannot end the attribute and `<` cannot start markup. The browser shows the
/// original text.
enum HTMLEscaping {
    static func attribute(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }
}
