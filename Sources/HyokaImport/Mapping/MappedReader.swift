import Foundation
import HyokaCore

/// Reads a city's own file through an `ImportMapping` into a `Dataset`, and says what it
/// did: counts, the first records as Hyoka will store them, and every column it could not
/// place. Nothing is written here; the importer writes the dataset in one transaction.
public enum MappedReader {
    public struct Outcome: Sendable {
        public var read = ReadResult()
        /// The first programs as they will be stored, one line each, for the preview.
        public var firstRows: [String] = []
        /// Columns holding values that the mapping neither places nor ignores.
        public var unplaced: [String] = []
        /// The municipalities the files were read for.
        public var municipalityCodes: [String] = []
        /// The hourly 人件費 and the checklist's viewpoints the mapping configures for its
        /// municipalities (nil and empty when it says nothing).
        public var personnelCostPerHour: Money?
        public var evaluationViewpoints: [String] = []
    }

    /// How many programs the preview shows.
    static let previewCount = 5

    /// Reads every file (one municipality each, or one file of many programs) with the
    /// same mapping into one dataset.
    public static func read(_ urls: [URL], mapping: ImportMapping, options: ReadOptions) -> Outcome {
        var outcome = Outcome()
        if let rate = mapping.yearlyBlocks?.personnelCostPerHour {
            let unit = Money.Unit(rawValue: mapping.yearlyBlocks?.unit ?? "円") ?? .yen
            outcome.personnelCostPerHour = Money(yen: NSDecimalNumber(decimal: rate * unit.factor).int64Value)
        }
        outcome.evaluationViewpoints = (mapping.evaluations ?? []).flatMap { ($0.viewpoints ?? []).map(\.name) }
        for url in urls {
            do {
                let grid = try SourceGrid.read(url, source: mapping.source)
                var reader = try Engine(grid: grid, mapping: mapping, options: options)
                reader.run()
                merge(reader.dataset, into: &outcome.read.dataset)
                outcome.read.issues += reader.issues
                outcome.read.notes += reader.notes
                if outcome.firstRows.count < previewCount {
                    outcome.firstRows += reader.previewLines.prefix(previewCount - outcome.firstRows.count)
                }
                outcome.unplaced += reader.unplacedColumns()
                if !outcome.municipalityCodes.contains(reader.municipality) { outcome.municipalityCodes.append(reader.municipality) }
            } catch let error as MappingError {
                // The message is already in both languages.
                outcome.read.issues.append(.error(at: SourceLocation(file: url.lastPathComponent), error.description, ""))
            } catch {
                outcome.read.issues.append(.error(at: SourceLocation(file: url.lastPathComponent), "\(error)", "\(error)"))
            }
        }
        return outcome
    }

    static func merge(_ part: Dataset, into whole: inout Dataset) {
        whole.departments += part.departments
        whole.plans += part.plans
        whole.planNodes += part.planNodes
        whole.programs += part.programs
        whole.planLinks += part.planLinks
        whole.indicators += part.indicators
        whole.indicatorValues += part.indicatorValues
        whole.budgets += part.budgets
        whole.evaluations += part.evaluations
        whole.cycles += part.cycles
        whole.sheets += part.sheets
    }

    /// One file through one mapping.
    struct Engine {
        let grid: SourceGrid
        let mapping: ImportMapping
        let options: ReadOptions
        let municipality: String
        let fiscalYear: Int
        var dataset = Dataset()
        var issues: [ImportIssue] = []
        var notes: [String] = []
        var previewLines: [String] = []
        /// Columns the mapping reads or ignores.
        var placed: Set<Int> = []
        /// 事業期間 cells that are not a fiscal year, by mapping key: reported once per key.
        var unreadablePeriods: [String: [(SourceLocation, String)]] = [:]
        /// Amounts with a fraction of a yen, kept to the nearest yen.
        var roundedAmounts = 0
        /// Plan-tree names already reported as spelled two ways.
        var reportedSpellings: Set<String> = []
        /// Resolved cells, so each is looked up once.
        var columns: [ImportMapping.Cell: Int] = [:]

