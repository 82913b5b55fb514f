import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// The workbook as one `.xlsx`: a sheet per table, named after it, header in row 1. Every
/// cell is written as an inline string, so that codes (`010006`), amounts in yen and
/// rates come back exactly as written, whatever Excel's number formats would do. Reading
/// accepts what Excel writes (shared strings, rich-text runs, furigana left out, numbers)
/// and what openpyxl writes (inline strings).
public enum XLSX {
    public struct FormatError: Error, CustomStringConvertible {
        public let description: String
    }

    // MARK: writing

    public static func write(_ tables: [WorkbookTable], to url: URL) throws {
        try? FileManager.default.removeItem(at: url)
        let archive = try Archive(url: url, accessMode: .create)
        // A fixed date keeps the bytes the same for the same data.
        let date = Date(timeIntervalSince1970: 946_684_800)
        func add(_ path: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: date,
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let sheets = tables.indices.map { "sheet\($0 + 1)" }
        try add("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            \(sheets.map { "<Override PartName=\"/xl/worksheets/\($0).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" }.joined())\
            </Types>
            """)
        try add("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """)
        try add("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
            \(tables.enumerated().map { "<sheet name=\"\(escape(String($1.name.prefix(31))))\" sheetId=\"\($0 + 1)\" r:id=\"rId\($0 + 1)\"/>" }.joined())\
            </sheets></workbook>
            """)
        try add("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            \(sheets.enumerated().map { "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/\($1).xml\"/>" }.joined())\
            </Relationships>
            """)
        for (table, sheet) in zip(tables, sheets) {
            var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            xml += "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetViews><sheetView workbookViewId=\"0\">"
            xml += "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews><sheetData>"
            for (r, row) in ([table.columns] + table.rows).enumerated() {
                xml += "<row r=\"\(r + 1)\">"
                for (c, value) in row.enumerated() where !value.isEmpty {
                    let ref = SourceLocation.columnLetters(c + 1) + String(r + 1)
                    let space = value.first?.isWhitespace == true || value.last?.isWhitespace == true || value.contains("\n") ? " xml:space=\"preserve\"" : ""
                    xml += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t\(space)>\(escape(value))</t></is></c>"
                }
                xml += "</row>"
            }
            xml += "</sheetData></worksheet>"
            try add("xl/worksheets/\(sheet).xml", xml)
        }
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\r": out += "&#13;"
            default:
                // Control characters are not allowed in XML 1.0.
                if scalar.value < 0x20, scalar != "\n", scalar != "\t" { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    // MARK: reading

    /// The sheets of a workbook as tables; the first row of each is its header.
    public static func read(_ url: URL) throws -> [WorkbookTable] {
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw FormatError(description: "\(url.lastPathComponent): Excel ファイル（.xlsx）として開けません (not a readable .xlsx file)")
        }
        func entry(_ path: String) throws -> Data? {
            let normalized = path.hasPrefix("/") ? String(path.dropFirst()) : path
            guard let entry = archive[normalized] else { return nil }
            var data = Data()
            _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
            return data
        }
        guard let workbook = try entry("xl/workbook.xml") else {
            throw FormatError(description: "\(url.lastPathComponent): xl/workbook.xml がありません (not an .xlsx workbook)")
        }
        let sheets = ElementCollector(["sheet"]).collect(workbook).map { ($0["name"] ?? "", $0["r:id"] ?? $0["id"] ?? "") }
        let relationships = try entry("xl/_rels/workbook.xml.rels").map { ElementCollector(["Relationship"]).collect($0) } ?? []
        var targets: [String: String] = [:]
        for relation in relationships {
            guard let id = relation["Id"], let target = relation["Target"] else { continue }
            // Targets are relative to xl/ or absolute from the package root.
            targets[id] = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        let shared = try entry("xl/sharedStrings.xml").map(SharedStrings.parse) ?? []
        let percentStyles = try entry("xl/styles.xml").map(Styles.percentStyles) ?? []
        var tables: [WorkbookTable] = []
        for (name, id) in sheets {
            guard let path = targets[id], let data = try entry(path) else { continue }
            let rows = SheetParser.parse(data, sharedStrings: shared, percentStyles: percentStyles)
            let header = rows.first?.map { $0.trimmingCharacters(in: .whitespaces) } ?? []
            // Empty cells are not stored: pad rows to the header's width.
            var body = rows.dropFirst().map { $0.count < header.count ? $0 + Array(repeating: "", count: header.count - $0.count) : $0 }
            while let last = body.last, last.allSatisfy({ $0.isEmpty }) { body.removeLast() }
            tables.append(WorkbookTable(name: name, columns: header, rows: body, file: url.lastPathComponent, sheet: name))
        }
        return tables
    }

    /// Collects the attributes of the named elements.
    final class ElementCollector: NSObject, XMLParserDelegate {
        let names: Set<String>
        var found: [[String: String]] = []

        init(_ names: Set<String>) { self.names = names }

        func collect(_ data: Data) -> [[String: String]] {
            let parser = XMLParser(data: data)
            parser.delegate = self
            parser.parse()
            return found
        }

        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if names.contains(element) || names.contains(element.split(separator: ":").last.map(String.init) ?? "") { found.append(attributes) }
        }
    }

    /// `styles.xml`: which cell styles show a number as a percentage. Excel stores 81% as
    /// 0.81 and shows it through the style; a KPI typed as 81% must be read as 81%, not 0.81.
    enum Styles {
        /// The built-in percentage formats (`0%`, `0.00%`).
        static let builtInPercent: Set<Int> = [9, 10]

