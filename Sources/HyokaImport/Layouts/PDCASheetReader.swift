import Foundation
import HyokaCore

/// Reads a 施策評価 sheet in PDCA form. Each numbered row (No.) is a program serving a 施策
/// (`I-2-(1)-② 大学などの…`, repeated or left empty for the 施策 above); a program spans
/// several rows, one or more per KPI. The years come from the page headers (`R4年度 予算額`,
/// `R3年度 事業評価`, the R3–R5 columns of the indicators).
///
/// Extraction moves cells freely, so rows are read by anchors, not positions:
/// - the tail of a row is anchored on its 事業費の増減 cell (増額/維持/減額): 成果の方向性, the
///   two budgets before it; 人件費, 事業評価, its improvement, 局施策評価 and its improvement
///   after it;
/// - indicators come in three forms: label rows (`目標` then R3–R5 targets and 中期目標;
///   `実績`; `達成率`), merged cells (`目標 54.0 %`, `実績 59.9 %`, `達成率 110.9 %`), and the
///   header repeated in the program row (`指標名等`, `現状値`) with the indicator on the
///   next row;
/// - a value with a year in parentheses before the first indicator year is a baseline;
///   one with a period or a later year is the 中期目標.
/// A row whose budgets differ from its program's, printed before the next No., belongs to
/// that next program.
public enum PDCASheetReader {
    static let planName = "基本計画"
    static let labels = ["目標", "実績", "達成率"]

    public static func detect(_ table: DelimitedText) -> Bool {
        table.rows.prefix(40).flatMap { $0 }.contains { $0.contains("【Plan】") || JapaneseText.compact($0).contains("事業費の増減") }
    }

    struct Cell { let column: Int; let text: String }

    struct KPI {
        var name: String
        var line: Int
        var baseline = ""
        var targets: [Int: String] = [:]
        var finalTarget = ""
        var actuals: [Int: String] = [:]
        var rates: [Int: String] = [:]
    }

    struct Tail: Equatable {
        var direction: String?
        var previousBudget: String
        var currentBudget: String
        /// The 事業費の増減 label as printed.
        var trend: String
        var personnel: String?
        var grade: String?
        var improvement: String?
        var bureauGrade: String?
        var bureauImprovement: String?
        /// Cells after the last field of the tail.
        var unplaced: [String] = []
    }

    struct Block {
        var number: String
        var line: Int
        var measureCode: String?
        var measureTitle: String?
        var sdgs: [Int] = []
        var name = ""
        var department = ""
        var summary: String?
        var tail: Tail?
        var kpis: [KPI] = []
        /// The indicator whose targets stood in a program row under a repeated header.
        var awaitingName: KPI?
    }

