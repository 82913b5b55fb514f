import Foundation
import HyokaCore

/// One table of the Hyoka workbook: a CSV file, or a sheet of the `.xlsx`.
public struct WorkbookTable: Equatable, Sendable {
    public var name: String
    public var columns: [String]
    public var rows: [[String]]
    /// Where the table was read from (`budgets.csv`, or `hyoka.xlsx` with the sheet name).
    public var file: String
    public var sheet: String?
    /// Columns (by index) whose cells are numbers: an `.xlsx` writes a plain decimal there as
    /// a number, so that a journalist's spreadsheet sums and sorts it. Every other cell is
    /// text, so that codes (`010006`) stay as written.
    public var numericColumns: Set<Int> = []

    public init(name: String, columns: [String], rows: [[String]] = [], file: String? = nil, sheet: String? = nil) {
        self.name = name
        self.columns = columns
        self.rows = rows
        self.file = file ?? "\(name).csv"
        self.sheet = sheet
    }

    /// The location of a cell: row 1 is the header, data rows start at 2.
    public func location(row: Int, column: Int? = nil) -> SourceLocation {
        SourceLocation(file: file, line: row, column: column, sheet: sheet)
    }

    /// RFC 4180 CSV with a header row, LF line ends, UTF-8 without BOM: the canonical form,
    /// byte-identical for identical data.
    public var csv: String {
        var out = ""
        for row in [columns] + rows {
            out += row.map(WorkbookTable.quoted).joined(separator: ",")
            out += "\n"
        }
        return out
    }

    /// The same CSV for people who open it in a spreadsheet (the portal's downloads and the
    /// open-data bundle): a cell a spreadsheet would run as a formula is written as text,
    /// with a leading `'` (OWASP, CSV injection). The values stay raw in JSON and in the
    /// workbook (`hyoka export`), which Hyoka reads back.
    public var spreadsheetCSV: String {
        var out = ""
        for row in [columns] + rows {
            out += row.map { WorkbookTable.quoted(WorkbookTable.neutralised($0)) }.joined(separator: ",")
            out += "\n"
        }
        return out
    }

    /// `=HYPERLINK(…)`, `+3-1`, `-2+3`, `@SUM(…)`, and a tab or CR first, become `'=HYPERLINK(…)` and so on;
    /// a plain number (`-1200`, `+3.5`) stays a number, and a cell that already starts with
    /// `'` before one of these gets a second one, so that nothing is ambiguous.
    public static func neutralised(_ cell: String) -> String {
        // Most cells start with neither a quote nor a trigger: decided on the first scalar,
        // without breaking the text into characters (a tenth of writing a bundle).
        guard let scalar = cell.unicodeScalars.first, scalar == "'" || triggerScalars.contains(scalar) else { return cell }
        var body = Substring(cell)
        while body.first == "'" { body = body.dropFirst() }
        guard let first = body.first, triggers.contains(first) else { return cell }
        if body.count < cell.count || !isPlainNumber(body) { return "'" + cell }
        return cell
    }

    static let triggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}"]
    static let triggerScalars = Set(triggers.flatMap(\.unicodeScalars))

    /// `-1200`, `+3.5`, `-0.25`: a sign, digits, at most one point.
    static func isPlainNumber(_ text: Substring) -> Bool {
        guard let first = text.first, first == "-" || first == "+" else { return false }
        let rest = text.dropFirst()
        guard !rest.isEmpty, rest.first != ".", rest.last != "." else { return false }
        var points = 0
        for character in rest {
            if character == "." { points += 1; if points > 1 { return false } }
            else if !("0"..."9").contains(character) { return false }
        }
        return true
    }

    static func quoted(_ field: String) -> String {
        // Bytes, not characters: a CR LF inside a cell is one character, and is quoted too.
        let needsQuotes = field.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            || field.first?.isWhitespace == true || field.last?.isWhitespace == true
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Reads a CSV table; the first row is the header.
    public init(csv text: String, name: String, file: String) throws {
        let parsed = try DelimitedText(text: text, format: .csv, file: file)
        var rows = parsed.rows
        // Trailing blank lines (Excel leaves some) carry nothing.
        while let last = rows.last, last.allSatisfy({ $0.isEmpty }) { rows.removeLast() }
        let header = rows.first?.map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        self.init(name: name, columns: header, rows: Array(rows.dropFirst()), file: file)
    }
}

/// Reads the cells of one data row by column name, collecting an issue for every cell that
/// cannot be read (the row is then skipped, and the import stops before writing).
struct RowReader {
    let table: WorkbookTable
    let index: [String: Int]
    let cells: [String]
    /// 1-based line in the file (the header is line 1).
    let line: Int
    var issues: [ImportIssue] = []

    init(table: WorkbookTable, index: [String: Int], cells: [String], line: Int) {
        self.table = table
        self.index = index
        self.cells = cells
        self.line = line
    }

    func location(_ column: String) -> SourceLocation {
        table.location(row: line, column: index[column].map { $0 + 1 })
    }

    /// The cell as written ("" when the column is absent or the row short).
    func raw(_ column: String) -> String {
        guard let i = index[column], i < cells.count else { return "" }
        return cells[i]
    }

    func optional(_ column: String) -> String? {
        let value = raw(column)
        return value.isEmpty ? nil : value
    }