        init(grid: SourceGrid, mapping: ImportMapping, options: ReadOptions) throws {
            self.grid = grid
            self.mapping = mapping
            self.options = options
            municipality = try Engine.municipality(grid: grid, mapping: mapping, options: options)
            // Every cell the mapping names must exist before any row is read: a mistyped
            // column stops the import with the mapping's key, not 407 blank programs.
            var columns: [ImportMapping.Cell: Int] = [:]
            var placed: Set<Int> = []
            for (key, cell) in Engine.cells(of: mapping) {
                guard cell.value == nil else { continue }
                // An ignored column a file lacks is nothing to ignore (some cities' files have
                // pdf_url, others not).
                if key.hasPrefix("ignore"), (try? Engine.resolve(cell, key: key, in: grid)) == nil { continue }
                let column = try Engine.resolve(cell, key: key, in: grid)
                columns[cell] = column
                placed.insert(column)
            }
            if let blocks = mapping.yearlyBlocks {
                guard blocks.starts.count == blocks.years.count else {
                    throw MappingError("\(grid.file): yearlyBlocks.starts（\(blocks.starts.count) 個）と yearlyBlocks.years（\(blocks.years.count) 個）の数が違います (starts and years differ in number)")
                }
                let offsets = Engine.blockOffsets(blocks, indicators: mapping.indicators ?? [])
                for (n, start) in blocks.starts.enumerated() {
                    guard let first = Engine.columnIndex(letters: start) else {
                        throw MappingError("\(grid.file): yearlyBlocks.starts[\(n)]「\(start.prefix(10))」は列名（A〜XFD）ではありません (not a column name)")
                    }
                    for offset in offsets {
                        let column = first + offset
                        guard column < max(grid.header.count, 1) || grid.rows.contains(where: { $0.cells.count > column }) else {
                            throw MappingError("\(grid.file)\(grid.sheet.map { " シート「\($0)」" } ?? ""): yearlyBlocks.starts[\(n)] の \(offset) 列先（\(SourceLocation.columnLetters(column + 1)) 列）がありません (the block's column \(SourceLocation.columnLetters(column + 1)) is past the sheet's last column)")
                        }
                        placed.insert(column)
                    }
                }
            }
            self.columns = columns
            self.placed = placed
            fiscalYear = try Engine.fiscalYear(grid: grid, mapping: mapping, options: options, columns: columns)
        }

        // MARK: Resolving the mapping against the file

        static func municipality(grid: SourceGrid, mapping: ImportMapping, options: ReadOptions) throws -> String {
            if let code = options.municipalityCode ?? mapping.municipality.code {
                guard let entry = MunicipalityRegistry.entry(code) else {
                    throw MappingError("\(grid.file): 団体コード「\(code)」は全国地方公共団体コードにありません (no municipality has code \(code))")
                }
                return entry.code
            }
            if let field = mapping.municipality.documentField {
                guard let name = grid.documentFields[field] else {
                    throw MappingError("\(grid.file): 団体名の欄「\(field)」がありません。--municipality で団体コードを指定してください (no field \(field); give --municipality)")
                }
                guard let entry = MunicipalityRegistry.entry(named: name) else {
                    throw MappingError("\(grid.file): 団体名「\(name.prefix(40))」が全国地方公共団体コードに見つかりません。--municipality で団体コードを指定してください (no municipality is named \(name.prefix(40)); give --municipality)")
                }
                return entry.code
            }
            throw MappingError("\(grid.file): 団体が指定されていません。--municipality で団体コードを指定するか、対応表の municipality.code に書いてください (no municipality: give --municipality or municipality.code)")
        }

        static func fiscalYear(grid: SourceGrid, mapping: ImportMapping, options: ReadOptions, columns: [ImportMapping.Cell: Int]) throws -> Int {
            if let year = options.fiscalYear ?? mapping.fiscalYear?.value { return year }
            if let cell = mapping.fiscalYear?.cell, let column = columns[cell], let first = grid.rows.first {
                let raw = first.cells.indices.contains(column) ? first.cells[column] : ""
                var text: String? = raw.trimmingCharacters(in: .whitespacesAndNewlines)
                for conversion in cell.convert ?? [] { text = text.flatMap(conversion.apply) }
                guard let text, let year = FiscalYear(parsing: text)?.year else {
                    throw MappingError("\(grid.location(row: first.number, column: column)): 年度「\(raw.prefix(20))」が読めません。--fiscal-year で指定してください (cannot read the fiscal year; give --fiscal-year)")
                }
                return year
            }
            throw MappingError("\(grid.file): 年度が指定されていません。--fiscal-year で年度（例: 2025 または 令和7年度）を指定してください (no fiscal year: give --fiscal-year)")
        }