    struct Years {
        var previousBudget: Int
        var currentBudget: Int
        var evaluation: Int
        var indicator: [Int]
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    public static func read(_ table: DelimitedText, options: ReadOptions) -> ReadResult {
        var result = ReadResult()
        let file = table.file
        guard let municipality = PublishedDocument.municipality(options, into: &result, file: file) else { return result }
        guard let years = findYears(table) else {
            result.issues.append(.error(at: SourceLocation(file: file), "見出しに年度（R4年度 予算額、R3年度 事業評価、R3年度〜R5年度）が見つかりません",
                                        "the headers do not give the years (budget years, evaluation year, indicator years)"))
            return result
        }
        func warn(_ line: Int, _ column: Int?, _ ja: String, _ en: String) {
            result.issues.append(.warning(at: SourceLocation(file: file, line: line, column: column), ja, en))
        }

        var blocks: [Block] = []
        var pending: [(line: Int, cells: [Cell])] = []
        var measure: (code: String, title: String)?

        for (index, row) in table.rows.enumerated() {
            let line = index + 1
            let cells = row.enumerated().compactMap { i, text -> Cell? in
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                return trimmed.isEmpty ? nil : Cell(column: i + 1, text: trimmed)
            }
            guard !cells.isEmpty, !isHeader(cells) else { continue }

            if let (numberIndex, number) = programNumber(cells) {
                // 施策 in the cell before the No., else the one above continues.
                if numberIndex == 1, let parsed = measureCode(cells[0].text) { measure = parsed }
                var block: Block
                if let last = blocks.last, last.number == number {
                    block = blocks.removeLast()
                } else {
                    block = Block(number: number, line: line, measureCode: measure?.code, measureTitle: measure?.title)
                }
                var rest = Array(cells[(numberIndex + 1)...])
                if let first = rest.first, let goals = sdgGoals(first.text) {
                    if block.sdgs.isEmpty { block.sdgs = goals }
                    rest.removeFirst()
                }
                if rest.count >= 3, block.name.isEmpty {
                    block.name = JapaneseText.unwrap(rest[0].text)
                    block.department = JapaneseText.unwrap(rest[1].text)
                    block.summary = PublishedDocument.text(rest[2].text)
                } else if rest.count >= 3, JapaneseText.unwrap(rest[0].text) != block.name {
                    warn(line, rest[0].column, "No.\(number) の事業名が前の行と違います: 「\(JapaneseText.unwrap(rest[0].text))」", "No.\(number) is named differently here")
                } else if rest.count >= 3, PublishedDocument.text(rest[2].text) != block.summary {
                    warn(line, rest[2].column, "No.\(number) に2つ目の事業概要があります。最初のものを使います: 「\(rest[2].text.prefix(30))…」",
                         "No.\(number) has a second summary; the first is kept")
                }
                if rest.count >= 3 {
                    rest.removeFirst(3)
                } else {
                    warn(line, nil, "No.\(number) の事業名・所管課・概要が揃っていません", "No.\(number): name, department or summary missing")
                }
                // Rows printed before this No. that carried its budgets.
                for earlier in pending { read(earlier.cells, line: earlier.line, into: &block, years: years, warn: warn) }
                pending = []
                read(rest, line: line, into: &block, years: years, warn: warn)
                blocks.append(block)
                continue
            }
            guard !blocks.isEmpty else {
                warn(line, cells[0].column, "最初の事業（No.）より前の行は置き場所が分からないため取り込みませんでした", "a row before the first numbered program could not be placed")
                continue
            }
            // A row whose budgets differ from its program's belongs to the next program.
            if let tail = tail(of: cells), let current = blocks.last?.tail,
               current.previousBudget != tail.tail.previousBudget || current.currentBudget != tail.tail.currentBudget {
                pending.append((line, cells))
                continue
            }
            if !pending.isEmpty {
                pending.append((line, cells))
                continue
            }
            read(cells, line: line, into: &blocks[blocks.count - 1], years: years, warn: warn)
        }
        for earlier in pending {
            warn(earlier.line, nil, "この行の予算は直前の事業と異なり、後に続く事業（No.）もないため取り込みませんでした",
                 "this row's budget differs from the program above and no numbered program follows; not imported")
        }

        var d = Dataset()
        d.plans.append(PlanRecord(municipalityCode: municipality, name: planName))
        result.notes.append("\(file): 基本計画の名前が文書にないため「\(planName)」としました (the plan is not named in the document: \(planName))")
        var programs: [String] = []
        var nodes: Set<String> = []
        var departments: Set<String> = []
        for block in blocks {
            guard !block.name.isEmpty else { continue }
            let name = block.name
            if !departments.contains(block.department), !block.department.isEmpty {
                departments.insert(block.department)
                d.departments.append(DepartmentRecord(municipalityCode: municipality, name: block.department))
            }
            if let code = block.measureCode {
                if !nodes.contains(code) {
                    nodes.insert(code)
                    d.planNodes.append(PlanNodeRecord(municipalityCode: municipality, plan: planName, code: code, title: block.measureTitle ?? "", level: "施策"))
                }
                d.planLinks.removeAll { $0.nodeCode == code && $0.program == name }
                d.planLinks.append(PlanLinkRecord(municipalityCode: municipality, plan: planName, nodeCode: code, program: name, number: block.number, summary: block.summary))
            } else {
                warn(block.line, 1, "No.\(block.number) の施策番号が見つかりません", "No.\(block.number) stands under no 施策")
            }
            if !programs.contains(name) {
                programs.append(name)
                var program = ProgramRecord(municipalityCode: municipality, name: name, number: nil,
                                            department: block.department.isEmpty ? nil : block.department, summary: block.summary)
                program.sdgGoals = block.sdgs
                d.programs.append(program)
            }
            if let tail = block.tail {
                storeTail(tail, block: block, years: years, municipality: municipality, into: &d, warn: warn)
            } else {
                warn(block.line, nil, "No.\(block.number) の予算・事業費の増減・評価が見つかりません", "No.\(block.number): no budgets, trend or evaluation found")
            }
            for kpi in block.kpis {
                let owner = IndicatorOwner.program(name: name)
                if d.indicators.contains(where: { $0.owner == owner && $0.name == kpi.name }) { continue }
                let targets = years.indicator.compactMap { kpi.targets[$0] }
                let first = years.indicator[0]
                let (direction, source) = PublishedDocument.direction(
                    baseline: kpi.baseline, targets: targets, finalTarget: kpi.finalTarget,
                    published: kpi.rates[first].map { [(kpi.targets[first] ?? "", kpi.actuals[first] ?? "", $0)] } ?? [])
                var indicator = IndicatorRecord(municipalityCode: municipality, owner: owner, name: kpi.name, direction: direction, directionSource: source)
                indicator.baselineRaw = kpi.baseline
                indicator.finalTargetRaw = kpi.finalTarget
                indicator.unit = ([kpi.finalTarget, kpi.baseline] + targets).lazy.compactMap { Measure.parse($0).unit }.first
                d.indicators.append(indicator)
                for year in years.indicator where kpi.targets[year] != nil || kpi.actuals[year] != nil || kpi.rates[year] != nil {
                    var value = IndicatorValueRecord(municipalityCode: municipality, owner: owner, indicatorName: kpi.name, fiscalYear: year)
                    value.targetRaw = kpi.targets[year] ?? ""
                    value.actualRaw = kpi.actuals[year] ?? ""
                    value.publishedRateRaw = kpi.rates[year]
                    d.indicatorValues.append(value)
                }
            }
        }
        if programs.isEmpty {
            result.issues.append(.error(at: SourceLocation(file: file), "番号（No.）の付いた事業が1つもありません", "no numbered programs found"))
        }
        PublishedDocument.cycle(for: programs, municipality: municipality, fiscalYear: options.fiscalYear ?? years.evaluation, options: options, into: &d)
        result.dataset.merge(d)
        return result
    }

