import Foundation

/// Katakana readings in Hepburn romanization as place names are written in English (road
/// signs, city websites): long vowels without marks (キュウシュウ → kyushu, オオフナト →
/// ofunato), ッ doubling the next consonant, ン as n.
public enum Romaji {
    private static let digraphs: [String: String] = [
        "キャ": "kya", "キュ": "kyu", "キョ": "kyo", "シャ": "sha", "シュ": "shu", "ショ": "sho", "チャ": "cha", "チュ": "chu", "チョ": "cho",
        "ニャ": "nya", "ニュ": "nyu", "ニョ": "nyo", "ヒャ": "hya", "ヒュ": "hyu", "ヒョ": "hyo", "ミャ": "mya", "ミュ": "myu", "ミョ": "myo",
        "リャ": "rya", "リュ": "ryu", "リョ": "ryo", "ギャ": "gya", "ギュ": "gyu", "ギョ": "gyo", "ジャ": "ja", "ジュ": "ju", "ジョ": "jo",
        "ビャ": "bya", "ビュ": "byu", "ビョ": "byo", "ピャ": "pya", "ピュ": "pyu", "ピョ": "pyo", "ヂャ": "ja", "ヂュ": "ju", "ヂョ": "jo",
    ]
    private static let monographs: [Character: String] = [
        "ア": "a", "イ": "i", "ウ": "u", "エ": "e", "オ": "o", "カ": "ka", "キ": "ki", "ク": "ku", "ケ": "ke", "コ": "ko",
        "サ": "sa", "シ": "shi", "ス": "su", "セ": "se", "ソ": "so", "タ": "ta", "チ": "chi", "ツ": "tsu", "テ": "te", "ト": "to",
        "ナ": "na", "ニ": "ni", "ヌ": "nu", "ネ": "ne", "ノ": "no", "ハ": "ha", "ヒ": "hi", "フ": "fu", "ヘ": "he", "ホ": "ho",
        "マ": "ma", "ミ": "mi", "ム": "mu", "メ": "me", "モ": "mo", "ヤ": "ya", "ユ": "yu", "ヨ": "yo",
        "ラ": "ra", "リ": "ri", "ル": "ru", "レ": "re", "ロ": "ro", "ワ": "wa", "ヰ": "i", "ヱ": "e", "ヲ": "o", "ン": "n",
        "ガ": "ga", "ギ": "gi", "グ": "gu", "ゲ": "ge", "ゴ": "go", "ザ": "za", "ジ": "ji", "ズ": "zu", "ゼ": "ze", "ゾ": "zo",
        "ダ": "da", "ヂ": "ji", "ヅ": "zu", "デ": "de", "ド": "do", "バ": "ba", "ビ": "bi", "ブ": "bu", "ベ": "be", "ボ": "bo",
        "パ": "pa", "ピ": "pi", "プ": "pu", "ペ": "pe", "ポ": "po", "ヴ": "vu",
    ]

    /// The reading in lower-case romaji; a character it does not know is kept as it is.
    public static func hepburn(_ katakana: String) -> String {
        let characters = Array(katakana)
        var syllables: [String] = []
        var doubleNext = false
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "ッ" {
                doubleNext = true
                index += 1
                continue
            }
            var syllable: String
            if index + 1 < characters.count, let pair = digraphs[String(characters[index...index + 1])] {
                syllable = pair
                index += 2
            } else {
                syllable = monographs[character] ?? (character == "ー" ? "" : String(character))
                index += 1
            }
            if doubleNext, let first = syllable.first {
                syllable = (syllable.hasPrefix("ch") ? "t" : String(first)) + syllable
                doubleNext = false
            }
            syllables.append(syllable)
        }
        // Long vowels as place names write them: ou, oo and uu become o and u (Tōkyō →
        // Tokyo, Ōfunato → Ofunato, Kyūshū → Kyushu).
        var text = syllables.joined()
        for (long, short) in [("ou", "o"), ("oo", "o"), ("uu", "u")] {
            text = text.replacingOccurrences(of: long, with: short)
        }
        return text
    }
}

extension MunicipalityRegistry.Entry {
    /// The name in English as municipalities write it: the reading without its suffix,
    /// with "Town", "Village" or "Ward" for those (伊賀市 → Iga, 北九州市 → Kitakyushu,
    /// 千代田区 → Chiyoda Ward, 東京都 → Tokyo, 北海道 → Hokkaido). Generated from the kana, so
    /// a name the city spells otherwise in English is set in the municipality's settings.
    public var englishName: String {
        let suffixes: [(kanji: String, kana: [String], english: String)] = [
            ("市", ["シ"], ""), ("町", ["マチ", "チョウ"], " Town"), ("村", ["ムラ", "ソン"], " Village"), ("区", ["ク"], " Ward"),
            ("県", ["ケン"], ""), ("府", ["フ"], ""), ("都", ["ト"], ""),
        ]
        var reading = kana, english = ""
        if let suffix = suffixes.first(where: { name.hasSuffix($0.kanji) }), let ending = suffix.kana.first(where: { reading.hasSuffix($0) }) {
            reading = String(reading.dropLast(ending.count))
            english = suffix.english
        }
        let romaji = Romaji.hepburn(reading)
        return romaji.prefix(1).uppercased() + romaji.dropFirst() + english
    }
}