        /// Every cell the mapping names, with the key a person finds it under.
        static func cells(of mapping: ImportMapping) -> [(String, ImportMapping.Cell)] {
            var out: [(String, ImportMapping.Cell)] = [("program.name", mapping.program.name)]
            let program = mapping.program
            for (key, cell) in [("program.number", program.number), ("program.department", program.department), ("program.summary", program.summary),
                                ("program.legalBasis", program.legalBasis), ("program.category", program.category), ("program.periodKind", program.periodKind),
                                ("program.periodStart", program.periodStart), ("program.periodEnd", program.periodEnd),
                                ("program.purposeTarget", program.purposeTarget), ("program.purposeIntent", program.purposeIntent),
                                ("program.purposeResult", program.purposeResult), ("program.meansPreviousYear", program.meansPreviousYear),
                                ("program.meansThisYear", program.meansThisYear)] {
                if let cell { out.append((key, cell)) }
            }
            out += (program.budgetAccounts ?? []).enumerated().map { ("program.budgetAccounts[\($0.offset)]", $0.element) }
            if let cell = mapping.fiscalYear?.cell { out.append(("fiscalYear.cell", cell)) }
            for (n, level) in (mapping.planTree ?? []).enumerated() {
                out += level.code.enumerated().map { ("planTree[\(n)].code[\($0.offset)]", $0.element) }
                out.append(("planTree[\(n)].title", level.title))
            }
            for (n, indicator) in (mapping.indicators ?? []).enumerated() {
                out.append(("indicators[\(n)].name", indicator.name))
                if let unit = indicator.unit { out.append(("indicators[\(n)].unit", unit)) }
                if let value = indicator.value { out.append(("indicators[\(n)].value", value)) }
            }
            if let budget = mapping.budget { out.append(("budget.amount", budget.amount)) }
            for (n, evaluation) in (mapping.evaluations ?? []).enumerated() {
                for (key, cell) in [("direction", evaluation.direction), ("comment", evaluation.comment), ("improvement", evaluation.improvement),
                                    ("author", evaluation.author), ("expectedOutcome", evaluation.expectedOutcome), ("expectedCost", evaluation.expectedCost)] {
                    if let cell { out.append(("evaluations[\(n)].\(key)", cell)) }
                }
                for (v, viewpoint) in (evaluation.viewpoints ?? []).enumerated() {
                    out.append(("evaluations[\(n)].viewpoints[\(v)].judgement", viewpoint.judgement))
                    if let reason = viewpoint.reason { out.append(("evaluations[\(n)].viewpoints[\(v)].reason", reason)) }
                }
            }
            for (n, cell) in (mapping.ignore ?? []).enumerated() { out.append(("ignore[\(n)]", cell)) }
            return out
        }

        static func blockOffsets(_ blocks: ImportMapping.BlocksSpec, indicators: [ImportMapping.IndicatorSpec]) -> [Int] {
            let f = blocks.fields
            return [f.national, f.prefectural, f.bond, f.otherSpecific, f.general, f.total, f.staff, f.hours, f.personnel, f.totalCost].compactMap { $0 }
                + indicators.compactMap(\.blockOffset)
        }

        static func resolve(_ cell: ImportMapping.Cell, key: String, in grid: SourceGrid) throws -> Int {
            let place = "\(grid.file)\(grid.sheet.map { " シート「\($0)」" } ?? "")"
            if let letters = cell.column {
                guard let index = columnIndex(letters: letters) else {
                    throw MappingError("\(place): \(key) の列「\(letters.prefix(10))」は列名（A〜XFD）ではありません (\(key): not a column name)")
                }
                guard index < grid.header.count || grid.rows.contains(where: { $0.cells.count > index }) else {
                    throw MappingError("\(place): \(key) の列 \(letters) がありません（最後の列は \(SourceLocation.columnLetters(grid.header.count))） (\(key): column \(letters) is past the last column)")
                }
                return index
            }
            if let name = cell.header ?? cell.field {
                let wanted = JapaneseText.compact(name)
                guard let index = grid.header.firstIndex(where: { JapaneseText.compact($0) == wanted }) else {
                    let what = cell.field != nil ? "欄（field）" : "見出し（header）"
                    throw MappingError("\(place): \(key) の\(what)「\(name.prefix(40))」がありません (\(key): no column named \(name.prefix(40)))")
                }
                return index
            }
            throw MappingError("\(place): \(key) に column, header, field, value のどれかを書いてください (\(key) needs column, header, field or value)")
        }

        /// `A` → 0, `BT` → 71.
        static func columnIndex(letters: String) -> Int? {
            let upper = letters.uppercased()
            guard (1...3).contains(upper.count), upper.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
            var n = 0
            for scalar in upper.unicodeScalars { n = n * 26 + Int(scalar.value) - 64 }
            return n <= XLSX.maxColumn ? n - 1 : nil
        }

        // MARK: Reading the rows

