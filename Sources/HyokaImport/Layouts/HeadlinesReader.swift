import Foundation
import HyokaCore

/// Reads the 過去最高 headlines of a report: lines like `2年連続で市税収入は過去最高を更新
/// (1,811億円)` or `ふるさと納税の受入金額・件数が過去最高 (22,8億円・12万件)`. Each value in the
/// parentheses becomes a figure; two subjects joined by ・ share the words before their
/// last の (ふるさと納税の受入金額, ふるさと納税の件数). Words such as 2年連続 or 再建直後を除き
/// are kept as the figure's note. A line that says 過去最高 without values is reported.
public enum HeadlinesReader {
    static let pattern = try! NSRegularExpression(pattern: "^(.*?)(?:が|は)(.*?)過去最高(?:を更新)?[^(（]*[(（](.+)[)）]\\s*$")

    public static func detect(_ table: DelimitedText) -> Bool {
        table.rows.contains { row in row.contains { pattern.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil } }
    }

    public static func read(_ table: DelimitedText, options: ReadOptions) -> ReadResult {
        var result = ReadResult()
        let file = table.file
        guard let municipality = PublishedDocument.municipality(options, into: &result, file: file) else { return result }
        guard let year = PublishedDocument.fiscalYear(options, into: &result, file: file) else { return result }
        var d = Dataset()
        for (index, row) in table.rows.enumerated() {
            let line = index + 1
            for cell in row where cell.contains("過去最高") {
                let text = PublishedDocument.collapse(cell)
                guard let match = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                      let subjectRange = Range(match.range(at: 1), in: text), let qualifierRange = Range(match.range(at: 2), in: text),
                      let valuesRange = Range(match.range(at: 3), in: text) else {
                    result.issues.append(.warning(at: SourceLocation(file: file, line: line),
                                                  "「\(text)」には値がないため取り込みませんでした", "a 過去最高 line without values was not imported"))
                    continue
                }
                var subject = String(text[subjectRange]).trimmingCharacters(in: .whitespaces)
                var notes: [String] = []
                if let streak = subject.range(of: "^[0-9０-９]+年連続で?", options: .regularExpression) {
                    notes.append(String(subject[streak]).replacingOccurrences(of: "で", with: ""))
                    subject.removeSubrange(streak)
                }
                let qualifier = String(text[qualifierRange]).trimmingCharacters(in: .whitespaces)
                if !qualifier.isEmpty { notes.append(qualifier) }
                let values = String(text[valuesRange]).split(separator: "・").map { $0.trimmingCharacters(in: .whitespaces) }
                let names = subjectNames(subject, count: values.count)
                for (name, value) in zip(names, values) {
                    let measure = Measure.parse(value)
                    if measure.kind != .number {
                        result.issues.append(.warning(at: SourceLocation(file: file, line: line), "「\(value)」は数値として読めません",
                                                      "\"\(value)\" is not a number"))
                    }
                    var figure = HeadlineFigureRecord(municipalityCode: municipality, fiscalYear: year, name: name, valueRaw: value)
                    figure.publishedRecordHigh = true
                    figure.note = notes.isEmpty ? nil : notes.joined(separator: "、")
                    d.headlineFigures.append(figure)
                }
            }
        }
        if d.headlineFigures.isEmpty {
            result.issues.append(.error(at: SourceLocation(file: file), "過去最高の数値が見つかりません", "no 過去最高 figures found"))
        }
        result.dataset.merge(d)
        return result
    }

    /// `ふるさと納税の受入金額・件数` with two values → [ふるさと納税の受入金額, ふるさと納税の件数].
    static func subjectNames(_ subject: String, count: Int) -> [String] {
        let parts = subject.split(separator: "・").map(String.init)
        guard count > 1, parts.count == count, let first = parts.first else { return Array(repeating: subject, count: count) }
        var prefix = ""
        for marker in ["における", "の"] {
            if let range = first.range(of: marker, options: .backwards) {
                prefix = String(first[..<range.upperBound])
                break
            }
        }
        return [first] + parts.dropFirst().map { prefix + $0 }
    }
}