    // MARK: rows

    /// Reads the indicator cells and the tail of one row of a program.
    static func read(_ cells: [Cell], line: Int, into block: inout Block, years: Years, warn: (Int, Int?, String, String) -> Void) {
        var zone = cells
        if let (tailIndex, tail) = tail(of: cells) {
            for text in tail.unplaced {
                warn(line, nil, "評価欄の後の「\(text.prefix(20))」は置き場所が分からないため取り込みませんでした", "a cell after the evaluation columns could not be placed")
            }
            if let existing = block.tail, existing != tail, existing.previousBudget != tail.previousBudget || existing.currentBudget != tail.currentBudget {
                warn(line, nil, "No.\(block.number) に別の予算額があります（\(tail.previousBudget) / \(tail.currentBudget)）。最初の値を使います",
                     "No.\(block.number) shows other budgets here; the first ones are kept")
            } else if block.tail == nil || (block.tail?.improvement == nil && tail.improvement != nil) {
                block.tail = tail
            }
            zone = Array(cells[..<tailIndex])
        }
        readIndicators(zone, line: line, into: &block, years: years, warn: warn)
    }

    /// The cells of an indicator zone: labels (`目標`, `実績`, `達成率`, merged or alone),
    /// names and values.
    static func readIndicators(_ zone: [Cell], line: Int, into block: inout Block, years: Years, warn: (Int, Int?, String, String) -> Void) {
        guard !zone.isEmpty else { return }
        let texts = zone.map(\.text)
        // The header repeated in a program row: targets follow, the name comes next row.
        if JapaneseText.compact(texts[0]) == "指標名等" {
            var kpi = KPI(name: "", line: line)
            let values = zone.dropFirst().filter { !JapaneseText.compact($0.text).hasPrefix("現状値") }.map(\.text)
            assignTargets(values, to: &kpi, years: years)
            block.awaitingName = kpi
            return
        }
        if var kpi = block.awaitingName {
            // [name, baseline, actual, rate] under the repeated header.
            block.awaitingName = nil
            kpi.name = JapaneseText.unwrap(texts[0])
            kpi.line = line
            if texts.count > 1 { kpi.baseline = PublishedDocument.collapse(texts[1]) }
            if texts.count > 2 { kpi.actuals[years.indicator[0]] = texts[2] }
            if texts.count > 3 { kpi.rates[years.indicator[0]] = texts[3] }
            block.kpis.append(kpi)
            return
        }
        // Split the zone into the part before the first label and the labelled runs.
        guard let firstLabel = zone.firstIndex(where: { label(of: $0.text) != nil }) else {
            warn(line, zone[0].column, "指標欄の「\(texts.joined(separator: " | ").prefix(40))」は置き場所が分からないため取り込みませんでした",
                 "indicator cells without 目標/実績/達成率 could not be placed")
            return
        }
        let lead = zone[..<firstLabel].map(\.text)
        let startsKPI = label(of: zone[firstLabel].text)?.label == "目標"
        if startsKPI {
            var name = lead.first.map(JapaneseText.unwrap) ?? ""
            var baseline = lead.count > 1 ? PublishedDocument.collapse(lead[1]) : ""
            if lead.count == 1, isValue(lead[0]) {
                // No name printed, only a baseline.
                baseline = PublishedDocument.collapse(lead[0])
                name = ""
            }
            if lead.count > 2 {
                warn(line, zone[2].column, "指標名と基準値の後の「\(lead[2].prefix(20))」は置き場所が分からないため取り込みませんでした", "an extra cell before 目標 was not imported")
            }
            if name.isEmpty {
                name = "指標\(block.kpis.count + 1)（指標名の記載なし）"
                warn(line, nil, "No.\(block.number) の指標名が文書にありません。「\(name)」として取り込みました",
                     "No.\(block.number): an indicator without a name in the document was imported as \(name)")
            }
            block.kpis.append(KPI(name: name, line: line, baseline: baseline))
        } else if !lead.isEmpty {
            warn(line, zone[0].column, "「\(lead.joined(separator: " ").prefix(30))」は置き場所が分からないため取り込みませんでした", "cells before a label could not be placed")
        }
        guard !block.kpis.isEmpty else {
            warn(line, zone[firstLabel].column, "指標名より前の実績・達成率は置き場所が分からないため取り込みませんでした", "an actual or rate before any indicator could not be placed")
            return
        }

        // Runs: a label and the values up to the next label.
        var runs: [(label: String, merged: String?, values: [String])] = []
        for cell in zone[firstLabel...] {
            if let (name, rest) = label(of: cell.text) {
                runs.append((name, rest, []))
            } else if !runs.isEmpty {
                runs[runs.count - 1].values.append(cell.text)
            }
        }
        let isMerged = runs.contains { $0.merged != nil }
        var kpiIndex = block.kpis.count - 1
        var unplaced: [String] = []
        let first = years.indicator[0]
        for run in runs {
            switch run.label {
            case "目標":
                var values = run.values
                if let merged = run.merged { values.insert(merged, at: 0) }
                if isMerged {
                    // Merged form: 目標 X is the first year; values after it are later years
                    // and the 中期目標.
                    if let merged = run.merged { block.kpis[kpiIndex].targets[first] = merged }
                    if !run.values.isEmpty { unplaced += assignTrailing(run.values, to: &block.kpis[kpiIndex], years: years) }
                    continue
                }
                unplaced += assignTargets(values, to: &block.kpis[kpiIndex], years: years)
            case "実績":
                var values = run.values
                if let merged = run.merged { values.insert(merged, at: 0) }
                if let head = values.first, isEarlierBaseline(head, years: years) {
                    if block.kpis[kpiIndex].baseline.isEmpty { block.kpis[kpiIndex].baseline = PublishedDocument.collapse(head) }
                    values.removeFirst()
                }
                if isMerged, let actual = values.first {
                    block.kpis[kpiIndex].actuals[first] = actual
                    values.removeFirst()
                    if !values.isEmpty { unplaced += assignTrailing(values, to: &block.kpis[kpiIndex], years: years) }
                    continue
                }
                for (year, value) in zip(years.indicator, values) { block.kpis[kpiIndex].actuals[year] = value }
                unplaced += values.dropFirst(years.indicator.count)
            default: // 達成率
                var values = run.values
                if let merged = run.merged { values.insert(merged, at: 0) }
                guard let rate = values.first else { continue }
                // A rate row for an indicator that has one already belongs to an earlier
                // indicator still without one; the same rate printed twice is a repeat.
                if let existing = block.kpis[kpiIndex].rates[first] {
                    if JapaneseText.compact(existing) == JapaneseText.compact(rate) { continue }
                    if let earlier = block.kpis.indices.last(where: { block.kpis[$0].rates[first] == nil && !block.kpis[$0].actuals.isEmpty }) {
                        kpiIndex = earlier
                    } else {
                        warn(line, nil, "達成率「\(rate)」はどの指標のものか分からないため取り込みませんでした", "a rate that fits no indicator was not imported")
                        continue
                    }
                }
                block.kpis[kpiIndex].rates[first] = rate
                if isMerged, values.count > 1 {
                    unplaced += assignTrailing(Array(values.dropFirst()), to: &block.kpis[kpiIndex], years: years)
                } else if values.count > 1 {
                    unplaced += values.dropFirst()
                }
            }
        }
        for value in unplaced {
            warn(line, nil, "「\(value.prefix(20))」は年度の列に収まらないため取り込みませんでした", "a value beyond the year columns was not imported")
        }
    }

