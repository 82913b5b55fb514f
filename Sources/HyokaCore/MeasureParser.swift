import Foundation

/// Reads the value texts of Japanese evaluation sheets into `Measure`. The text is
/// compacted first (NFKC, no whitespace), split into the main part and its parenthesised
/// notes, and each part is tokenized into years, numbers, range separators and words.
enum MeasureParser {
    static func parse(_ raw: String) -> Measure {
        var measure = Measure(raw: raw, kind: .text)
        let text = JapaneseText.compact(raw)
        if text.isEmpty {
            measure.kind = .empty
            return measure
        }
        if JapaneseText.dashes.contains(text) || text.allSatisfy({ JapaneseText.dashes.contains(String($0)) }) {
            measure.kind = .dash
            return measure
        }
        if text.contains("目標設定なし") || text.contains("目標なし") {
            measure.kind = .noTarget
            return measure
        }
        let (main, groups) = splitParentheses(text)
        let mainTokens = tokenize(main)
        let groupTokens = groups.map(tokenize)

        interpretMain(mainTokens, into: &measure)
        for tokens in groupTokens {
            interpretGroup(tokens, into: &measure)
        }
        return measure
    }

    // MARK: tokens

    enum Token: Equatable {
        case year(YearReference)
        case number(Decimal, approximate: Bool)
        case rangeSeparator
        case word(String)
    }

    static let rangeSeparators: Set<Character> = ["~", "〜", "～", "∼"]
    static let scales: [(String, Decimal)] = [
        ("百万", 1_000_000), ("千万", 10_000_000), ("兆", 1_000_000_000_000), ("億", 100_000_000), ("万", 10_000), ("千", 1_000),
    ]

