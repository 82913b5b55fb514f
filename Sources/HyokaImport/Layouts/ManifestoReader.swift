import Foundation
import HyokaCore

/// Reads a 部局マニフェスト: a title with the fiscal year (`2025(令和7)年度 部局マニフェスト`),
/// the head of department as label/value rows (部局名, 役職, 氏名, 連絡先), then goals. A goal
/// starts at a cell `◎部局目標N` and may continue over the following rows until the next;
/// its columns are 業績目標, 表題 (with 関連の施策・基本事業No), 現状や課題 (〈これまでの経緯〉
/// 〈現状分析〉〈課題〉) and 達成水準 (〈目標数値〉〈達成された状態〉〈手段・工程〉). A
/// 達成状況（自己評価）/ 理由 block gives the self-evaluation.
public enum ManifestoReader {
    nonisolated(unsafe) static let sectionFields: [String: WritableKeyPath<ManifestoGoalRecord, String?>] = [
        "これまでの経緯": \.background, "経緯": \.background, "現状分析": \.currentAnalysis, "課題": \.issues,
        "目標数値": \.targetFigures, "達成された状態": \.achievedState, "手段・工程": \.meansAndProcess,
    ]

    public static func detect(_ table: DelimitedText) -> Bool {
        table.rows.prefix(20).flatMap { $0 }.contains { $0.contains("部局マニフェスト") }
    }

    public static func read(_ table: DelimitedText, options: ReadOptions) -> ReadResult {
        var result = ReadResult()
        let file = table.file
        guard let municipality = PublishedDocument.municipality(options, into: &result, file: file) else { return result }
        var head: [String: String] = [:]
        var year = options.fiscalYear
        var goals: [(line: Int, columns: [[String]])] = []
        var inSelfEvaluation = false
        var selfEvaluations: [(line: Int, grade: String, reason: String)] = []

        for (index, row) in table.rows.enumerated() {
            let line = index + 1
            let cells = PublishedDocument.cells(row)
            guard let first = cells.first else { continue }
            if year == nil, first.text.contains("マニフェスト") { year = fiscalYear(in: first.text) }
            if cells.count == 2, first.column == 1, ["部局名", "役職", "氏名", "連絡先", "組織使命"].contains(JapaneseText.compact(first.text)) {
                head[JapaneseText.compact(first.text)] = PublishedDocument.collapse(cells[1].text)
                continue
            }
            if first.text.contains("達成状況") {
                inSelfEvaluation = true
                continue
            }
            if first.text.hasPrefix("◎") || first.text.contains("部局目標") && first.column == 1 {
                inSelfEvaluation = false
                goals.append((line, Array(repeating: [], count: 4)))
            }
            // A row of dashes is an unfilled self-evaluation, wherever the page put it.
            if inSelfEvaluation || cells.allSatisfy({ ["--", "—", "-", "－－"].contains(JapaneseText.compact($0.text)) }) {
                selfEvaluations.append((line, first.text, cells.count > 1 ? cells[1].text : ""))
                continue
            }
            guard !goals.isEmpty, first.text != "業績目標" else { continue }
            for cell in cells {
                guard cell.column <= 4 else {
                    result.issues.append(.warning(at: SourceLocation(file: file, line: line, column: cell.column),
                                                  "5列目以降のセルは置き場所が分からないため取り込みませんでした", "a cell beyond column 4 could not be placed"))
                    continue
                }
                goals[goals.count - 1].columns[cell.column - 1].append(cell.text)
            }
        }

        guard let department = head["部局名"], !department.isEmpty else {
            result.issues.append(.error(at: SourceLocation(file: file), "部局名がありません", "no 部局名 (department) found"))
            return result
        }
        guard let year else {
            result.issues.append(.error(at: SourceLocation(file: file), "年度が見つかりません。--fiscal-year で指定してください",
                                        "no fiscal year found; give it with --fiscal-year"))
            return result
        }
        var d = Dataset()
        // A manifesto is a published document of its year, as a sheet table is: its cycle is
        // 公表 (a municipality that publishes only manifestos is on the portal with them).
        PublishedDocument.cycle(for: [], municipality: municipality, fiscalYear: year, options: options, into: &d)
        d.departments.append(DepartmentRecord(municipalityCode: municipality, name: department))
        var manifesto = ManifestoRecord(municipalityCode: municipality, department: department, fiscalYear: year)
        manifesto.headTitle = head["役職"]
        manifesto.headName = head["氏名"]
        manifesto.contact = head["連絡先"]
        manifesto.mission = head["組織使命"]
        d.manifestos.append(manifesto)

        for (order, goal) in goals.enumerated() {
            let headingText = JapaneseText.unwrap(goal.columns[0].joined(separator: " "))
            let number = goalNumber(headingText) ?? order + 1
            var heading = headingText
            if let marker = heading.range(of: "部局目標\\s*[0-9０-９]+", options: .regularExpression) {
                heading = String(heading[marker.upperBound...])
            }
            heading = heading.trimmingCharacters(in: CharacterSet(charactersIn: "◎ 　"))
            var titleText = PublishedDocument.collapse(goal.columns[1].joined(separator: " "))
            var related: String?
            if let range = titleText.range(of: "関連の施策・基本事業No[:：]?\\s*", options: .regularExpression) {
                let rest = titleText[range.upperBound...].trimmingCharacters(in: .whitespaces)
                let parts = rest.split(separator: " ", maxSplits: 1)
                related = parts.first.map(String.init)
                titleText = parts.count > 1 ? String(parts[1]) : ""
            }
            let title = JapaneseText.unwrap(titleText)
            if title.isEmpty {
                result.issues.append(.error(at: SourceLocation(file: file, line: goal.line, column: 2), "部局目標\(number)の表題がありません",
                                            "goal \(number) has no title"))
                continue
            }
            var record = ManifestoGoalRecord(municipalityCode: municipality, department: department, fiscalYear: year, number: number, title: title)
            record.heading = heading.isEmpty ? nil : heading
            record.relatedPolicy = related
            for column in [2, 3] {
                let text = goal.columns[column].joined(separator: "\n")
                for (label, body) in sections(text) {
                    if let field = sectionFields[label] {
                        record[keyPath: field] = body
                    } else {
                        result.issues.append(.warning(at: SourceLocation(file: file, line: goal.line, column: column + 1),
                                                      "〈\(label)〉は知らない見出しのため取り込みませんでした", "section 〈\(label)〉 is unknown and was not imported"))
                    }
                }
            }
            for (label, field) in [("経緯", \ManifestoGoalRecord.background), ("目標数値", \.targetFigures)] where record[keyPath: field] == nil {
                result.issues.append(.warning(at: SourceLocation(file: file, line: goal.line), "部局目標\(number)に〈\(label)〉がありません",
                                              "goal \(number) has no 〈\(label)〉"))
            }
            d.manifestoGoals.append(record)
        }
        // Self-evaluations: one row per goal, in order; `--` means not yet evaluated.
        let filled = selfEvaluations.filter { !["--", "—", "-", ""].contains(JapaneseText.compact($0.grade)) }
        if filled.isEmpty {
            result.notes.append("\(file): 達成状況（自己評価）は未記入です (the self-evaluation is not filled in yet)")
        }
        for (i, evaluation) in filled.enumerated() where i < d.manifestoGoals.count {
            let grade = GradeScale.manifesto.grade(named: evaluation.grade)?.label
            if grade == nil {
                result.issues.append(.warning(at: SourceLocation(file: file, line: evaluation.line), "自己評価「\(evaluation.grade)」は6段階の標語ではありません",
                                              "self-evaluation \"\(evaluation.grade)\" is not one of the six grades"))
            }
            d.manifestoGoals[i].selfGrade = grade ?? evaluation.grade
            d.manifestoGoals[i].selfReason = evaluation.reason.isEmpty ? nil : PublishedDocument.text(evaluation.reason)
        }
        if d.manifestoGoals.isEmpty {
            result.issues.append(.error(at: SourceLocation(file: file), "部局目標（◎部局目標N）が見つかりません", "no goals (◎部局目標N) found"))
        }
        result.dataset.merge(d)
        return result
    }