    /// Targets of a label row: the three years, then the 中期目標; a value before the first
    /// year with an older year in parentheses is the baseline.
    @discardableResult
    static func assignTargets(_ input: [String], to kpi: inout KPI, years: Years) -> [String] {
        var values = input
        if let head = values.first, isEarlierBaseline(head, years: years) {
            if kpi.baseline.isEmpty { kpi.baseline = PublishedDocument.collapse(head) }
            values.removeFirst()
        }
        var finalTarget: String?
        var leftovers: [String] = []
        if values.count > years.indicator.count {
            finalTarget = values.last
            leftovers = Array(values.dropLast().dropFirst(years.indicator.count))
            values = Array(values.prefix(years.indicator.count))
        } else if let last = values.last, looksFinal(last) {
            finalTarget = last
            values.removeLast()
        }
        for (year, value) in zip(years.indicator, values) { kpi.targets[year] = value }
        if let finalTarget { kpi.finalTarget = PublishedDocument.collapse(finalTarget) }
        return leftovers
    }

    /// Values after a merged 目標/実績/達成率 triple: the 中期目標 (with a period or year),
    /// and yearly targets, which fill the last years.
    @discardableResult
    static func assignTrailing(_ values: [String], to kpi: inout KPI, years: Years) -> [String] {
        var rest = values
        if let index = rest.lastIndex(where: looksFinal) {
            kpi.finalTarget = PublishedDocument.collapse(rest[index])
            rest.remove(at: index)
        } else if rest.count >= years.indicator.count, let last = rest.last {
            kpi.finalTarget = PublishedDocument.collapse(last)
            rest.removeLast()
        }
        let slots = years.indicator.suffix(min(rest.count, years.indicator.count))
        for (year, value) in zip(slots, rest.suffix(slots.count)) where kpi.targets[year] == nil || year != years.indicator[0] {
            kpi.targets[year] = value
        }
        return Array(rest.dropLast(slots.count))
    }