    static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var scanner = YearScanner(text)
        var word = ""
        func flushWord() {
            if !word.isEmpty { tokens.append(.word(word)) }
            word = ""
        }
        while !scanner.isAtEnd {
            let c = scanner.characters[scanner.position]
            if rangeSeparators.contains(c) {
                flushWord()
                tokens.append(.rangeSeparator)
                scanner.skip(1)
                continue
            }
            let inherited: Era? = tokens.last == .rangeSeparator && word.isEmpty ? scanner.lastEra : nil
            if let year = scanner.scanYear(inheritedEra: inherited) {
                flushWord()
                tokens.append(.year(year))
                continue
            }
            if c.isASCII, c.isNumber, let number = scanNumber(&scanner) {
                // 約 directly before the number marks it approximate.
                var approximate = false
                if word.hasSuffix("約") {
                    approximate = true
                    word.removeLast()
                }
                flushWord()
                tokens.append(.number(number, approximate: approximate))
                continue
            }
            word.append(c)
            scanner.skip(1)
        }
        flushWord()
        return tokens
    }

    /// Digits with thousands separators and a decimal point, then an optional kanji scale.
    /// `22,8` (a decimal comma, seen in extracted headlines) reads as 22.8.
    static func scanNumber(_ scanner: inout YearScanner) -> Decimal? {
        var literal = ""
        while !scanner.isAtEnd {
            let c = scanner.characters[scanner.position]
            if c.isASCII, c.isNumber || c == "," || c == "." {
                literal.append(c)
                scanner.skip(1)
            } else {
                break
            }
        }
        // A trailing separator belongs to the sentence, not the number.
        while let last = literal.last, last == "," || last == "." {
            literal.removeLast()
            scanner.skip(-1)
        }
        guard var value = decimal(fromLiteral: literal) else { return nil }
        for (kanji, factor) in scales where scanner.hasPrefix(kanji) {
            value *= factor
            scanner.skip(kanji.count)
            break
        }
        return value
    }

    static func decimal(fromLiteral literal: String) -> Decimal? {
        let parts = literal.split(separator: ",", omittingEmptySubsequences: false)
        var plain: String
        if parts.count == 2, !literal.contains("."), let last = parts.last, (1...2).contains(last.count) {
            plain = parts.joined(separator: ".")
        } else {
            plain = parts.joined()
        }
        if plain.filter({ $0 == "." }).count > 1 { return nil }
        if plain.hasPrefix(".") { plain = "0" + plain }
        return Decimal(string: plain, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// Splits `80%以上(R6年度)` into `80%以上` and `["R6年度"]`. Also takes 【】 and an
    /// unclosed `(` at the end of a cut-off cell.
    static func splitParentheses(_ text: String) -> (String, [String]) {
        var main = ""
        var groups: [String] = []
        var depth = 0
        var current = ""
        for c in text {
            if c == "(" || c == "【" || c == "[" {
                if depth > 0 { current.append(c) }
                depth += 1
            } else if (c == ")" || c == "】" || c == "]") && depth > 0 {
                depth -= 1
                if depth == 0 {
                    groups.append(current)
                    current = ""
                } else {
                    current.append(c)
                }
            } else if depth > 0 {
                current.append(c)
            } else {
                main.append(c)
            }
        }
        if !current.isEmpty { groups.append(current) }
        return (main, groups)
    }

    // MARK: interpretation

    static let gradePattern = try! NSRegularExpression(pattern: "^[SABCDE][+\\-]?$")
    static let comparatorSuffixes: [(String, Measure.Comparator)] = [
        ("以上", .atLeast), ("以下", .atMost), ("以内", .atMost), ("未満", .lessThan), ("超", .moreThan),
        ("削減", .decrease), ("減少", .decrease), ("増加", .increase), ("減", .decrease), ("増", .increase),
    ]
    static let periodSuffixes: [(String, Measure.Period)] = [("/年", .perYear), ("/月", .perMonth), ("毎年度", .everyYear), ("毎年", .everyYear)]
    /// Longest unit accepted after a number; longer text means the cell is a sentence.
    static let maximumUnitLength = 5

    static func interpretMain(_ tokens: [Token], into measure: inout Measure) {
        let numbers = tokens.compactMap { if case let .number(v, a) = $0 { (v, a) } else { nil } }
        let words = tokens.compactMap { if case let .word(w) = $0 { w } else { nil } }
        let joinedWords = words.joined()
        applyYears(tokens, to: &measure)

        if let relative = relativeComparator(joinedWords), numbers.isEmpty {
            measure.kind = .relative
            measure.comparator = relative
            var reference = Measure.Reference(year: nil, isPreviousYear: false, value: nil, unit: nil)
            reference.year = tokens.compactMap { if case let .year(y) = $0 { y } else { nil } }.first
            // What is left of `前年度比増`, `参加自治体の増` once the comparator is gone.
            var label = String(joinedWords.dropLast(relativeSuffixLength(joinedWords)))
            for ending in ["比", "の"] where label.hasSuffix(ending) { label.removeLast() }
            for previous in ["前年度", "前年"] where label.hasPrefix(previous) {
                reference.isPreviousYear = true
                label.removeFirst(previous.count)
                break
            }
            measure.year = nil
            measure.startYear = nil
            measure.reference = reference
            measure.label = label.isEmpty ? nil : label
            return
        }

        if numbers.count == 1, let index = tokens.firstIndex(where: { if case .number = $0 { true } else { false } }) {
            var prefix = tokens[..<index].compactMap { if case let .word(w) = $0 { w } else { nil } }.joined()
            let suffix = tokens[(index + 1)...].compactMap { if case let .word(w) = $0 { w } else { nil } }.joined()
            if prefix.hasSuffix("年") && !prefix.hasSuffix("毎年") {
                measure.period = .perYear
                prefix.removeLast()
            } else if prefix.hasSuffix("月") {
                measure.period = .perMonth
                prefix.removeLast()
            }
            if prefix.hasPrefix("累計") {
                measure.period = .cumulative
                prefix.removeFirst(2)
            } else if prefix.hasSuffix("累計") {
                measure.period = .cumulative
                prefix.removeLast(2)
            }
            if let unit = interpretSuffix(suffix, into: &measure) {
                measure.kind = .number
                measure.value = numbers[0].0
                measure.isApproximate = numbers[0].1
                measure.unit = unit.isEmpty ? nil : unit
                measure.label = prefix.isEmpty ? nil : prefix
                return
            }
            measure.period = nil
        }

        if numbers.isEmpty {
            let range = NSRange(joinedWords.startIndex..., in: joinedWords)
            if gradePattern.firstMatch(in: joinedWords, range: range) != nil {
                measure.kind = .grade
                measure.grade = joinedWords
                return
            }
            if joinedWords == "なし" || joinedWords == "無し" {
                measure.kind = .none
                return
            }
        }
        measure.kind = .text
    }

    /// Reads `%以上`, `回/年`, `人/月`, `位以内` after a number; returns the unit, or nil when
    /// the words are a sentence rather than a unit.
    static func interpretSuffix(_ suffix: String, into measure: inout Measure) -> String? {
        var rest = suffix
        var changed = true
        while changed {
            changed = false
            for (text, period) in periodSuffixes where rest.hasSuffix(text) {
                measure.period = measure.period ?? period
                rest.removeLast(text.count)
                changed = true
            }
            for (text, comparator) in comparatorSuffixes where rest.hasSuffix(text) {
                measure.comparator = measure.comparator ?? comparator
                rest.removeLast(text.count)
                changed = true
                break
            }
        }
        if rest.count > maximumUnitLength { return nil }
        if rest.contains(where: { $0.isASCII && $0.isNumber }) { return nil }
        return rest
    }

    static func relativeComparator(_ words: String) -> Measure.Comparator? {
        for (suffix, comparator) in [("比増加", Measure.Comparator.increase), ("比減少", .decrease), ("比増", .increase), ("比減", .decrease),
                                     ("の増加", .increase), ("の減少", .decrease), ("の増", .increase), ("の減", .decrease)]
        where words.hasSuffix(suffix) {
            return comparator
        }
        return nil
    }

    static func relativeSuffixLength(_ words: String) -> Int {
        words.hasSuffix("増加") || words.hasSuffix("減少") ? 2 : 1
    }

    static func applyYears(_ tokens: [Token], to measure: inout Measure) {
        var previous: YearReference?
        var sawSeparator = false
        for token in tokens {
            switch token {
            case let .year(year):
                if sawSeparator, let start = previous {
                    // `H26～H30年度`: the first year takes the unit written after the second.
                    let startUnit = start.unit == .unspecified ? year.unit : start.unit
                    measure.startYear = YearReference(year: start.year, unit: startUnit, month: start.month)
                    measure.year = year
                } else if measure.year == nil || measure.startYear == nil {
                    measure.year = year
                }
                previous = year
                sawSeparator = false
            case .rangeSeparator:
                sawSeparator = previous != nil
            default:
                sawSeparator = false
            }
        }
    }

    /// Words inside parentheses that say how to read the value rather than add to it.
    static let connectives: Set<String> = ["の", "まで", "までの", ":", "、", ",", "/", "時点", "実施", "度"]

    static func interpretGroup(_ tokens: [Token], into measure: inout Measure) {
        var leftovers: [String] = []
        let hadYear = measure.year != nil
        var groupMeasure = Measure(raw: "", kind: .text)
        applyYears(tokens, to: &groupMeasure)
        if let year = groupMeasure.year {
            if measure.kind == .relative {
                if measure.reference?.year == nil { measure.reference?.year = year }
            } else if !hadYear {
                measure.year = year
                measure.startYear = groupMeasure.startYear
            }
        }
        var index = 0
        while index < tokens.count {
            switch tokens[index] {
            case let .number(value, _):
                var unit: String?
                if index + 1 < tokens.count, case let .word(w) = tokens[index + 1], w.count <= maximumUnitLength {
                    unit = w
                    index += 1
                }
                if measure.kind == .relative, measure.reference?.value == nil {
                    measure.reference?.value = value
                    measure.reference?.unit = unit
                } else {
                    leftovers.append(formatted(value) + (unit ?? ""))
                }
            case let .word(w):
                var word = w
                for (keyword, period) in [("毎年度", Measure.Period.everyYear), ("毎年", .everyYear), ("累計", .cumulative), ("月平均", .perMonth), ("/年", .perYear)]
                where word.contains(keyword) {
                    if measure.period == nil { measure.period = period }
                    word = word.replacingOccurrences(of: keyword, with: "")
                }
                for connective in ["までの", "まで", "時点", "実施"] {
                    word = word.replacingOccurrences(of: connective, with: "")
                }
                if !word.isEmpty, !connectives.contains(word) { leftovers.append(word) }
            default:
                break
            }
            index += 1
        }
        if !leftovers.isEmpty {
            let text = leftovers.joined(separator: " ")
            measure.note = measure.note.map { $0 + " " + text } ?? text
        }
    }

    static func formatted(_ value: Decimal) -> String {
        NSDecimalNumber(decimal: value).stringValue
    }
}
