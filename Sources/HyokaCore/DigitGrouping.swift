import Foundation

/// 桁区切り: whether a published number's commas group its digits in threes.
public enum DigitGrouping {
    /// True when a number in `text` has commas that do not group its digits in threes
    /// (「22,8億円」, a likely typo for 22.8億円; 「1,0000」): such a value is shown as
    /// published, with a note, rather than silently read as something else.
    public static func isIrregular(_ text: String) -> Bool {
        text.matches(of: /[0-9０-９]+(?:[,，][0-9０-９]+)+/).contains { match in
            let groups = match.output.split(whereSeparator: { $0 == "," || $0 == "，" }).map(\.count)
            return (groups.first ?? 0) > 3 || groups.dropFirst().contains { $0 != 3 }
        }
    }
}
