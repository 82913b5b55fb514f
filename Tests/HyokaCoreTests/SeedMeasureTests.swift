import Foundation
import Testing
@testable import HyokaCore

/// Walks every baseline, target and actual cell of the published tables and checks that
/// each one is read: nothing becomes empty, every cell keeps its text, numbers carry a
/// value, and a cell with digits is only free text when its numbers are part of a sentence.
@Suite struct SeedMeasureTests {
    struct ValueCell: CustomStringConvertible {
        let file: String
        let row: Int
        let column: Int
        let text: String
        var description: String { "\(file) row \(row) column \(column): 「\(text)」" }
    }

    /// Cells whose digits belong to words, not to a value. Each is a sentence or a name in
    /// the document; the test fails if any other cell with digits is read as free text.
    static let textWithDigits: Set<String> = [
        "6市10町",                    // 参加自治体の数: two counts in one cell
        "20歳代～30歳代の社会動態の増加数",  // an indicator name
    ]

    /// 主要事務事業 table: KPI ① in columns 6–12, ② in 13–19; baseline, target, actual are
    /// the 3rd, 5th and 6th columns of each block.
    static func programTableCells() throws -> [ValueCell] {
        let seed = try SeedFile("program-evaluation-table.txt")
        var cells: [ValueCell] = []
        for (index, row) in seed.rows.enumerated() where row.count > 12 && Int(row[1].trimmingCharacters(in: .whitespaces)) != nil {
            for start in [6, 13] where !seed.cell(index + 1, start).isEmpty {
                for column in [start + 2, start + 4, start + 5] {
                    cells.append(ValueCell(file: seed.name, row: index + 1, column: column, text: seed.cell(index + 1, column)))
                }
            }
        }
        return cells
    }

    /// 連携中枢都市圏 plan: rows after each KPI header; the columns are found from the
    /// header (現状値 and 目標値).
    static func collaborationPlanCells() throws -> [ValueCell] {
        let seed = try SeedFile("regional-collaboration-plan.txt")
        var cells: [ValueCell] = []
        var columns: [Int] = []
        for (index, row) in seed.rows.enumerated() {
            if row.first?.contains("KPI") == true {
                columns = row.indices.filter { row[$0].hasPrefix("現状値") || row[$0].hasPrefix("目標値") }.map { $0 + 1 }
                continue
            }
            guard !columns.isEmpty, row.first?.isEmpty == true, row.count > 2, !row[1].isEmpty else {
                columns = []
                continue
            }
            for column in columns {
                cells.append(ValueCell(file: seed.name, row: index + 1, column: column, text: seed.cell(index + 1, column)))
            }
        }
        return cells
    }

    /// 施策評価 PDCA sheet: the indicator block spans the columns from 指標名等 to 中期目標
    /// and shifts from page to page, so every short cell from column 7 on in a data row
    /// is taken (labels 目標/実績/達成率 merged into a cell are removed first). Long cells
    /// are names and comments.
    static func pdcaSheetCells() throws -> [ValueCell] {
        let seed = try SeedFile("policy-pdca-sheet.txt")
        let headerMarkers = ["【Plan】", "施策番号", "指標名等", "現状値"]
        let labels = ["目標", "実績", "達成率"]
        var cells: [ValueCell] = []
        for (index, row) in seed.rows.enumerated() {
            if row.contains(where: { cell in headerMarkers.contains(where: { cell.contains($0) }) }) { continue }
            for column in row.indices where column >= 6 {
                var text = row[column].trimmingCharacters(in: .whitespaces)
                if labels.contains(text) || text.isEmpty { continue }
                for label in labels where text.hasPrefix(label + " ") {
                    text = String(text.dropFirst(label.count + 1))
                }
                if JapaneseText.compact(text).count > 24 { continue }
                if GradeScale.evaluation.grade(named: text) != nil || GradeScale.direction.grade(named: text) != nil
                    || BudgetTrend(japanese: text) != nil { continue }
                cells.append(ValueCell(file: seed.name, row: index + 1, column: column + 1, text: text))
            }
        }
        return cells
    }

    @Test func everySeedValueCellIsClassified() throws {
        let groups = [("program table", try Self.programTableCells()), ("collaboration plan", try Self.collaborationPlanCells()),
                      ("pdca sheet", try Self.pdcaSheetCells())]
        var kinds: [Measure.Kind: Int] = [:]
        let allowed = Set(Self.textWithDigits.map(JapaneseText.compact))
        var allowedSeen: Set<String> = []
        for (name, cells) in groups {
            #expect(cells.count > 20, "too few cells extracted from the \(name): the extraction is broken")
            for cell in cells {
                let measure = Measure.parse(cell.text)
                kinds[measure.kind, default: 0] += 1
                #expect(measure.raw == cell.text, "raw text not kept: \(cell)")
                #expect(measure.kind != .empty, "a non-empty cell read as empty: \(cell)")
                switch measure.kind {
                case .number: #expect(measure.value != nil, "number without value: \(cell)")
                case .relative: #expect(measure.comparator != nil, "relative target without 増/減: \(cell)")
                case .grade: #expect(measure.grade != nil, "grade without letter: \(cell)")
                case .text:
                    let digits = Self.digitsOutsideYears(cell.text)
                    let compact = JapaneseText.compact(cell.text)
                    if digits, allowed.contains(compact) { allowedSeen.insert(compact) }
                    #expect(digits == false || allowed.contains(compact), "a cell with a number was read as free text: \(cell)")
                default: break
                }
            }
        }
        #expect(allowedSeen == allowed, "an exception no cell needs any more: \(allowed.subtracting(allowedSeen))")
        // Each kind the documents use is met at least once.
        for kind in [Measure.Kind.number, .relative, .grade, .noTarget, .dash, .none, .text] {
            #expect(kinds[kind, default: 0] > 0, "no \(kind) cell found in the seeds")
        }
    }

    @Test func programTableValuesAreReadExactly() throws {
        let seed = try SeedFile("program-evaluation-table.txt")
        #expect(Measure.parse(seed.cell(8, 8)).value == 6044)
        #expect(Measure.parse(seed.cell(8, 10)).kind == .relative)
        #expect(Measure.parse(seed.cell(8, 11)).value == 6482)
        #expect(Measure.parse(seed.cell(10, 10)).reference?.value == 81.4)
        #expect(Measure.parse(seed.cell(12, 8)).value == 130 && Measure.parse(seed.cell(12, 8)).unit == "団体")
        #expect(Measure.parse(seed.cell(13, 8)).kind == .text)
        #expect(Measure.parse(seed.cell(12, 17)).kind == .text)
        #expect(Measure.parse(seed.cell(12, 17)).year?.year == 2025)
    }

    /// Whether the text has digits once its years (`R6年度`) are taken out.
    static func digitsOutsideYears(_ text: String) -> Bool {
        MeasureParser.tokenize(JapaneseText.compact(text)).contains { token in
            if case .number = token { return true }
            if case let .word(w) = token { return w.contains(where: { $0.isASCII && $0.isNumber }) }
            return false
        }
    }
}