    // MARK: cell kinds

    static func label(of text: String) -> (label: String, rest: String?)? {
        let compact = PublishedDocument.collapse(text)
        for label in labels {
            if compact == label { return (label, nil) }
            if compact.hasPrefix(label + " ") {
                let rest = String(compact.dropFirst(label.count + 1))
                return rest.isEmpty ? (label, nil) : (label, rest)
            }
        }
        return nil
    }

    static func isValue(_ text: String) -> Bool {
        let kind = Measure.parse(text).kind
        return kind == .number || kind == .dash || kind == .noTarget || kind == .relative
    }

    /// A 中期目標: a period (毎年度), a comparator (以上), a year, or a 累計.
    static func looksFinal(_ text: String) -> Bool {
        let m = Measure.parse(text)
        return m.period != nil || m.year != nil || m.comparator == .atLeast || m.label != nil
    }

    /// `79.3% (H25年度)`: a value of a year before the first indicator year.
    static func isEarlierBaseline(_ text: String, years: Years) -> Bool {
        let m = Measure.parse(text)
        guard let year = m.startYear?.year ?? m.year?.year, m.period == nil else { return false }
        return year < years.indicator[0] && (m.kind == .number || m.kind == .text)
    }

    static func isHeader(_ cells: [Cell]) -> Bool {
        cells.contains { $0.text.contains("【Plan】") || $0.text.contains("施策番号") }
            || (cells.contains { JapaneseText.compact($0.text) == "指標名等" } && cells.contains { YearReference.parse($0.text)?.unit == .fiscalYear })
    }