        /// Runs of spaces (全角 too) and line breaks as one space, the ends trimmed; width and
        /// brackets as the city wrote them (a name is not NFKC-folded).
        static func collapsed(_ text: String) -> String {
            text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        }

        func raw(_ row: [String], _ column: Int) -> String {
            row.indices.contains(column) ? row[column] : ""
        }

        /// The converted text of a mapped cell ("" when blank), or nil after recording an
        /// error that names the cell.
        mutating func text(_ cell: ImportMapping.Cell?, in row: (number: Int, cells: [String]), key: String) -> String? {
            guard let cell else { return "" }
            if let value = cell.value { return value }
            guard let column = columns[cell] else { return "" }
            let original = raw(row.cells, column)
            var text = original.trimmingCharacters(in: .whitespacesAndNewlines)
            for conversion in cell.convert ?? [] {
                guard let converted = conversion.apply(text) else {
                    issues.append(.error(at: grid.location(row: row.number, column: column),
                                         "\(key) の値「\(original.prefix(30))」を \(conversion) で変換できません (cannot convert with \(conversion))",
                                         "\(key): cannot convert \"\(original.prefix(30))\" with \(conversion)"))
                    return nil
                }
                text = converted
            }
            return text
        }

        mutating func money(_ row: (number: Int, cells: [String]), column: Int, unit: Money.Unit, key: String) -> Money?? {
            let original = raw(row.cells, column)
            let text = JapaneseText.compact(original)
            if text.isEmpty || isNoData(text) { return .some(nil) }
            // A plain number in the file's unit. Sheets compute shares of 財源 by formula, so a
            // 千円 cell may hold 1355.3925 or 2799.4849999999997: kept to the nearest yen, and
            // counted for the report when more than floating-point noise was dropped.
            if let value = Decimal(string: text.replacingOccurrences(of: ",", with: ""), locale: Locale(identifier: "en_US_POSIX")),
               text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "," || $0 == "-" }) {
                var yen = value * unit.factor
                var rounded = Decimal()
                NSDecimalRound(&rounded, &yen, 0, .plain)
                guard abs(rounded) <= Money.maximumAmount else {
                    issues.append(.error(at: grid.location(row: row.number, column: column), "\(key) の「\(original.prefix(30))」は大きすぎます",
                                         "\(key): \"\(original.prefix(30))\" is too large"))
                    return nil
                }
                if abs(rounded - yen) > Decimal(string: "0.01")! { roundedAmounts += 1 }
                return .some(Money(yen: NSDecimalNumber(decimal: rounded).int64Value))
            }
            do {
                return .some(try Money.parse(text, defaultUnit: unit))
            } catch {
                issues.append(.error(at: grid.location(row: row.number, column: column),
                                     "\(key) の「\(original.prefix(30))」は金額として読めません。数字だけにしてください (\(error))",
                                     "\(key): \"\(original.prefix(30))\" is not an amount; write digits only (\(error))"))
                return nil
            }
        }

        /// A count of hours or people; nil when blank, not a number, or beyond any real sheet's.
        func decimal(_ row: [String], column: Int) -> Decimal? {
            let text = JapaneseText.compact(raw(row, column)).replacingOccurrences(of: ",", with: "")
            guard !text.isEmpty, let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")),
                  value >= 0, value <= WorkbookTable.maximumCount else { return nil }
            return value
        }

        mutating func run() {
            let plan = mapping.plan ?? "総合計画"
            let unit = Money.Unit(rawValue: mapping.yearlyBlocks?.unit ?? mapping.budget?.unit ?? "円") ?? .yen
            if !(mapping.planTree ?? []).isEmpty { dataset.plans.append(PlanRecord(municipalityCode: municipality, name: plan)) }

            // Names first, so that duplicates are known before any record is built.
            var names: [(row: Int, name: String?, number: String?)] = []
            for row in grid.rows {
                let name = text(mapping.program.name, in: row, key: "program.name").map(Engine.collapsed)
                let number = text(mapping.program.number, in: row, key: "program.number")
                names.append((row.number, name, number.flatMap { $0.isEmpty ? nil : $0 }))
            }
            var counts: [String: Int] = [:]
            for entry in names { if let name = entry.name, !name.isEmpty { counts[name, default: 0] += 1 } }
            let suffixDuplicates = mapping.program.duplicateNames == "suffixNumber"

            var departments: Set<String> = []
            var nodes: [String: (title: String, level: String, parent: String?, row: Int, column: Int?)] = [:]
            var seen: Set<String> = []
            for (index, row) in grid.rows.enumerated() {
                guard var name = names[index].name else { continue }
                if name.isEmpty {
                    issues.append(.warning(at: grid.location(row: row.number, column: columns[mapping.program.name]),
                                           "事業名が空欄の行を飛ばしました", "skipped a row with no program name"))
                    continue
                }
                let number = names[index].number
                if counts[name, default: 0] > 1 {
                    guard suffixDuplicates, let number else {
                        issues.append(.error(at: grid.location(row: row.number, column: columns[mapping.program.name]),
                                             "事業名「\(name)」が \(counts[name] ?? 0) 行にあります。名前を区別するか、対応表に \"duplicateNames\": \"suffixNumber\" を書いてください",
                                             "program name \(name) appears in \(counts[name] ?? 0) rows; tell them apart or set duplicateNames to suffixNumber"))
                        continue
                    }
                    let renamed = "\(name)（No. \(number)）"
                    notes.append("\(grid.location(row: row.number, column: columns[mapping.program.name])): 同名の事業があるため「\(renamed)」として取り込みます (a program of the same name exists: imported as \(renamed))")
                    name = renamed
                }
                guard seen.insert(name).inserted else {
                    issues.append(.error(at: grid.location(row: row.number, column: columns[mapping.program.name]),
                                         "事業「\(name)」が二度あります", "program \(name) appears twice"))
                    continue
                }
                var program = ProgramRecord(municipalityCode: municipality, name: name, number: number)
                if let department = text(mapping.program.department, in: row, key: "program.department"), !department.isEmpty {
                    let tidy = Engine.collapsed(department)
                    program.department = tidy
                    if departments.insert(tidy).inserted { dataset.departments.append(DepartmentRecord(municipalityCode: municipality, name: tidy)) }
                }
                if let summary = text(mapping.program.summary, in: row, key: "program.summary"), !summary.isEmpty { program.summary = summary }
                readProgramTexts(row, into: &program)
                dataset.programs.append(program)

                // The plan tree: each level's code is its parent's code and its own number.
                var parent: String?
                for (n, level) in (mapping.planTree ?? []).enumerated() {
                    let own = level.code.enumerated().compactMap { text($0.element, in: row, key: "planTree[\(n)].code[\($0.offset)]") }
                        .map(JapaneseText.compact).joined()
                    let title = text(level.title, in: row, key: "planTree[\(n)].title").map(Engine.collapsed) ?? ""
                    guard !own.isEmpty, !title.isEmpty else { break }
                    let code = parent.map { "\($0)-\(own)" } ?? own
                    if let known = nodes[code] {
                        if known.title != title, reportedSpellings.insert("\(code)\u{0}\(title)").inserted {
                            issues.append(.warning(at: grid.location(row: row.number, column: columns[level.title]),
                                                   "\(level.level) \(code) の名前が行によって違います:「\(known.title)」（\(known.row) 行目）と「\(title)」。どちらかに揃えてください",
                                                   "\(level.level) \(code) is spelled two ways: \"\(known.title)\" (row \(known.row)) and \"\(title)\"; make them one"))
                        }
                    } else {
                        nodes[code] = (title, level.level, parent, row.number, columns[level.title])
                        dataset.planNodes.append(PlanNodeRecord(municipalityCode: municipality, plan: plan, code: code, parentCode: parent, title: title, level: level.level))
                    }
                    parent = code
                }
                if let parent {
                    dataset.planLinks.append(PlanLinkRecord(municipalityCode: municipality, plan: plan, nodeCode: parent, program: name))
                }

                readIndicators(row, program: name)
                readBudgets(row, program: name, unit: unit)
                for (n, spec) in (mapping.evaluations ?? []).enumerated() { readEvaluation(row, program: name, spec: spec, index: n) }

                if previewLines.count < MappedReader.previewCount { previewLines.append(preview(name)) }
            }
            // A year whose records came from the city's own file is the city's published year
            // (or drafts with --draft), as for the published layouts.
            for (key, cells) in unreadablePeriods.sorted(by: { $0.key < $1.key }) {
                guard let first = cells.first else { continue }
                let examples = cells.prefix(3).map { "「\($0.1.prefix(10))」" }.joined(separator: "、")
                issues.append(.warning(at: first.0,
                                       "program.\(key): \(cells.count) 件の事業期間を年度として読めないため空欄にしました（\(examples) など。元号のない数字は平成か令和か分かりません。昭和39、H18、R5、2023 のように書いてください）",
                                       "program.\(key): \(cells.count) periods are not fiscal years and were left blank (a bare number names no era; write H18, R5 or 2023)"))
            }
            if roundedAmounts > 0 {
                notes.append("\(grid.file): 円未満の端数がある金額 \(roundedAmounts) 件を 1 円単位に四捨五入しました (\(roundedAmounts) amounts with a fraction of a yen rounded to the yen)")
            }
            PublishedDocument.cycle(for: dataset.programs.map(\.name), municipality: municipality, fiscalYear: fiscalYear, options: options, into: &dataset)
        }

        /// 根拠法令, 区分, 事業期間, 予算科目, 目的 and 手段.
        mutating func readProgramTexts(_ row: (number: Int, cells: [String]), into program: inout ProgramRecord) {
            let spec = mapping.program
            func value(_ cell: ImportMapping.Cell?, _ key: String) -> String? {
                text(cell, in: row, key: "program.\(key)").flatMap { $0.isEmpty ? nil : $0 }
            }
            program.legalBasis = value(spec.legalBasis, "legalBasis")
            program.category = value(spec.category, "category").map(Engine.collapsed)
            program.periodKind = value(spec.periodKind, "periodKind").map(Engine.collapsed)
            program.purposeTarget = value(spec.purposeTarget, "purposeTarget")
            program.purposeIntent = value(spec.purposeIntent, "purposeIntent")
            program.purposeResult = value(spec.purposeResult, "purposeResult")
            program.meansPreviousYear = value(spec.meansPreviousYear, "meansPreviousYear")
            program.meansThisYear = value(spec.meansThisYear, "meansThisYear")
            for (key, cell) in [("periodStart", spec.periodStart), ("periodEnd", spec.periodEnd)] {
                guard let raw = value(cell, key), !isNoData(JapaneseText.compact(raw)), JapaneseText.compact(raw) != "0" else { continue }
                // A bare number (「18」) names no era: 平成18 or 令和18 cannot be told apart.
                guard let year = FiscalYear(parsing: raw)?.year, !JapaneseText.compact(raw).allSatisfy(\.isNumber) || year > 1900 else {
                    unreadablePeriods[key, default: []].append((grid.location(row: row.number, column: cell.flatMap { columns[$0] }), raw))
                    continue
                }
                if key == "periodStart" { program.startFiscalYear = year } else { program.endFiscalYear = year }
            }
            // 予算科目: column by column, line by line (「01\n01」 is two accounts).
            if let cells = spec.budgetAccounts, !cells.isEmpty {
                let parts = cells.enumerated().map { n, cell in
                    (text(cell, in: row, key: "program.budgetAccounts[\(n)]") ?? "").split(whereSeparator: \.isNewline).map { JapaneseText.compact(String($0)) }
                }
                let count = parts.map(\.count).max() ?? 0
                program.budgetAccounts = (0..<count).map { line in
                    parts.map { $0.indices.contains(line) ? $0[line] : "" }.joined(separator: "-")
                }.filter { !$0.replacingOccurrences(of: "-", with: "").isEmpty }
            }
        }

        mutating func readIndicators(_ row: (number: Int, cells: [String]), program: String) {
            guard let specs = mapping.indicators else { return }
            var names: Set<String> = []
            for (n, spec) in specs.enumerated() {
                let kind = IndicatorKind(rawValue: spec.kind) ?? .outcome
                guard var name = text(spec.name, in: row, key: "indicators[\(n)].name").map(Engine.collapsed) else { continue }
                let values = indicatorValues(row, spec: spec, index: n)
                if name.isEmpty {
                    // Templates fill unnamed indicators with 0: only a figure is worth a warning.
                    if let first = values.first(where: { Decimal(string: JapaneseText.compact($0.raw)) != 0 }) {
                        issues.append(.warning(at: grid.location(row: row.number, column: first.column),
                                               "\(kind.japanese)に値「\(first.raw.prefix(20))」がありますが、指標名が空欄です。名前を書いてください（値は取り込みません）",
                                               "\(kind.english) indicator has a value but no name; name it (the values are not imported)"))
                    }
                    continue
                }
                // One program may name the same indicator as two kinds (活動 and 成果).
                if names.contains(name) {
                    let base = "\(name)（\(kind.japanese)）"
                    name = base
                    var n = 2
                    while names.contains(name) { name = "\(base.dropLast())\(n)）"; n += 1 }
                }
                names.insert(name)
                var indicator = IndicatorRecord(municipalityCode: municipality, owner: .program(name: program), name: name)
                indicator.kind = kind
                if let unit = text(spec.unit, in: row, key: "indicators[\(n)].unit"), !unit.isEmpty { indicator.unit = Engine.collapsed(unit) }
                dataset.indicators.append(indicator)
                for value in values {
                    var record = IndicatorValueRecord(municipalityCode: municipality, owner: .program(name: program), indicatorName: name, fiscalYear: value.year)
                    // A settled year's figure is what happened; a budget or planned year's is the plan.
                    if value.settled { record.actualRaw = value.raw } else { record.targetRaw = value.raw }
                    dataset.indicatorValues.append(record)
                }
            }
        }

        /// The non-blank values of an indicator, by year.
        mutating func indicatorValues(_ row: (number: Int, cells: [String]), spec: ImportMapping.IndicatorSpec, index n: Int)
            -> [(year: Int, raw: String, settled: Bool, column: Int?)]
        {
            var out: [(Int, String, Bool, Int?)] = []
            if let cell = spec.value, let raw = text(cell, in: row, key: "indicators[\(n)].value"), !raw.isEmpty, !isNoData(raw) {
                out.append((fiscalYear, raw, true, columns[cell]))
            }
            if let offset = spec.blockOffset, let blocks = mapping.yearlyBlocks {
                for (start, year) in zip(blocks.starts, blocks.years) {
                    guard let first = Engine.columnIndex(letters: start) else { continue }
                    let raw = Engine.collapsed(self.raw(row.cells, first + offset))
                    guard !raw.isEmpty else { continue }
                    out.append((self.year(year), raw, year.kind == "settled", first + offset))
                }
            }
            return out
        }

        /// PDF extractions write 「データなし」 where a sheet had no figure.
        func isNoData(_ raw: String) -> Bool { ["データなし", "-", "－", "―", "—"].contains(raw) }

        func year(_ block: ImportMapping.BlockYear) -> Int { block.year ?? fiscalYear + (block.offset ?? 0) }

        mutating func readBudgets(_ row: (number: Int, cells: [String]), program: String, unit: Money.Unit) {
            if let single = mapping.budget, let column = columns[single.amount] {
                let unit = Money.Unit(rawValue: single.unit ?? "円") ?? .yen
                if case let .some(amount) = money(row, column: column, unit: unit, key: "budget.amount"), let amount {
                    var budget = BudgetRecord(municipalityCode: municipality, program: program, fiscalYear: fiscalYear)
                    if single.kind == "settlement" { budget.settlement = amount } else { budget.budget = amount }
                    dataset.budgets.append(budget)
                }
            }
            guard let blocks = mapping.yearlyBlocks else { return }
            let f = blocks.fields
            for (start, year) in zip(blocks.starts, blocks.years) {
                guard let first = Engine.columnIndex(letters: start) else { continue }
                func figure(_ offset: Int?, _ key: String) -> Money?? {
                    guard let offset else { return .some(nil) }
                    return money(row, column: first + offset, unit: unit, key: "yearlyBlocks.fields.\(key)")
                }
                guard case let .some(total) = figure(f.total, "total"), case let .some(national) = figure(f.national, "national"),
                      case let .some(prefectural) = figure(f.prefectural, "prefectural"), case let .some(bond) = figure(f.bond, "bond"),
                      case let .some(other) = figure(f.otherSpecific, "otherSpecific"), case let .some(general) = figure(f.general, "general"),
                      case var .some(personnel) = figure(f.personnel, "personnel"), case let .some(printedTotalCost) = figure(f.totalCost, "totalCost")
                else { continue }
                let hours = f.hours.flatMap { decimal(row.cells, column: first + $0) }
                let fiscalYear = self.year(year)
                guard [total, national, prefectural, bond, other, general, personnel].contains(where: { $0 != nil }) || hours != nil else { continue }

                // 人件費 = 延べ業務時間 × the hourly cost when the sheet gives hours but no 人件費 (a
                // sheet that gives both is checked by the lint rule personnel-cost-hours).
                if personnel == nil, let hours, let rate = blocks.personnelCostPerHour {
                    personnel = Money(yen: NSDecimalNumber(decimal: hours * rate * unit.factor).int64Value)
                }
                // 財源 against 事業費 is the lint rule funding-sum-mismatch, on what is stored;
                // the printed トータルコスト is not stored, so it is checked here.
                if let printedTotalCost, let total, (total + (personnel ?? .zero)) != printedTotalCost {
                    issues.append(.warning(at: grid.location(row: row.number, column: first + (f.totalCost ?? 0)),
                                           "\(fiscalYear)年度のトータルコスト \(printedTotalCost.thousandYenWithUnit) が事業費計 + 人件費 = \((total + (personnel ?? .zero)).thousandYenWithUnit) と合いません（Hyoka は事業費計 + 人件費 を使います）",
                                           "FY\(fiscalYear) total cost \(printedTotalCost.yen) yen is not program cost + personnel cost = \((total + (personnel ?? .zero)).yen) yen (Hyoka uses the sum)"))
                }
                var budget = BudgetRecord(municipalityCode: municipality, program: program, fiscalYear: fiscalYear)
                if year.kind == "settled" { budget.settlement = total } else { budget.budget = total }
                budget.isPlanned = year.kind == "planned"
                budget.workHours = hours
                budget.staffCount = f.staff.flatMap { decimal(row.cells, column: first + $0) }
                budget.personnelCost = personnel
                budget.national = national
                budget.prefectural = prefectural
                budget.bond = bond
                budget.otherSpecific = other
                budget.general = general
                dataset.budgets.append(budget)
            }
        }

        mutating func readEvaluation(_ row: (number: Int, cells: [String]), program: String, spec: ImportMapping.EvaluationSpec, index n: Int) {
            let stage = EvaluationStage(rawValue: spec.stage ?? "self") ?? .selfAssessment
            var evaluation = EvaluationRecord(municipalityCode: municipality, subject: .program(name: program), fiscalYear: fiscalYear, stage: stage)
            func value(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
            evaluation.direction = value(text(spec.direction, in: row, key: "evaluations[\(n)].direction"))
            evaluation.comment = value(text(spec.comment, in: row, key: "evaluations[\(n)].comment"))
            evaluation.improvement = value(text(spec.improvement, in: row, key: "evaluations[\(n)].improvement"))
            evaluation.author = value(text(spec.author, in: row, key: "evaluations[\(n)].author"))
            evaluation.expectedOutcome = value(text(spec.expectedOutcome, in: row, key: "evaluations[\(n)].expectedOutcome"))
            evaluation.expectedCost = value(text(spec.expectedCost, in: row, key: "evaluations[\(n)].expectedCost"))
            for (v, viewpoint) in (spec.viewpoints ?? []).enumerated() {
                guard let judgement = value(text(viewpoint.judgement, in: row, key: "evaluations[\(n)].viewpoints[\(v)].judgement")) else { continue }
                let reason = value(text(viewpoint.reason, in: row, key: "evaluations[\(n)].viewpoints[\(v)].reason"))
                evaluation.viewpoints.append(ViewpointJudgement(viewpoint: viewpoint.name, judgement: Engine.collapsed(judgement), reason: reason))
            }
            guard evaluation.direction != nil || evaluation.comment != nil || evaluation.improvement != nil || !evaluation.viewpoints.isEmpty else { return }
            dataset.evaluations.append(evaluation)
        }

        /// One program as it will be stored, for the preview.
        func preview(_ name: String) -> String {
            let program = dataset.programs.last
            let link = dataset.planLinks.last { $0.program == name }
            let budgets = dataset.budgets.filter { $0.program == name }.sorted { $0.fiscalYear < $1.fiscalYear }
            let money = budgets.map { b in
                let cost = b.settlement.map { "決算 \($0.thousandYenWithUnit)" } ?? b.budget.map { "予算 \($0.thousandYenWithUnit)" } ?? "—"
                return "\(b.fiscalYear): \(cost)\(b.personnelCost.map { " 人件費 \($0.thousandYenWithUnit)" } ?? "")"
            }
            let indicators = dataset.indicators.filter { $0.owner == .program(name: name) }.count
            let direction = dataset.evaluations.last { $0.subject == .program(name: name) }?.direction
            return ["\(municipality) \(program?.number.map { "[\($0)] " } ?? "")\(name)",
                    program?.department.map { "担当 \($0)" }, link.map { "施策 \($0.nodeCode)" },
                    "指標 \(indicators)", money.isEmpty ? nil : money.joined(separator: " / "), direction.map { "方向性 \($0)" }]
                .compactMap { $0 }.joined(separator: " · ")
        }

        /// Columns with values that the mapping neither reads nor ignores.
        func unplacedColumns() -> [String] {
            let width = max(grid.header.count, grid.rows.map(\.cells.count).max() ?? 0)
            var out: [String] = []
            for column in 0..<width where !placed.contains(column) {
                let filled = grid.rows.filter { !raw($0.cells, column).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
                guard let first = filled.first else { continue }
                let header = grid.header.indices.contains(column) ? Engine.collapsed(grid.header[column]).prefix(40) : ""
                out.append("\(grid.location(row: first.number, column: column)) 「\(header)」: \(filled.count) 件の値の取り込み先がありません (\(filled.count) values with no place)")
            }
            return out
        }
    }
}
