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
                issues.append(UTF8Position.issue(in: data, file: name))
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
        let archive: BoundedZip
        do {
            archive = try BoundedZip(url: url)
        } catch {
            throw FileError(description: "\(url.lastPathComponent): ZIP ファイルとして開けません (not a readable .zip file): \(error)")
        }
        var tables: [WorkbookTable] = []
        var issues: [ImportIssue] = []
        var expanded = 0
        let limits = XLSX.Limits()
        for entry in archive.entries where entry.isFile && entry.path.lowercased().hasSuffix(".csv") && !entry.path.contains("__MACOSX") {
            let file = String(entry.path.split(separator: "/").last ?? "")
            let data: Data
            do {
                data = try archive.extract(entry, expandedSoFar: &expanded, limit: limits.expandedBytes, ratio: limits.ratio, ratioFloor: limits.ratioFloor)
            } catch {
                throw FileError(description: String(describing: error))
            }
            guard let text = String(data: data, encoding: .utf8) else {
                issues.append(UTF8Position.issue(in: data, file: file))
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
    /// tables and columns in workbook order. Written byte by byte: going through
    /// `JSONSerialization` for every string was over a third of a bundle's time at 3,000
    /// programs (BENCHMARKS.md); the escaping is the same (RFC 8259, `/` left as is).
    public static func json(_ tables: [WorkbookTable]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(tables.reduce(0) { $0 + $1.rows.count } * 512)
        out.append(contentsOf: "{\n".utf8)
        for (t, table) in tables.enumerated() {
            out.append(contentsOf: "  ".utf8)
            JSONText.appendQuoted(table.name, to: &out)
            out.append(contentsOf: ": [".utf8)
            for (r, row) in table.rows.enumerated() {
                out.append(contentsOf: (r == 0 ? "\n    {" : ",\n    {").utf8)
                for (c, (column, value)) in zip(table.columns, row).enumerated() {
                    if c > 0 { out.append(contentsOf: ", ".utf8) }
                    JSONText.appendQuoted(column, to: &out)
                    out.append(contentsOf: ": ".utf8)
                    JSONText.appendQuoted(value, to: &out)
                }
                out.append(UInt8(ascii: "}"))
            }
            out.append(contentsOf: (table.rows.isEmpty ? "]" : "\n  ]").utf8)
            out.append(contentsOf: (t == tables.count - 1 ? "\n" : ",\n").utf8)
        }
        out.append(contentsOf: "}\n".utf8)
        return String(decoding: out, as: UTF8.self)
    }
}

/// JSON string literals (RFC 8259): `"` and `\` escaped, control characters as `\n`, `\t`
/// … or `\u00XX`; everything else, `/` and non-ASCII included, as it is.
enum JSONText {
    static func appendQuoted(_ string: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