    /// The No. of a program row: a whole number in the first or second cell, followed by
    /// SDG goals or a name.
    static func programNumber(_ cells: [Cell]) -> (Int, String)? {
        for index in 0..<min(2, cells.count) {
            let text = JapaneseText.compact(cells[index].text)
            guard let number = Int(text), (1...9999).contains(number), cells.count > index + 3 else { continue }
            if index == 1, measureCode(cells[0].text) == nil { continue }
            // A value row (`52施設`, `目標`) is not a program row.
            if label(of: cells[index + 1].text) != nil { continue }
            return (index, String(number))
        }
        return nil
    }

    /// `④ ⑩ ⑪ ⑰` or `8 11 17` or `17` → goal numbers.
    static func sdgGoals(_ text: String) -> [Int]? {
        let parts = JapaneseText.tidy(text).split(separator: " ")
        let numbers = parts.compactMap { Int($0) }
        guard !numbers.isEmpty, numbers.count == parts.count, numbers.allSatisfy({ (1...17).contains($0) }) else { return nil }
        return numbers
    }

    /// `I-2-(1)-② 大学などの…` → (`I-2-(1)-②`, `大学などの…`).
    static func measureCode(_ text: String) -> (code: String, title: String)? {
        let joined = text.filter { !$0.isWhitespace }
        let allowed = Set("IVXⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ0123456789()-①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")
        let code = String(joined.prefix { allowed.contains($0) })
        guard code.contains("-"), let first = code.first, "IVXⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ".contains(first) else { return nil }
        let title = JapaneseText.unwrap(String(joined.dropFirst(code.count)))
        return (code, title)
    }

    /// The 増減 anchor and what stands around it.
    static func tail(of cells: [Cell]) -> (index: Int, tail: Tail)? {
        guard let t = cells.lastIndex(where: { BudgetTrend(japanese: $0.text) != nil }), t >= 2,
              (try? Money.parse(cells[t - 1].text, defaultUnit: .thousandYen)) != nil,
              (try? Money.parse(cells[t - 2].text, defaultUnit: .thousandYen)) != nil else { return nil }
        var start = t - 2
        var direction: String?
        if t >= 3, let grade = GradeScale.direction.grade(named: cells[t - 3].text) {
            direction = grade.label == "拡充" && JapaneseText.compact(cells[t - 3].text) == "拡大" ? "拡大" : grade.label
            start = t - 3
        }
        var tail = Tail(direction: direction, previousBudget: cells[t - 2].text, currentBudget: cells[t - 1].text, trend: cells[t].text)
        var rest = Array(cells[(t + 1)...])
        if let first = rest.first, (try? Money.parse(first.text, defaultUnit: .thousandYen)) != nil {
            tail.personnel = first.text
            rest.removeFirst()
        }
        if let first = rest.first, GradeScale.evaluation.grade(named: first.text) != nil {
            tail.grade = GradeScale.evaluation.grade(named: first.text)?.label
            rest.removeFirst()
        }
        if let first = rest.first, GradeScale.evaluation.grade(named: first.text) == nil {
            tail.improvement = PublishedDocument.text(first.text)
            rest.removeFirst()
        }
        if let first = rest.first, let grade = GradeScale.evaluation.grade(named: first.text) {
            tail.bureauGrade = grade.label
            rest.removeFirst()
        }
        if let first = rest.first {
            tail.bureauImprovement = PublishedDocument.text(first.text)
            rest.removeFirst()
        }
        tail.unplaced = rest.map(\.text)
        return (start, tail)
    }

