import Foundation
import HyokaCore

/// A declarative mapping from a city's own file layout to Hyoka's records (docs/mapping.md):
/// which sheet, rows and columns of an `.xlsx`, `.csv` or `.json` file become which fields,
/// with the conversions real files need (千円, full-width digits, `１　現状維持`, repeated
/// yearly blocks). A city copies a shipped mapping (`mappings/`) and edits it for its own
/// layout; no code changes.
public struct ImportMapping: Decodable, Sendable {
    /// What the mapping is for, printed in the preview.
    public var name: String
    public var source: Source
    public var municipality: MunicipalitySpec
    /// The fiscal year the file's evaluation is for; `--fiscal-year` overrides it.
    public var fiscalYear: YearSpec?
    /// The name the plan tree is filed under (総合計画).
    public var plan: String?
    public var program: ProgramSpec
    /// 政策 → 施策 → 基本事業: the levels of the plan tree, top first.
    public var planTree: [TreeLevel]?
    public var indicators: [IndicatorSpec]?
    /// One money figure per program, for files without yearly blocks.
    public var budget: SingleBudgetSpec?
    public var yearlyBlocks: BlocksSpec?
    /// One per stage the file holds (the section's own 自己評価, the 課長's opinion …).
    public var evaluations: [EvaluationSpec]?
    /// Columns deliberately left out (staff names, telephone numbers, the sheet's own
    /// formulas), so that the preview does not list them as cells it cannot place.
    public var ignore: [Cell]?

    public struct Source: Decodable, Sendable {
        /// `xlsx`, `csv` or `json`.
        public var format: Format
        /// The sheet of an `.xlsx` (default: the first).
        public var sheet: String?
        /// The row holding the column names (1-based, as Excel numbers rows; default 1).
        public var headerRow: Int?
        /// The first and last rows of records (default: the row after the header, to the end).
        public var firstRow: Int?
        public var lastRow: Int?
        /// For `.json`: the key of the array of records (default: the document is the array).
        public var records: String?

        public enum Format: String, Decodable, Sendable { case xlsx, csv, json }
    }

    /// Where a value is: a column by its letters (`"H"`), a column by its header text, a
    /// JSON field, or a constant; then the conversions applied, in order.
    public struct Cell: Decodable, Sendable, Hashable {
        public var column: String?
        public var header: String?
        public var field: String?
        public var value: String?
        public var convert: [Conversion]?
    }

    public struct MunicipalitySpec: Decodable, Sendable {
        /// 団体コード for a file of one municipality (`--municipality` overrides it).
        public var code: String?
        /// For JSON: the top-level field naming the municipality (`"兵庫県朝来市"`), looked up
        /// in the national registry.
        public var documentField: String?
    }

    public struct YearSpec: Decodable, Sendable {
        public var value: Int?
        /// A cell of the first record holding the year (with `"era:reiwa"` for `7`).
        public var cell: Cell?
    }

    public struct ProgramSpec: Decodable, Sendable {
        public var name: Cell
        public var number: Cell?
        public var department: Cell?
        public var summary: Cell?
        /// 根拠法令, 事務事業区分, 事業期間の区分.
        public var legalBasis: Cell?
        public var category: Cell?
        public var periodKind: Cell?
        /// 事業期間の始期・終期 as fiscal years (`昭和39`, `R5`, `2023`); `-` or blank is none.
        public var periodStart: Cell?
        public var periodEnd: Cell?
        /// 予算科目: the cells of one account (会計, 款, 項, 目, 事業), joined with `-`; a cell of
        /// several lines holds several accounts, line by line.
        public var budgetAccounts: [Cell]?
        /// 目的 (対象・意図・結果) and 手段 (前年度実績・今年度計画).
        public var purposeTarget: Cell?
        public var purposeIntent: Cell?
        public var purposeResult: Cell?
        public var meansPreviousYear: Cell?
        public var meansThisYear: Cell?
        /// When two records share a name: `"error"` (default) or `"suffixNumber"`, which names
        /// each `name（No. number）` and reports it (two programs of one name are two programs).
        public var duplicateNames: String?
    }

    public struct TreeLevel: Decodable, Sendable {
        /// 政策, 施策, 基本事業 …
        public var level: String
        /// The level's own number: its cells are joined (`"0"`, `"6"` → `06`).
        public var code: [Cell]
        public var title: Cell
    }

    public struct IndicatorSpec: Decodable, Sendable {
        /// `activity` (活動指標), `target` (対象指標) or `outcome` (成果指標).
        public var kind: String
        public var name: Cell
        public var unit: Cell?
        /// The value for the mapping's fiscal year, for files without yearly blocks.
        public var value: Cell?
        /// The value's column within each yearly block (0 is the block's first column).
        public var blockOffset: Int?
    }

    public struct SingleBudgetSpec: Decodable, Sendable {
        public var amount: Cell
        /// `budget` (予算額) or `settlement` (決算額).
        public var kind: String
        /// 円, 千円, 万円 … (default 円).
        public var unit: String?
    }

    /// Repeated blocks of columns, one per fiscal year.
    public struct BlocksSpec: Decodable, Sendable {
        /// The first column of each block (`"BT"`, `"CM"`, …), in the order of `years`.
        public var starts: [String]
        public var years: [BlockYear]
        /// The money unit of the block's figures (default 円).
        public var unit: String?
        public var fields: BlockFields
        /// 人件費 per hour of 延べ業務時間, in `unit` (大船渡: 4.0 千円), to check 人件費 and
        /// to compute it when a block gives hours but no 人件費.
        public var personnelCostPerHour: Decimal?
    }

