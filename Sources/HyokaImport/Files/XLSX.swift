import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// The workbook as one `.xlsx`: a sheet per table, named after it, header in row 1. A cell
/// is written as an inline string, so that codes (`010006`), amounts in yen and rates come
/// back exactly as written, whatever Excel's number formats would do, except in the
/// columns a table marks numeric (the portal's list download), where plain decimals are
/// numbers. Reading
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
                    if r > 0, table.numericColumns.contains(c), isPlainDecimal(value) {
                        xml += "<c r=\"\(ref)\"><v>\(value)</v></c>"
                        continue
                    }
                    let space = value.first?.isWhitespace == true || value.last?.isWhitespace == true || value.contains("\n") ? " xml:space=\"preserve\"" : ""
                    xml += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t\(space)>\(escape(value))</t></is></c>"
                }
                xml += "</row>"
            }
            xml += "</sheetData></worksheet>"
            try add("xl/worksheets/\(sheet).xml", xml)
        }
    }

    /// `-1200`, `94.7`: a sign, at most 15 digits (what a spreadsheet holds exactly), at most one
    /// point inside; anything else is written as text.
    static func isPlainDecimal(_ text: String) -> Bool {
        var digits = 0, points = 0
        for (index, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where index == 0: continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: ".") where digits > 0: points += 1
            default: return false
            }
        }
        return digits > 0 && digits <= 15 && points <= 1 && text.last != "."
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

    /// What a workbook may hold before it is refused. A department's returned file is
    /// untrusted input: a 1.5 MB ZIP can expand to gigabytes, and a cell at `XFD1048576`
    /// would make a table of seventeen billion cells. The largest real workbook we know (大船渡市,
    /// 407 programs × 210 columns) is 12 MB expanded, 85,000 cells, 8:1.
    public struct Limits: Sendable {
        /// Bytes all parts together may expand to.
        public var expandedBytes = 512 << 20
        /// Expanded ÷ compressed, checked once a part is past `ratioFloor`.
        public var ratio = 100
        public var ratioFloor = 16 << 20
        /// Rows × columns of one sheet, gaps included.
        public var cells = 5_000_000

        public init() {}
    }

    /// Excel's own bounds: rows 1…1,048,576, columns A…XFD.
    static let maxRow = 1_048_576
    static let maxColumn = 16_384

    /// The sheets of a workbook as tables; the first row of each is its header. Any
    /// damage, XML error or bound passed fails the whole read with the file, the sheet and
    /// the cell or line, and nothing is half read.
    public static func read(_ url: URL, limits: Limits = Limits()) throws -> [WorkbookTable] {
        let file = url.lastPathComponent
        let archive: BoundedZip
        do {
            archive = try BoundedZip(url: url)
        } catch {
            throw FormatError(description: "\(file): Excel ファイル（.xlsx）として開けません。Excel で開いて「Excel ブック (*.xlsx)」として保存し直してください (not a readable .xlsx file: save it again as an Excel workbook): \(error)")
        }
        var expanded = 0
        func entry(_ path: String) throws -> Data? {
            let normalized = path.hasPrefix("/") ? String(path.dropFirst()) : path
            guard let entry = archive[normalized] else { return nil }
            let data: Data
            do {
                data = try archive.extract(entry, expandedSoFar: &expanded, limit: limits.expandedBytes, ratio: limits.ratio, ratioFloor: limits.ratioFloor)
            } catch {
                throw FormatError(description: String(describing: error))
            }
            try XMLPart.refuseDeclarations(data, file: file, part: normalized)
            return data
        }
        guard let workbook = try entry("xl/workbook.xml") else {
            throw FormatError(description: "\(file): xl/workbook.xml がありません (not an .xlsx workbook)")
        }
        let sheets = try ElementCollector(["sheet"]).collect(workbook, file: file, part: "xl/workbook.xml").map { ($0["name"] ?? "", $0["r:id"] ?? $0["id"] ?? "") }
        let relationships = try entry("xl/_rels/workbook.xml.rels").map {
            try ElementCollector(["Relationship"]).collect($0, file: file, part: "xl/_rels/workbook.xml.rels")
        } ?? []
        var targets: [String: String] = [:]
        for relation in relationships {
            guard let id = relation["Id"], let target = relation["Target"] else { continue }
            // Targets are relative to xl/ or absolute from the package root.
            targets[id] = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        let shared = try entry("xl/sharedStrings.xml").map { try SharedStrings.parse($0, file: file) } ?? []
        let percentStyles = try entry("xl/styles.xml").map { try Styles.percentStyles($0, file: file) } ?? []
        var tables: [WorkbookTable] = []
        for (name, id) in sheets {
            guard let path = targets[id], let data = try entry(path) else { continue }
            let rows = try SheetParser.parse(data, sharedStrings: shared, percentStyles: percentStyles, file: file, sheet: name, maxCells: limits.cells)
            let header = rows.first?.map { $0.trimmingCharacters(in: .whitespaces) } ?? []
            // Empty cells are not stored: pad rows to the header's width.
            var body = rows.dropFirst().map { $0.count < header.count ? $0 + Array(repeating: "", count: header.count - $0.count) : $0 }
            while let last = body.last, last.allSatisfy({ $0.isEmpty }) { body.removeLast() }
            tables.append(WorkbookTable(name: name, columns: header, rows: body, file: file, sheet: name))
        }
        return tables
    }

    /// Parses one XML part, failing with its position on the first error (libxml2 stops at
    /// a malformed part silently unless asked: a sheet cut mid-row read as a shorter sheet).
    enum XMLPart {
        static func parse(_ data: Data, delegate: any XMLParserDelegate, file: String, part: String, position: () -> String? = { nil }) throws {
            // Fed as a stream: given the whole part at once, libxml2 on Linux reports an
            // internal error at the end of a sheet longer than 10 MB on one line (as Excel
            // writes them), which was ignored before and would now refuse real workbooks.
            let parser = XMLParser(stream: InputStream(data: data))
            parser.delegate = delegate
            parser.shouldResolveExternalEntities = false
            let parsed = parser.parse()
            let reader = delegate as? RefusingDelegate
            if let refusal = reader?.refusal { throw refusal }
            let place = position().map { "、\($0) の付近 (near \($0))" } ?? ""
            if !parsed {
                let reason = parser.parserError.map { ($0 as NSError).localizedDescription } ?? "XML error"
                throw FormatError(description: "\(file) の \(part): \(parser.lineNumber) 行 \(parser.columnNumber) 文字目で XML が壊れています\(place)。Excel で開いて保存し直してください (the XML is broken at line \(parser.lineNumber), column \(parser.columnNumber); open the file in Excel and save it again): \(reason)")
            }
            if let reader, reader.depth != 0 || !reader.sawRoot {
                throw FormatError(description: "\(file) の \(part): XML が \(parser.lineNumber) 行目で途中のまま終わっています\(place)。ファイルが切れています。元のファイルをもう一度保存・送信してください (the XML ends unfinished at line \(parser.lineNumber): the file was cut; save or send it again)")
            }
        }

        /// Parts of an .xlsx are UTF-8 and have no document type. A part that is not UTF-8 is
        /// refused before it reaches the parser: Foundation's XMLParser on Linux crashed the
        /// process on a damaged sheet (found by the fuzzer, `ReaderFuzzTests`). A `<!DOCTYPE`
        /// or `<!ENTITY` can only be there to expand entities (a billion laughs) or to hide
        /// text, so it is refused too.
        static func refuseDeclarations(_ data: Data, file: String, part: String) throws {
            if let found = UTF8Position.find(in: data) {
                throw FormatError(description: "\(file) の \(part): \(found.line) 行 \(found.column) 文字目（バイト位置 \(found.byte)）が UTF-8 ではありません。ファイルが壊れています。Excel で開いて保存し直してください (not UTF-8 at line \(found.line), character \(found.column), byte \(found.byte): the file is damaged; save it again from Excel)")
            }
            for marker in ["<!DOCTYPE", "<!ENTITY"] where data.range(of: Data(marker.utf8)) != nil {
                throw FormatError(description: "\(file) の \(part): Excel が書かない宣言（\(marker)）があります。Excel で開いて保存し直してください (a \(marker) declaration Excel never writes; save the file again from Excel)")
            }
        }
    }

    /// The base of the part readers: it can stop the parse with an error of its own, and it
    /// counts open elements, because libxml2 reports a part cut after an element (a sheet
    /// cut mid-row) as a success. Readers override `start`, `end` and `characters`; the
    /// parser's callbacks are declared here only, since on Linux the parser calls the
    /// protocol's witnesses, which for a subclass are the base class's.
    class RefusingDelegate: NSObject, XMLParserDelegate {
        var refusal: FormatError?
        var depth = 0
        var sawRoot = false

        func refuse(_ parser: XMLParser, _ description: String) {
            if refusal == nil { refusal = FormatError(description: description) }
            parser.abortParsing()
        }

        final func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            depth += 1
            sawRoot = true
            start(parser, element, attributes)
        }

        final func parser(_ parser: XMLParser, foundCharacters string: String) {
            characters(string)
        }

        final func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
            depth -= 1
            end(parser, element)
        }

        func start(_ parser: XMLParser, _ element: String, _ attributes: [String: String]) {}
        func characters(_ string: String) {}
        func end(_ parser: XMLParser, _ element: String) {}
    }

    /// Collects the attributes of the named elements.
    final class ElementCollector: RefusingDelegate {
        let names: Set<String>
        var found: [[String: String]] = []

        init(_ names: Set<String>) { self.names = names }

        func collect(_ data: Data, file: String, part: String) throws -> [[String: String]] {
            try XMLPart.parse(data, delegate: self, file: file, part: part)
            return found
        }

        override func start(_ parser: XMLParser, _ element: String, _ attributes: [String: String]) {
            if names.contains(element) || names.contains(element.split(separator: ":").last.map(String.init) ?? "") { found.append(attributes) }
        }
    }

    /// `styles.xml`: which cell styles show a number as a percentage. Excel stores 81% as
    /// 0.81 and shows it through the style; a KPI typed as 81% must be read as 81%, not 0.81.
    enum Styles {
        /// The built-in percentage formats (`0%`, `0.00%`).
        static let builtInPercent: Set<Int> = [9, 10]

        static func percentStyles(_ data: Data, file: String) throws -> Set<Int> {
            var percentFormats = builtInPercent
            for format in try ElementCollector(["numFmt"]).collect(data, file: file, part: "xl/styles.xml") {
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
            try XMLPart.parse(data, delegate: styles, file: file, part: "xl/styles.xml")
            return Set(styles.formats.enumerated().compactMap { percentFormats.contains($0.element) ? $0.offset : nil })
        }

        final class CellStyles: RefusingDelegate {
            var formats: [Int] = []
            var inCellXfs = false

            override func start(_ parser: XMLParser, _ element: String, _ attributes: [String: String]) {
                switch local(element) {
                case "cellXfs": inCellXfs = true
                case "xf" where inCellXfs: formats.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
                default: break
                }
            }

            override func end(_ parser: XMLParser, _ element: String) {
                if local(element) == "cellXfs" { inCellXfs = false }
            }
        }
    }

    /// `sharedStrings.xml`: each `<si>` is the text of its `<t>` elements, furigana (`<rPh>`)
    /// left out.
    final class SharedStrings: RefusingDelegate {
        var strings: [String] = []
        var current = ""
        var inText = false
        var phoneticDepth = 0

        static func parse(_ data: Data, file: String) throws -> [String] {
            let delegate = SharedStrings()
            try XMLPart.parse(data, delegate: delegate, file: file, part: "xl/sharedStrings.xml") { "共有文字列 \(delegate.strings.count + 1) 番目" }
            return delegate.strings
        }

        override func start(_ parser: XMLParser, _ element: String, _ attributes: [String: String]) {
            switch local(element) {
            case "si": current = ""
            case "rPh": phoneticDepth += 1
            case "t": inText = phoneticDepth == 0
            default: break
            }
        }

        override func characters(_ string: String) {
            if inText { current += string }
        }

        override func end(_ parser: XMLParser, _ element: String) {
            switch local(element) {
            case "si": strings.append(current)
            case "rPh": phoneticDepth -= 1
            case "t": inText = false
            default: break
            }
        }
    }

    /// A worksheet's cells into rows, placed by their `r` reference (`E12`); gaps stay empty.
    /// Every reference is checked against Excel's bounds and the table's size against
    /// `maxCells` while reading, so that no reference can make it allocate more.
    final class SheetParser: RefusingDelegate {
        let sharedStrings: [String]
        let percentStyles: Set<Int>
        let file: String
        let sheet: String
        let maxCells: Int
        var rows: [Int: [Int: String]] = [:]
        var rowNumber = 0
        var widest = 0
        var cellReference: String?
        var cellType: String?
        var cellStyle: Int?
        var value = ""
        var inValue = false
        var phoneticDepth = 0
        var nextColumn = 1

        init(sharedStrings: [String], percentStyles: Set<Int> = [], file: String = "", sheet: String = "", maxCells: Int = Limits().cells) {
            self.sharedStrings = sharedStrings
            self.percentStyles = percentStyles
            self.file = file
            self.sheet = sheet
            self.maxCells = maxCells
        }

        static func parse(_ data: Data, sharedStrings: [String], percentStyles: Set<Int> = [], file: String = "", sheet: String = "",
                          maxCells: Int = Limits().cells) throws -> [[String]] {
            let delegate = SheetParser(sharedStrings: sharedStrings, percentStyles: percentStyles, file: file, sheet: sheet, maxCells: maxCells)
            try XMLPart.parse(data, delegate: delegate, file: file, part: "シート「\(sheet)」 (sheet \(sheet))") {
                delegate.cellReference.map { "セル \($0)" } ?? (delegate.rowNumber > 0 ? "\(delegate.rowNumber)行目" : nil)
            }
            guard let last = delegate.rows.keys.max() else { return [] }
            return (1...last).map { r in
                let cells = delegate.rows[r] ?? [:]
                guard let width = cells.keys.max() else { return [] }
                return (1...width).map { cells[$0] ?? "" }
            }
        }

        private func place(_ detail: String) -> String {
            "\(file) のシート「\(sheet)」\(detail)"
        }

        override func start(_ parser: XMLParser, _ element: String, _ attributes: [String: String]) {
            switch local(element) {
            case "row":
                if let written = attributes["r"] {
                    guard let number = Int(written), (1...XLSX.maxRow).contains(number) else {
                        return refuse(parser, place("の行番号 \(written.prefix(20)) は使えません（1〜\(XLSX.maxRow)）。Excel で開いて保存し直してください (row number \(written.prefix(20)) is outside 1…\(XLSX.maxRow); save the file again from Excel)"))
                    }
                    rowNumber = number
                } else {
                    rowNumber += 1
                }
                guard rowNumber <= XLSX.maxRow else { return refuse(parser, place("の行が \(XLSX.maxRow) を超えています (more than \(XLSX.maxRow) rows)")) }
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

        override func characters(_ string: String) {
            if inValue { value += string }
        }

        override func end(_ parser: XMLParser, _ element: String) {
            switch local(element) {
            case "v", "t": inValue = false
            case "rPh": phoneticDepth = max(0, phoneticDepth - 1)
            case "c":
                let column: Int
                if let reference = cellReference {
                    guard let parsed = SheetParser.column(of: reference) else {
                        return refuse(parser, place("のセル参照「\(reference.prefix(20))」が読めません（列は A〜XFD）。Excel で開いて保存し直してください (cell reference \(reference.prefix(20)) is not a cell of A…XFD; save the file again from Excel)"))
                    }
                    column = parsed
                } else {
                    column = nextColumn
                }
                guard column <= XLSX.maxColumn else { return refuse(parser, place("の \(rowNumber) 行目の列が XFD を超えています (a column past XFD in row \(rowNumber))")) }
                let cell = SourceLocation.columnLetters(column) + String(max(rowNumber, 1))
                guard rowNumber >= 1 else { return refuse(parser, place("のセル \(cell) が行の外にあります (cell \(cell) is outside any row)")) }
                nextColumn = column + 1
                widest = max(widest, column)
                // Rows × columns, gaps included, is what reading the table will hold.
                guard rowNumber.multipliedReportingOverflow(by: widest).partialValue <= maxCells else {
                    return refuse(parser, place("が大きすぎます（セル \(cell) まで、上限 \(maxCells) セル）。不要な行・列を削除してください (the sheet is too large: up to \(cell), limit \(maxCells) cells; delete unused rows and columns)"))
                }
                var text = value
                switch cellType {
                case "s":
                    guard let index = Int(value.trimmingCharacters(in: .whitespaces)), sharedStrings.indices.contains(index) else {
                        return refuse(parser, place("のセル \(cell) が存在しない共有文字列（\(value.prefix(20))）を指しています。Excel で開いて保存し直してください (cell \(cell) refers to shared string \(value.prefix(20)), which does not exist; save the file again from Excel)"))
                    }
                    text = sharedStrings[index]
                case "b": text = value == "1" ? "true" : "false"
                case "n", nil:
                    text = cellStyle.map(percentStyles.contains) == true ? SheetParser.percent(value) : SheetParser.number(value)
                default: break
                }
                rows[rowNumber, default: [:]][column] = text
                cellReference = nil
            default: break
            }
        }

        /// `AB12` → 28; nil for anything but one to three letters and a row number
        /// (`XFD` is the last column Excel has).
        static func column(of reference: String) -> Int? {
            let letters = reference.prefix { ("A"..."Z").contains($0) || ("a"..."z").contains($0) }
            let digits = reference.dropFirst(letters.count)
            guard (1...3).contains(letters.count), digits.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
            let column = letters.uppercased().unicodeScalars.reduce(0) { $0 * 26 + Int($1.value) - 64 }
            return column <= XLSX.maxColumn ? column : nil
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
