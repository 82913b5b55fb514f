import Foundation

/// Normalization of text copied from Japanese sheets and PDF extractions.
public enum JapaneseText {
    /// A name as it is spelled apart from 表記ゆれ: NFKC, without spaces, long-vowel marks,
    /// dashes and middle dots, hiragana as katakana, small kana as large. 「多文化共生ワンストップ
    /// インフォーメーションセンター」 and 「…インフォメーション…」 give the same key.
    public static func spellingKey(_ text: String) -> String {
        let dropped: Set<Unicode.Scalar> = ["ー", "-", "‐", "－", "−", "―", "・", "･", "~", "〜"]
        let small: [Unicode.Scalar: Unicode.Scalar] = ["ァ": "ア", "ィ": "イ", "ゥ": "ウ", "ェ": "エ", "ォ": "オ", "ッ": "ツ", "ャ": "ヤ", "ュ": "ユ", "ョ": "ヨ", "ヮ": "ワ", "ヵ": "カ", "ヶ": "ケ"]
        var out = String.UnicodeScalarView()
        for scalar in compact(text).unicodeScalars where !dropped.contains(scalar) {
            // Hiragana ぁ–ゖ sit 0x60 below their katakana.
            let katakana = (0x3041...0x3096).contains(scalar.value) ? Unicode.Scalar(scalar.value + 0x60) ?? scalar : scalar
            out.append(small[katakana] ?? katakana)
        }
        return String(out)
    }

    /// The form a search compares, on both sides: the spelling key in lower case, with the
    /// common 表記ゆれ of administrative words folded to one spelling: 子供・子ども・こども,
    /// 障害・障がい・障碍, okurigana (取組・取り組み, 申込・申し込み, 手続・手続き) and
    /// まちづくり・まち作り. A person types one spelling; the city printed another.
    public static func searchForm(_ text: String) -> String {
        var folded = spellingKey(text).lowercased()
        for (variant, canonical) in searchVariants where folded.contains(variant) {
            folded = folded.replacingOccurrences(of: variant, with: canonical)
        }
        return folded
    }

    /// Spelling variants as `spellingKey` leaves them (hiragana already katakana), longest
    /// first so that 取リ組ミ is folded before 取リ組.
    static let searchVariants: [(String, String)] = [
        ("取リ組ミ", "取組"), ("取リ組", "取組"), ("取組ミ", "取組"),
        ("申シ込ミ", "申込"), ("申シ込", "申込"), ("申込ミ", "申込"),
        ("引キ継ギ", "引継"), ("引継ギ", "引継"), ("受ケ付ケ", "受付"), ("受付ケ", "受付"),
        ("手続キ", "手続"), ("子ドモ", "コドモ"), ("子供", "コドモ"), ("障ガイ", "障害"), ("障碍", "障害"),
        ("作リ", "ヅクリ"), ("ツクリ", "ヅクリ"),
    ]

    /// NFKC (full-width digits, letters and punctuation become ASCII: `６，０４４` → `6,044`,
    /// `（` → `(`), with every kind of whitespace removed. PDF extraction breaks cells at
    /// arbitrary points (`1,500,0 00件`, `R5年 度`, `80%以 上`), so spaces carry no meaning
    /// inside a value.
    public static func compact(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping
        return String(folded.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }.map(Character.init))
    }

    /// NFKC with runs of whitespace collapsed to one space and the ends trimmed: for
    /// names and labels, where a space may be meaningful.
    public static func tidy(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping
        return folded.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Joins text that PDF extraction broke with spaces (`公立大学法人 北九州市立大 学運営事業`):
    /// whitespace is removed unless it stands between two ASCII characters (`KitaQ Fes`,
    /// `A (計画どおり)` keep theirs). Width is left as written.
    public static func unwrap(_ text: String) -> String {
        var out = ""
        var pendingSpace = false
        for c in text {
            if c.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace, let last = out.last, last.isASCII, c.isASCII { out.append(" ") }
            pendingSpace = false
            out.append(c)
        }
        return out
    }

    /// The characters that mean "no value" in a cell: em dash, horizontal bar, full-width
    /// and ASCII hyphens, minus sign and the box-drawing line some PDFs use.
    public static let dashes: Set<String> = ["—", "―", "-", "－", "−", "─", "ー", "–", "‐"]
}