        static func percentStyles(_ data: Data) -> Set<Int> {
            var percentFormats = builtInPercent
            for format in ElementCollector(["numFmt"]).collect(data) {
                guard let id = format["numFmtId"].flatMap(Int.init), let code = format["formatCode"] else { continue }
                // A % outside quotes and brackets is a percentage format (`0.0%`, `#,##0%`).
                var quoted = false, bracketed = false, percent = false
                for c in code {
                    switch c {
                    case "\"": quoted.toggle()
                    case "[": if !quoted { bracketed = true }
                    case "]": if !quoted { bracketed = false }
                    case "%": if !quoted && !bracketed { percent = true }
                    default: break
                    }
                }
                if percent { percentFormats.insert(id) }
            }
            // Cell styles are the `<xf>` of `<cellXfs>`, numbered from 0 in order.
            let styles = CellStyles()
            let parser = XMLParser(data: data)
            parser.delegate = styles
            parser.parse()
            return Set(styles.formats.enumerated().compactMap { percentFormats.contains($0.element) ? $0.offset : nil })
        }

        final class CellStyles: NSObject, XMLParserDelegate {
            var formats: [Int] = []
            var inCellXfs = false

            func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                switch local(element) {
                case "cellXfs": inCellXfs = true
                case "xf" where inCellXfs: formats.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
                default: break
                }
            }

            func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
                if local(element) == "cellXfs" { inCellXfs = false }
            }
        }
    }

    /// `sharedStrings.xml`: each `<si>` is the text of its `<t>` elements, furigana (`<rPh>`)
    /// left out.
    final class SharedStrings: NSObject, XMLParserDelegate {
        var strings: [String] = []
        var current = ""
        var inText = false
        var phoneticDepth = 0

        static func parse(_ data: Data) -> [String] {
            let delegate = SharedStrings()
            let parser = XMLParser(data: data)
            parser.delegate = delegate
            parser.parse()
            return delegate.strings
        }

        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            switch local(element) {
            case "si": current = ""
            case "rPh": phoneticDepth += 1
            case "t": inText = phoneticDepth == 0
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText { current += string }
        }

        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
            switch local(element) {
            case "si": strings.append(current)
            case "rPh": phoneticDepth -= 1
            case "t": inText = false
            default: break
            }
        }
    }

    /// A worksheet's cells into rows, placed by their `r` reference (`E12`); gaps stay empty.
    final class SheetParser: NSObject, XMLParserDelegate {
        let sharedStrings: [String]
        let percentStyles: Set<Int>
        var rows: [Int: [Int: String]] = [:]
        var rowNumber = 0
        var cellReference: String?
        var cellType: String?
        var cellStyle: Int?
        var value = ""
        var inValue = false
        var phoneticDepth = 0
        var nextColumn = 1

        init(sharedStrings: [String], percentStyles: Set<Int> = []) {
            self.sharedStrings = sharedStrings
            self.percentStyles = percentStyles
        }

        static func parse(_ data: Data, sharedStrings: [String], percentStyles: Set<Int> = []) -> [[String]] {
            let delegate = SheetParser(sharedStrings: sharedStrings, percentStyles: percentStyles)
            let parser = XMLParser(data: data)
            parser.delegate = delegate
            parser.parse()
            guard let last = delegate.rows.keys.max() else { return [] }
            return (1...last).map { r in
                let cells = delegate.rows[r] ?? [:]
                guard let width = cells.keys.max() else { return [] }
                return (1...width).map { cells[$0] ?? "" }
            }
        }

        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            switch local(element) {
            case "row":
                rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
                nextColumn = 1
            case "c":
                cellReference = attributes["r"]
                cellType = attributes["t"]
                cellStyle = attributes["s"].flatMap(Int.init)
                value = ""
            case "v", "t":
                inValue = phoneticDepth == 0
            case "rPh":
                phoneticDepth += 1
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inValue { value += string }
        }

        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
            switch local(element) {
            case "v", "t": inValue = false
            case "rPh": phoneticDepth -= 1
            case "c":
                let column = cellReference.flatMap(SheetParser.column(of:)) ?? nextColumn
                nextColumn = column + 1
                var text = value
                switch cellType {
                case "s": text = Int(value).flatMap { $0 < sharedStrings.count ? sharedStrings[$0] : nil } ?? ""
                case "b": text = value == "1" ? "true" : "false"
                case "n", nil:
                    text = cellStyle.map(percentStyles.contains) == true ? SheetParser.percent(value) : SheetParser.number(value)
                default: break
                }
                rows[rowNumber, default: [:]][column] = text
            default: break
            }
        }

        /// `AB12` → 28.
        static func column(of reference: String) -> Int? {
            let letters = reference.prefix { $0.isLetter }
            guard !letters.isEmpty else { return nil }
            return letters.uppercased().unicodeScalars.reduce(0) { $0 * 26 + Int($1.value) - 64 }
        }

        /// A number shown as a percentage: `0.81` → `81%`, `0.928` → `92.8%`.
        static func percent(_ text: String) -> String {
            guard let double = Double(text), let decimal = Decimal(string: String(double), locale: Locale(identifier: "en_US_POSIX")) else { return text }
            return NSDecimalNumber(decimal: decimal * 100).stringValue + "%"
        }

        /// Excel stores `92.8` as `92.799999999999997`; print the shortest form that reads back
        /// the same, and whole numbers without a decimal point.
        static func number(_ text: String) -> String {
            guard let double = Double(text) else { return text }
            if double == double.rounded(), abs(double) < 1e15 { return String(Int64(double)) }
            return String(double)
        }
    }
}

private func local(_ element: String) -> String {
    element.split(separator: ":").last.map(String.init) ?? element
}
