import Foundation
import HyokaCore

/// Reads the 主要事務事業 evaluation table: one row per program with 主な施策, 事務事業番号,
/// name, 事業概要, 担当課, two KPI blocks (事業目標, 目標年度, 基準値, 基準年度, 目標値, 実績値,
/// 達成率), 予算額/決算額 (千円), 評価, its comment and 今後の方向性. Headers repeat on every
/// page; a row with only its first cell is a 政策 heading (`II 「彩りあるまち」の実現`); an
/// empty 主な施策 continues the one above.
///
/// Extraction shifts cells by empty columns, so a row is read by what its cells are, not
/// where they stand: the program number is the first whole number; the money pair stands
/// just before the grade; KPI blocks are the seven cells after 担当課 and the first
/// non-empty run after them.
public enum ProgramTableReader {
    public static let kpiBlockWidth = 7
    static let planName = "主要事務事業評価"

    /// Whether a table looks like this layout: its header names 事務事業番号 and 主要事務事業名.
    public static func detect(_ table: DelimitedText) -> Bool {
        table.rows.prefix(10).contains { row in row.contains { $0.contains("事務事業番号") } && row.contains { $0.contains("事務事業名") } }
    }

    public static func read(_ table: DelimitedText, options: ReadOptions) -> ReadResult {
        var result = ReadResult()
        let file = table.file
        guard let municipality = PublishedDocument.municipality(options, into: &result, file: file) else { return result }
        guard let year = PublishedDocument.fiscalYear(options, into: &result, file: file) else { return result }
        var d = Dataset()
        d.plans.append(PlanRecord(municipalityCode: municipality, name: planName))
        var policyCode: String?
        var policyCount = 0
        var measureCount: [String: Int] = [:]
        var currentMeasure: String?
        var departments: [String] = []
        var programNames: [String] = []

        for (index, row) in table.rows.enumerated() {
            let line = index + 1
            let cells = PublishedDocument.cells(row)
            if cells.isEmpty { continue }
            // Page headers.
            if cells.contains(where: { $0.text.contains("事務事業番号") || $0.text == "事業目標" || $0.text == "目標年度" }) { continue }
            // 政策 heading: one cell in the first column.
            if cells.count == 1, cells[0].column == 1 {
                let heading = JapaneseText.unwrap(cells[0].text)
                policyCount += 1
                // A leading Roman numeral (II, Ⅲ) is the 政策's number; else its position.
                let numeral = String(heading.prefix { "IVXLCⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ".contains($0) })
                let code = numeral.isEmpty ? String(policyCount) : numeral
                let title = numeral.isEmpty ? heading : String(heading.dropFirst(numeral.count)).trimmingCharacters(in: .whitespaces)
                policyCode = code
                currentMeasure = nil
                d.planNodes.append(PlanNodeRecord(municipalityCode: municipality, plan: planName, code: code, title: title, level: "政策"))
                continue
            }
            guard let numberIndex = cells.firstIndex(where: { Int(JapaneseText.compact($0.text)) != nil }), numberIndex <= 1,
                  numberIndex + 4 < cells.count else {
                result.issues.append(.warning(at: SourceLocation(file: file, line: line),
                                              "事業の行として読めないため読み飛ばしました: 「\(cells.map(\.text).joined(separator: " | ").prefix(60))」",
                                              "row skipped: not a program row"))
                continue
            }
            // 主な施策: the cell before the number, else the one above continues.
            if numberIndex == 1 {
                let title = JapaneseText.unwrap(cells[0].text)
                let parent = policyCode ?? "1"
                if policyCode == nil {
                    policyCode = parent
                    d.planNodes.append(PlanNodeRecord(municipalityCode: municipality, plan: planName, code: parent, title: "（政策の記載なし）", level: "政策"))
                }
                measureCount[parent, default: 0] += 1
                let code = "\(parent)-\(measureCount[parent]!)"
                d.planNodes.append(PlanNodeRecord(municipalityCode: municipality, plan: planName, code: code, parentCode: parent, title: title, level: "施策"))
                currentMeasure = code
            }
            let number = JapaneseText.compact(cells[numberIndex].text)
            let name = JapaneseText.unwrap(cells[numberIndex + 1].text)
            let summary = PublishedDocument.text(cells[numberIndex + 2].text)
            let department = JapaneseText.unwrap(cells[numberIndex + 3].text)
            let departmentColumn = cells[numberIndex + 3].column

            // From the end: 今後の方向性, the comment, 評価, then 決算額 and 予算額.
            var tail = Array(cells[(numberIndex + 4)...])
            var direction: String?
            if let last = tail.last, GradeScale.direction.grade(named: last.text) != nil {
                direction = GradeScale.direction.grade(named: last.text)?.label
                tail.removeLast()
            }
            guard let gradeIndex = tail.lastIndex(where: { GradeScale.evaluation.grade(named: $0.text) != nil }), gradeIndex >= 2 else {
                result.issues.append(.error(at: SourceLocation(file: file, line: line),
                                            "「\(name)」の評価（大変順調〜遅れ）が見つかりません", "no evaluation grade found for \(name)"))
                continue
            }
            let grade = GradeScale.evaluation.grade(named: tail[gradeIndex].text)?.label
            let comment = tail.count > gradeIndex + 1 ? PublishedDocument.text(tail[(gradeIndex + 1)...].map(\.text).joined(separator: "\n")) : nil
            if tail.count > gradeIndex + 2 {
                for extra in tail[(gradeIndex + 2)...] {
                    result.issues.append(.warning(at: SourceLocation(file: file, line: line, column: extra.column),
                                                  "評価コメントの後の「\(extra.text.prefix(20))」は置き場所が分からないためコメントに含めました",
                                                  "an unexpected cell after the comment was appended to the comment"))
                }
            }
            if direction == nil {
                result.issues.append(.warning(at: SourceLocation(file: file, line: line),
                                              "「\(name)」の今後の方向性が文書にありません（空のまま取り込みます）",
                                              "\(name): the document gives no 今後の方向性; left empty"))
            }
            let budgetCell = tail[gradeIndex - 2], settlementCell = tail[gradeIndex - 1]
            var budget: BudgetRecord? = BudgetRecord(municipalityCode: municipality, program: name, fiscalYear: year)
            do {
                budget?.budget = try Money.parse(budgetCell.text, defaultUnit: .thousandYen)
                budget?.settlement = try Money.parse(settlementCell.text, defaultUnit: .thousandYen)
            } catch {
                result.issues.append(.error(at: SourceLocation(file: file, line: line, column: budgetCell.column),
                                            "「\(name)」の予算額・決算額（千円）が読めません: \(budgetCell.text) / \(settlementCell.text)",
                                            "cannot read budget and settlement (thousand yen) of \(name)"))
                budget = nil
            }

            // KPI blocks: the raw row between 担当課 and 予算額, so that empty cells keep places.
            let kpiCells = Array(row[departmentColumn..<(budgetCell.column - 1)]).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            var blocks: [(offset: Int, cells: [String])] = []
            if kpiCells.count >= kpiBlockWidth, kpiCells.prefix(kpiBlockWidth).contains(where: { !$0.isEmpty }) {
                blocks.append((0, Array(kpiCells.prefix(kpiBlockWidth))))
            }
            let rest = Array(kpiCells.dropFirst(kpiBlockWidth))
            if let start = rest.firstIndex(where: { !$0.isEmpty }) {
                let block = Array(rest[start...].prefix(kpiBlockWidth))
                let trailing = rest[start...].dropFirst(kpiBlockWidth).filter { !$0.isEmpty }
                blocks.append((kpiBlockWidth + start, block + Array(repeating: "", count: kpiBlockWidth - block.count)))
                for stray in trailing {
                    result.issues.append(.warning(at: SourceLocation(file: file, line: line),
                                                  "KPI 欄の「\(stray.prefix(20))」は置き場所が分からないため取り込みませんでした",
                                                  "a cell in the KPI columns could not be placed and was not imported"))
                }
            }

            var program = ProgramRecord(municipalityCode: municipality, name: name, number: number, department: department, summary: summary)
            if programNames.contains(name) {
                result.issues.append(.warning(at: SourceLocation(file: file, line: line), "「\(name)」が2回あります。後の行で上書きします",
                                              "\(name) appears twice; the later row wins"))
                d.programs.removeAll { $0.name == name }
            }
            if !departments.contains(department) {
                departments.append(department)
                d.departments.append(DepartmentRecord(municipalityCode: municipality, name: department))
            }
            program.startFiscalYear = nil
            d.programs.append(program)
            programNames.append(name)
            if let measure = currentMeasure {
                d.planLinks.append(PlanLinkRecord(municipalityCode: municipality, plan: planName, nodeCode: measure, program: name, number: number, summary: summary))
            }
            for block in blocks {
                let c = block.cells
                let kpiName = JapaneseText.unwrap(c[0])
                guard !kpiName.isEmpty else {
                    result.issues.append(.warning(at: SourceLocation(file: file, line: line, column: departmentColumn + block.offset + 1),
                                                  "KPI の事業目標（指標名）が空のため、この KPI を取り込みませんでした",
                                                  "a KPI without a name was not imported"))
                    continue
                }
                let (direction, source) = PublishedDocument.direction(baseline: c[2], targets: [c[4]], finalTarget: c[4],
                                                                      published: [(c[4], c[5], c[6])])
                var indicator = IndicatorRecord(municipalityCode: municipality, owner: .program(name: name), name: kpiName,
                                                direction: direction, directionSource: source)
                indicator.baselineRaw = c[2]
                indicator.baselineYear = YearReference.parse(c[3])?.year
                indicator.finalTargetRaw = c[4]
                indicator.finalTargetYear = YearReference.parse(c[1])?.year
                indicator.unit = Measure.parse(c[4]).unit ?? Measure.parse(c[5]).unit ?? Measure.parse(c[2]).unit
                d.indicators.append(indicator)
                var value = IndicatorValueRecord(municipalityCode: municipality, owner: .program(name: name), indicatorName: kpiName, fiscalYear: year)
                value.targetRaw = c[4]
                value.actualRaw = c[5]
                value.publishedRateRaw = c[6].isEmpty ? nil : c[6]
                d.indicatorValues.append(value)
            }
            if let budget { d.budgets.append(budget) }
            var evaluation = EvaluationRecord(municipalityCode: municipality, subject: .program(name: name), fiscalYear: year, stage: .selfAssessment)
            evaluation.grade = grade
            evaluation.direction = direction
            evaluation.comment = comment
            d.evaluations.append(evaluation)
        }
        if programNames.isEmpty {
            result.issues.append(.error(at: SourceLocation(file: file), "事業の行が1つもありません", "no program rows found"))
        }
        PublishedDocument.cycle(for: programNames, municipality: municipality, fiscalYear: year, options: options, into: &d)
        result.dataset.merge(d)
        return result
    }
}

extension Dataset {
    /// Appends another dataset's records (a municipality already present is not repeated).
    public mutating func merge(_ other: Dataset) {
        for m in other.municipalities where !municipalities.contains(where: { $0.code == m.code }) { municipalities.append(m) }
        departments += other.departments
        plans += other.plans
        planNodes += other.planNodes
        programs += other.programs
        planLinks += other.planLinks
        indicators += other.indicators
        indicatorValues += other.indicatorValues
        budgets += other.budgets
        evaluations += other.evaluations
        cycles += other.cycles
        sheets += other.sheets
        regions += other.regions
        collaborationProjects += other.collaborationProjects
        collaborationCosts += other.collaborationCosts
        collaborationRoles += other.collaborationRoles
        manifestos += other.manifestos
        manifestoGoals += other.manifestoGoals
        inventoryReviews += other.inventoryReviews
        headlineFigures += other.headlineFigures
    }
}
