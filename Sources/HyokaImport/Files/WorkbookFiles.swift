import Foundation
import ZIPFoundation

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

    /// Reads the `*.csv` files of a `.zip` (at its top level or in one folder).
    public static func readZip(_ url: URL) throws -> (tables: [WorkbookTable], issues: [ImportIssue]) {
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw FileError(description: "\(url.lastPathComponent): ZIP ファイルとして開けません (not a readable .zip file)")
        }
        var tables: [WorkbookTable] = []
        var issues: [ImportIssue] = []
        for entry in archive where entry.type == .file && entry.path.lowercased().hasSuffix(".csv") && !entry.path.contains("__MACOSX") {
            let file = String(entry.path.split(separator: "/").last ?? "")
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            guard let text = String(data: data, encoding: .utf8) else {
                issues.append(.error(at: SourceLocation(file: file), "UTF-8 で保存してください（Excel では「CSV UTF-8」）", "save the file as UTF-8 (CSV UTF-8 in Excel)"))
                continue
            }
            do {
                tables.append(try WorkbookTable(csv: text, name: String(file.dropLast(4)), file: file))
            } catch let error as DelimitedText.ReadError {
                issues.append(.error(at: SourceLocation(file: file, line: error.row, column: error.column), error.description, error.description))
            }
        }
        if tables.isEmpty && issues.isEmpty {
            throw FileError(description: "\(url.lastPathComponent): CSV ファイルがありません (no CSV files in this archive)")
        }
        return (tables.sorted { $0.name < $1.name }, issues)
    }

    /// Writes the tables as `NAME.csv` entries of a `.zip`.
    public static func writeZip(_ tables: [WorkbookTable], to url: URL) throws {
        try? FileManager.default.removeItem(at: url)
        let archive = try Archive(url: url, accessMode: .create)
        let date = Date(timeIntervalSince1970: 946_684_800)
        for table in tables {
            let data = Data(table.csv.utf8)
            try archive.addEntry(with: "\(table.name).csv", type: .file, uncompressedSize: Int64(data.count), modificationDate: date,
                                 compressionMethod: .deflate) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
        }
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