    /// `2025(令和7)年度` → 2025; also `令和7年度`.
    static func fiscalYear(in text: String) -> Int? {
        let compact = JapaneseText.compact(text)
        if let match = compact.range(of: "[0-9]{4}(\\([^)]*\\))?年度", options: .regularExpression) {
            return Int(compact[match].prefix(4))
        }
        if let match = compact.range(of: "(令和|平成|R|H)([0-9]+|元)年度", options: .regularExpression) {
            return FiscalYear(parsing: String(compact[match]))?.year
        }
        return nil
    }

    static func goalNumber(_ text: String) -> Int? {
        guard let range = JapaneseText.compact(text).range(of: "部局目標[0-9]+", options: .regularExpression) else { return nil }
        return Int(JapaneseText.compact(text)[range].dropFirst(4))
    }

    /// Splits `<p>〈現状分析〉 text</p> <p>〈課題〉 text</p>` into labelled sections.
    static func sections(_ html: String) -> [(String, String)] {
        let text = PublishedDocument.lines(html).joined(separator: "\n")
        var out: [(String, String)] = []
        var current: String?
        var body = ""
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "〈", let close = text[index...].firstIndex(of: "〉") {
                if let label = current { out.append((label, body.trimmingCharacters(in: .whitespacesAndNewlines))) }
                current = String(text[text.index(after: index)..<close])
                body = ""
                index = text.index(after: close)
                continue
            }
            body.append(text[index])
            index = text.index(after: index)
        }
        if let label = current { out.append((label, body.trimmingCharacters(in: .whitespacesAndNewlines))) }
        return out
    }
}
