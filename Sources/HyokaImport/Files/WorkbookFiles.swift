import Foundation

/// Reads and writes the workbook as files: a folder of CSV files (one per table).
public enum WorkbookFiles {
    public struct FileError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads every `*.csv` of a folder whose name is a table name; other files are reported.
    public static func readFolder(_ url: URL) throws -> (tables: [WorkbookTable], issues: [ImportIssue]) {
        let names = try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
        var tables: [WorkbookTable] = []
        var issues: [ImportIssue] = []
        for name in names where name.lowercased().hasSuffix(".csv") {
            let table = String(name.dropLast(4))
            let data = try Data(contentsOf: url.appendingPathComponent(name))
            guard let text = String(data: data, encoding: .utf8) else {
                issues.append(.error(at: SourceLocation(file: name), "UTF-8 で保存してください（Excel では「CSV UTF-8」）", "save the file as UTF-8 (CSV UTF-8 in Excel)"))
                continue
            }
            do {
                tables.append(try WorkbookTable(csv: text, name: table, file: name))
            } catch let error as DelimitedText.ReadError {
                issues.append(.error(at: SourceLocation(file: name, line: error.row, column: error.column), error.description, error.description))
            }
        }
        if tables.isEmpty && issues.isEmpty {
            throw FileError(description: "\(url.path): CSV ファイルがありません (no CSV files in this folder)")
        }
        return (tables, issues)
    }

    /// Writes each table as `NAME.csv` into the folder (created if needed).
    public static func writeFolder(_ tables: [WorkbookTable], to url: URL) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for table in tables {
            try Data(table.csv.utf8).write(to: url.appendingPathComponent("\(table.name).csv"), options: .atomic)
        }
    }

    /// The tables as one JSON document: `{"table": [{"column": "value", …}, …], …}` with the
    /// tables and columns in workbook order.
    public static func json(_ tables: [WorkbookTable]) -> String {
        func quote(_ s: String) -> String {
            let data = try? JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])
            let array = data.flatMap { String(data: $0, encoding: .utf8) } ?? "[\"\"]"
            return String(array.dropFirst().dropLast())
        }
        var out = "{\n"
        for (t, table) in tables.enumerated() {
            out += "  \(quote(table.name)): ["
            for (r, row) in table.rows.enumerated() {
                let fields = zip(table.columns, row).map { "\(quote($0)): \(quote($1))" }.joined(separator: ", ")
                out += (r == 0 ? "\n" : ",\n") + "    {\(fields)}"
            }
            out += table.rows.isEmpty ? "]" : "\n  ]"
            out += t == tables.count - 1 ? "\n" : ",\n"
        }
        return out + "}\n"
    }
}
