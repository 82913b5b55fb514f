import Foundation
import HyokaCore

/// Reads CSV (RFC 4180: quoted fields, `""` escapes, line breaks inside quotes) and the
/// tab-separated extractions of published PDFs. Every cell keeps its 1-based row and
/// column, so that an import error can name the place in the file a person opened.
public struct DelimitedText: Sendable {
    public enum Format: Sendable, Equatable {
        case csv
        case tsv

        var separator: Character { self == .csv ? "," : "\t" }

        /// By file extension: `.tsv`, `.tab`, `.txt` are tab-separated, anything else CSV.
        public init(fileExtension: String) {
            switch fileExtension.lowercased() {
            case "tsv", "tab", "txt": self = .tsv
            default: self = .csv
            }
        }
    }

    public struct Cell: Equatable, Sendable {
        public let row: Int
        public let column: Int
        public let text: String
    }

    public struct ReadError: Error, Equatable, CustomStringConvertible {
        public enum Problem: Equatable, Sendable {
            case unterminatedQuote
            case textAfterClosingQuote
            case notUTF8
        }

        public let file: String
        public let row: Int
        public let column: Int
        public let problem: Problem

        public var description: String {
            let place = "\(file) \(row)行目 \(column)列目"
            let placeEnglish = "\(file) row \(row), column \(column)"
            return switch problem {
            case .unterminatedQuote:
                "\(place): 引用符（\"）が閉じられていません。セルの終わりに \" を付けてください (\(placeEnglish): a quoted cell is not closed; add the closing quote)"
            case .textAfterClosingQuote:
                "\(place): 引用符の後に文字があります。セル内の \" は \"\" と書いてください (\(placeEnglish): text after a closing quote; write a quote inside a cell as \"\")"
            case .notUTF8:
                "\(file): UTF-8 で保存してください（Excel では「CSV UTF-8」）(\(placeEnglish): the file is not UTF-8; save it as CSV UTF-8)"
            }
        }
    }

    /// Rows of cells, as in the file (an empty line is a row with one empty cell).
    public let rows: [[String]]
    public let file: String

    public init(text: String, format: Format, file: String = "input") throws {
        self.file = file
        rows = try DelimitedText.parse(text, separator: format.separator, file: file)
    }

    /// Reads a UTF-8 file (a byte-order mark is dropped).
    public init(contentsOf url: URL, format: Format? = nil) throws {
        let data = try Data(contentsOf: url)
        guard let text = String(data: data, encoding: .utf8) else {
            let found = UTF8Position.find(in: data)
            throw ReadError(file: url.lastPathComponent, row: found?.line ?? 1, column: found?.column ?? 1, problem: .notUTF8)
        }
        try self.init(text: text, format: format ?? Format(fileExtension: url.pathExtension), file: url.lastPathComponent)
    }

    /// The cell at a 1-based row and column; "" outside the table, since extracted rows
    /// have different lengths.
    public func cell(row: Int, column: Int) -> String {
        guard row >= 1, row <= rows.count, column >= 1, column <= rows[row - 1].count else { return "" }
        return rows[row - 1][column - 1]
    }

    /// Every non-empty cell with its position.
    public var cells: [Cell] {
        rows.enumerated().flatMap { r, row in
            row.enumerated().compactMap { c, text in text.isEmpty ? nil : Cell(row: r + 1, column: c + 1, text: text) }
        }
    }

    static func parse(_ text: String, separator: Character, file: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var fieldWasQuoted = false
        var line = 1, column = 1
        var quoteStart = (row: 1, column: 1)
        var characters = text.makeIterator()
        var pending: Character? = characters.next()
        if pending == "\u{FEFF}" { pending = characters.next() }

        func endField() {
            row.append(field)
            field = ""
            fieldWasQuoted = false
            column += 1
        }
        func endRow() {
            endField()
            rows.append(row)
            row = []
            line += 1
            column = 1
        }

        while let c = pending {
            pending = characters.next()
            if inQuotes {
                if c == "\"" {
                    if pending == "\"" {
                        field.append("\"")
                        pending = characters.next()
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !fieldWasQuoted && separator == ",":
                inQuotes = true
                fieldWasQuoted = true
                quoteStart = (line, column)
            case separator:
                endField()
            case "\r\n", "\n", "\r":
                endRow()
            default:
                if fieldWasQuoted {
                    throw ReadError(file: file, row: line, column: column, problem: .textAfterClosingQuote)
                }
                field.append(c)
            }
        }
        if inQuotes {
            throw ReadError(file: file, row: quoteStart.row, column: quoteStart.column, problem: .unterminatedQuote)
        }
        // A final line break does not start another row.
        if !field.isEmpty || !row.isEmpty || fieldWasQuoted { endRow() }
        return rows
    }
}