    mutating func required(_ column: String) -> String {
        let value = raw(column)
        if value.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(.error(at: location(column), "「\(column)」が空です。値を入れてください", "\(column) is empty; fill it in"))
        }
        return value
    }

    mutating func int(_ column: String, required: Bool = false) -> Int? {
        let value = JapaneseText.compact(raw(column))
        if value.isEmpty {
            if required { issues.append(.error(at: location(column), "「\(column)」が空です。整数を入れてください", "\(column) is empty; enter a whole number")) }
            return nil
        }
        guard let number = Int(value) else {
            issues.append(.error(at: location(column), "「\(column)」の「\(raw(column))」は整数ではありません", "\(column): \"\(raw(column))\" is not a whole number"))
            return nil
        }
        return number
    }

    mutating func fiscalYear(_ column: String, required: Bool = false) -> Int? {
        let value = raw(column)
        if JapaneseText.compact(value).isEmpty {
            if required { issues.append(.error(at: location(column), "「\(column)」が空です。年度（例: 2024 または 令和6年度）を入れてください", "\(column) is empty; enter a fiscal year such as 2024")) }
            return nil
        }
        guard let year = FiscalYear(parsing: value) else {
            issues.append(.error(at: location(column), "「\(column)」の「\(value)」を年度として読めません。2024 や 令和6年度 と書いてください", "\(column): cannot read \"\(value)\" as a fiscal year; write 2024 or 令和6年度"))
            return nil
        }
        return year.year
    }

    mutating func money(_ column: String) -> Money? {
        let value = raw(column)
        if JapaneseText.compact(value).isEmpty { return nil }
        do {
            return try Money.parse(value, defaultUnit: .yen)
        } catch {
            issues.append(.error(at: location(column), "「\(column)」の「\(value)」は金額（円、整数）ではありません", "\(column): \"\(value)\" is not an amount in yen"))
            return nil
        }
    }

    /// A non-negative decimal (人数 `1.5`, 時間 `280`), or nil when blank.
    mutating func decimal(_ column: String) -> Decimal? {
        let value = JapaneseText.compact(raw(column)).replacingOccurrences(of: ",", with: "")
        if value.isEmpty { return nil }
        guard let number = Decimal(string: value, locale: Locale(identifier: "en_US_POSIX")), number >= 0, number <= WorkbookTable.maximumCount,
              value.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) else {
            issues.append(.error(at: location(column), "「\(column)」の「\(raw(column))」は 0 以上 1 億以下の数ではありません",
                                 "\(column): \"\(raw(column))\" is not a number from 0 to 100,000,000"))
            return nil
        }
        return number
    }

    mutating func bool(_ column: String) -> Bool {
        switch JapaneseText.compact(raw(column)).lowercased() {
        case "", "false", "0", "no", "いいえ", "×": return false
        case "true", "1", "yes", "はい", "○", "〇": return true
        default:
            issues.append(.error(at: location(column), "「\(column)」は true か false で書いてください", "\(column): write true or false"))
            return false
        }
    }

    mutating func labelled<T: JapaneseLabelled>(_ column: String, as type: T.Type, default fallback: T? = nil) -> T? {
        let value = raw(column)
        if JapaneseText.compact(value).isEmpty {
            if fallback == nil {
                issues.append(.error(at: location(column), "「\(column)」が空です。次のいずれかを入れてください: \(T.allCases.map(\.rawValue).joined(separator: ", "))",
                                     "\(column) is empty; use one of \(T.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
            return fallback
        }
        guard let parsed = T(label: value) else {
            issues.append(.error(at: location(column), "「\(column)」の「\(value)」は使えません。次のいずれかです: \(T.allCases.map(\.rawValue).joined(separator: ", "))",
                                 "\(column): \"\(value)\" is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))"))
            return fallback
        }
        return parsed
    }

    mutating func raw<T: RawRepresentable>(_ column: String, as type: T.Type, allowed: [T]) -> T? where T.RawValue == String {
        let value = JapaneseText.compact(raw(column))
        if value.isEmpty { return nil }
        guard let parsed = T(rawValue: value) else {
            let names = allowed.map(\.rawValue).joined(separator: ", ")
            issues.append(.error(at: location(column), "「\(column)」の「\(raw(column))」は使えません。次のいずれかです: \(names)", "\(column): \"\(raw(column))\" is not one of \(names)"))
            return nil
        }
        return parsed
    }

    mutating func list(_ column: String) -> [String] {
        raw(column).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    mutating func intList(_ column: String) -> [Int] {
        let value = JapaneseText.compact(raw(column))
        if value.isEmpty { return [] }
        var numbers: [Int] = []
        for part in value.split(separator: ",") {
            guard let n = Int(part) else {
                issues.append(.error(at: location(column), "「\(column)」はカンマ区切りの整数で書いてください（例: 4,10,11）", "\(column): write whole numbers separated by commas, e.g. 4,10,11"))
                return []
            }
            numbers.append(n)
        }
        return numbers
    }
}

extension WorkbookTable {
    /// The largest count of hours or people a sheet may state: a year has 8,760 hours, so a
    /// program's 延べ業務時間 is far below this; a larger figure is a typing error, and would
    /// give a 人件費 beyond what an amount can hold.
    public static let maximumCount: Decimal = 100_000_000
}