    static func storeTail(_ tail: Tail, block: Block, years: Years, municipality: String, into d: inout Dataset,
                          warn: (Int, Int?, String, String) -> Void) {
        let name = block.name
        // The same program in another numbered row: what differs cannot be kept twice.
        if let other = d.budgets.first(where: { $0.program == name && $0.fiscalYear == years.currentBudget }) {
            let personnel = tail.personnel.flatMap { try? Money.parse($0, defaultUnit: .thousandYen) }
            if other.budget != (try? Money.parse(tail.currentBudget, defaultUnit: .thousandYen)) || other.personnelCost != personnel {
                warn(block.line, nil, "No.\(block.number)「\(name)」の予算額・人件費が同じ事業の前の行と違います（\(tail.currentBudget) / \(tail.personnel ?? "—")）。前の行の値を使います",
                     "No.\(block.number) \(name): budget or personnel cost differ from an earlier row of the same program; the earlier values are kept")
            }
        }
        if let other = d.evaluations.first(where: { $0.subject == .program(name: name) && $0.fiscalYear == years.evaluation }),
           other.grade != tail.grade || other.direction != tail.direction {
            warn(block.line, nil, "No.\(block.number)「\(name)」の事業評価（\(tail.grade ?? "—")・\(tail.direction ?? "—")）が同じ事業の前の行（\(other.grade ?? "—")・\(other.direction ?? "—")）と違います。前の行の評価を使います",
                 "No.\(block.number) \(name): the evaluation differs from an earlier row of the same program; the earlier one is kept")
        }
        if !d.budgets.contains(where: { $0.program == name && $0.fiscalYear == years.currentBudget }) {
            var previous = BudgetRecord(municipalityCode: municipality, program: name, fiscalYear: years.previousBudget)
            previous.budget = try? Money.parse(tail.previousBudget, defaultUnit: .thousandYen)
            var current = BudgetRecord(municipalityCode: municipality, program: name, fiscalYear: years.currentBudget)
            current.budget = try? Money.parse(tail.currentBudget, defaultUnit: .thousandYen)
            current.personnelCost = tail.personnel.flatMap { try? Money.parse($0, defaultUnit: .thousandYen) }
            current.publishedTrend = tail.trend
            d.budgets += [previous, current]
        }
        if tail.direction == nil {
            warn(block.line, nil, "No.\(block.number) の成果の方向性が文書にありません", "No.\(block.number): no 成果の方向性 in the document")
        }
        if let index = d.evaluations.firstIndex(where: { $0.subject == .program(name: name) && $0.fiscalYear == years.evaluation }) {
            if d.evaluations[index].improvement == nil { d.evaluations[index].improvement = tail.improvement }
        } else {
            var evaluation = EvaluationRecord(municipalityCode: municipality, subject: .program(name: name), fiscalYear: years.evaluation, stage: .selfAssessment)
            evaluation.grade = tail.grade
            evaluation.direction = tail.direction
            evaluation.improvement = tail.improvement
            d.evaluations.append(evaluation)
            if tail.grade == nil { warn(block.line, nil, "No.\(block.number) の事業評価が文書にありません", "No.\(block.number): no 事業評価 in the document") }
        }
        if let code = block.measureCode, tail.bureauGrade != nil || tail.bureauImprovement != nil,
           !d.evaluations.contains(where: { $0.subject == .planNode(plan: planName, code: code) && $0.fiscalYear == years.evaluation }) {
            var evaluation = EvaluationRecord(municipalityCode: municipality, subject: .planNode(plan: planName, code: code), fiscalYear: years.evaluation, stage: .primary)
            evaluation.grade = tail.bureauGrade
            evaluation.improvement = tail.bureauImprovement
            d.evaluations.append(evaluation)
        }
    }

    /// Budget years from `R4年度 予算額`, the evaluation year from `R3年度 事業評価`, the
    /// indicator years from the `R3年度` … columns of the indicator header.
    static func findYears(_ table: DelimitedText) -> Years? {
        var budgetYears: [Int] = []
        var evaluation: Int?
        var indicator: [Int] = []
        for row in table.rows.prefix(60) {
            for cell in row {
                let compact = JapaneseText.compact(cell)
                if compact.contains("予算額"), let year = leadingYear(compact), !budgetYears.contains(year) { budgetYears.append(year) }
                if compact.contains("事業評価"), evaluation == nil, let year = leadingYear(compact) { evaluation = year }
                if let reference = YearReference.parse(cell), reference.unit == .fiscalYear, !indicator.contains(reference.year) { indicator.append(reference.year) }
            }
        }
        guard budgetYears.count >= 2, let evaluation, !indicator.isEmpty else { return nil }
        return Years(previousBudget: budgetYears[0], currentBudget: budgetYears[1], evaluation: evaluation, indicator: indicator.sorted())
    }

    static func leadingYear(_ compact: String) -> Int? {
        guard let range = compact.range(of: "^(R|H|令和|平成)[0-9元]+年度", options: .regularExpression) else { return nil }
        return FiscalYear(parsing: String(compact[range]))?.year
    }
}