    public struct BlockYear: Decodable, Sendable {
        /// Years from the mapping's fiscal year (`-1` is 前年度), or an absolute year.
        public var offset: Int?
        public var year: Int?
        /// `settled` (決算), `budget` (予算) or `planned` (計画).
        public var kind: String
    }

    /// Offsets within a block.
    public struct BlockFields: Decodable, Sendable {
        public var national: Int?
        public var prefectural: Int?
        public var bond: Int?
        public var otherSpecific: Int?
        public var general: Int?
        /// 事業費計.
        public var total: Int
        /// 正規職員従事人数.
        public var staff: Int?
        /// 延べ業務時間.
        public var hours: Int?
        /// 人件費計.
        public var personnel: Int?
        /// トータルコスト as the file printed it: checked, never stored.
        public var totalCost: Int?
    }

    public struct EvaluationSpec: Decodable, Sendable {
        /// `self`, `primary`, `secondary` or `external` (default `self`).
        public var stage: String?
        /// 今後の方向性 / 改革改善の方向性.
        public var direction: Cell?
        public var comment: Cell?
        public var improvement: Cell?
        public var author: Cell?
        /// 期待成果: 成果 (向上・維持・低下) and コスト (削減・維持・増加).
        public var expectedOutcome: Cell?
        public var expectedCost: Cell?
        /// The checklist: each viewpoint's name, and the cells of its judgement and reason.
        /// The names become the municipality's configured viewpoints.
        public var viewpoints: [ViewpointSpec]?
    }

    public struct ViewpointSpec: Decodable, Sendable {
        public var name: String
        public var judgement: Cell
        public var reason: Cell?
    }

    /// Loads a mapping file, naming the file and the place of any mistake.
    public static func load(_ url: URL) throws -> ImportMapping {
        let file = url.lastPathComponent
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw MappingError("\(file): 対応表（マッピング）ファイルを読めません (cannot read the mapping file): \(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(ImportMapping.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw MappingError("\(file): \(path(context.codingPath + [key])) がありません (missing \(path(context.codingPath + [key])))")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw MappingError("\(file): \(path(context.codingPath)) の値の型が違います (wrong type at \(path(context.codingPath))): \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) {
            throw MappingError("\(file): \(path(context.codingPath)) が読めません (cannot read \(path(context.codingPath))): \(context.debugDescription)")
        } catch {
            throw MappingError("\(file): JSON として読めません (not valid JSON): \(error.localizedDescription)")
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return text.isEmpty ? "(最上位)" : String(text.drop { $0 == "." })
    }
}

/// A conversion applied to a cell's text (docs/mapping.md lists them).
public enum Conversion: Hashable, Sendable, Decodable, CustomStringConvertible {
    /// Full-width digits and letters as ASCII (NFKC), spaces collapsed.
    case ascii
    /// `１　現状維持` → `現状維持`: the leading number of a coded answer dropped.
    case codeText
    /// Lines kept, each trimmed, blank lines dropped.
    case lines
    /// Leading and trailing spaces (full-width too) dropped; the default for every cell.
    case trim
    /// A year of an era: `7` with `era:reiwa` is 2025.
    case era(Era)
    /// Zero-padded to a width: `86` with `pad:4` is `0086`.
    case pad(Int)

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        switch text {
        case "ascii": self = .ascii
        case "codeText": self = .codeText
        case "lines": self = .lines
        case "trim": self = .trim
        default:
            if text.hasPrefix("era:"), let era = Era(rawValue: String(text.dropFirst(4))) {
                self = .era(era)
            } else if text.hasPrefix("pad:"), let width = Int(text.dropFirst(4)), (1...20).contains(width) {
                self = .pad(width)
            } else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "unknown conversion \"\(text.prefix(40))\" (use ascii, codeText, lines, trim, era:reiwa, pad:4)"))
            }
        }
    }

    /// As written in a mapping.
    public var description: String {
        switch self {
        case .ascii: "ascii"
        case .codeText: "codeText"
        case .lines: "lines"
        case .trim: "trim"
        case let .era(era): "era:\(era.rawValue)"
        case let .pad(width): "pad:\(width)"
        }
    }

    /// The converted text, or nil when the cell cannot be converted.
    func apply(_ text: String) -> String? {
        switch self {
        case .trim: return text.trimmingCharacters(in: .whitespacesAndNewlines)
        case .ascii: return JapaneseText.tidy(text)
        case .lines:
            return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: "\n")
        case .codeText:
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            // 「１　現状維持」: digits (either width), a separator, then the answer as written.
            let digits = trimmed.prefix { $0.isNumber }
            guard !digits.isEmpty else { return trimmed }
            let rest = trimmed.dropFirst(digits.count).drop { $0.isWhitespace || ".．:：、)）".contains($0) }
            return rest.isEmpty ? trimmed : String(rest)
        case let .era(era):
            let compact = JapaneseText.compact(text)
            if compact.isEmpty { return "" }
            guard let year = Int(compact), (1...99).contains(year) else { return nil }
            return String(era.offset + year)
        case let .pad(width):
            let compact = JapaneseText.compact(text)
            if compact.isEmpty { return "" }
            guard compact.allSatisfy(\.isNumber), compact.count <= width else { return compact.count > width ? compact : nil }
            return String(repeating: "0", count: width - compact.count) + compact
        }
    }
}

/// A mistake in a mapping file, or a mapping that does not fit the file it is used on.
public struct MappingError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
