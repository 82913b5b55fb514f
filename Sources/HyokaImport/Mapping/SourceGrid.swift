import Foundation

/// A city's file as a grid of text cells, whatever its format, so that one mapping engine
/// reads an `.xlsx` sheet, a CSV file and a JSON array of records alike. Rows keep the
/// numbers a person sees (Excel's row 3 is row 3), so that every message points at the cell.
struct SourceGrid {
    var file: String
    var sheet: String?
    /// The column names (the mapping's header row; for JSON, every key of the records).
    var header: [String]
    /// The records: their row number and cells.
    var rows: [(number: Int, cells: [String])]
    /// For JSON: the document's top-level string fields (`"municipality": "兵庫県朝来市"`).
    var documentFields: [String: String] = [:]
    var isJSON = false

    /// Where a cell is, as a person finds it: `file sheet!H12`, `file:12:3`, or
    /// `file records[11].name`.
    func location(row: Int, column: Int?) -> SourceLocation {
        if isJSON {
            let field = column.flatMap { header.indices.contains($0) ? header[$0] : nil }
            return SourceLocation(file: "\(file) records[\(row - 1)]\(field.map { ".\($0)" } ?? "")")
        }
        return SourceLocation(file: file, line: row, column: column.map { $0 + 1 }, sheet: sheet)
    }

    static func read(_ url: URL, source: ImportMapping.Source) throws -> SourceGrid {
        let file = url.lastPathComponent
        switch source.format {
        case .xlsx:
            let tables = try XLSX.read(url)
            let table: WorkbookTable
            if let sheet = source.sheet {
                guard let found = tables.first(where: { $0.name == sheet }) else {
                    throw MappingError("\(file): シート「\(sheet)」がありません。ある シート: \(tables.map { "「\($0.name)」" }.joined(separator: "、")) (no sheet named \(sheet))")
                }
                table = found
            } else {
                guard let first = tables.first else { throw MappingError("\(file): シートがありません (the workbook has no sheet)") }
                table = first
            }
            // XLSX.read took row 1 as the header; the mapping says which row is.
            let all = [table.columns] + table.rows
            return try grid(all, file: file, sheet: table.name, source: source)
        case .csv:
            let text = try DelimitedText(contentsOf: url, format: .csv)
            return try grid(text.rows, file: file, sheet: nil, source: source)
        case .json:
            return try json(url, source: source)
        }
    }

    static func grid(_ all: [[String]], file: String, sheet: String?, source: ImportMapping.Source) throws -> SourceGrid {
        let headerRow = source.headerRow ?? 1
        guard headerRow >= 1, headerRow <= all.count else {
            throw MappingError("\(file): 見出し行 \(headerRow) がありません（\(all.count) 行のファイルです） (header row \(headerRow) is past the file's \(all.count) rows)")
        }
        let header = all[headerRow - 1].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let first = source.firstRow ?? headerRow + 1
        let last = min(source.lastRow ?? all.count, all.count)
        guard first > headerRow else {
            throw MappingError("\(file): firstRow \(first) は見出し行 \(headerRow) より後にしてください (firstRow must come after headerRow)")
        }
        var rows: [(Int, [String])] = []
        if first <= last {
            for number in first...last {
                let cells = all[number - 1]
                // Blank rows below the records (Excel keeps formatted rows) carry nothing.
                if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) { continue }
                rows.append((number, cells))
            }
        }
        return SourceGrid(file: file, sheet: sheet, header: header, rows: rows)
    }

    /// Records of a JSON file: objects whose values are strings, numbers or null.
    static func json(_ url: URL, source: ImportMapping.Source) throws -> SourceGrid {
        let file = url.lastPathComponent
        let data = try Data(contentsOf: url)
        let document: Any
        do {
            document = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw MappingError("\(file): JSON として読めません (not valid JSON): \(error.localizedDescription)")
        }
        var documentFields: [String: String] = [:]
        let array: [Any]
        if let key = source.records {
            guard let object = document as? [String: Any], let records = object[key] as? [Any] else {
                throw MappingError("\(file): 記録の配列「\(key)」がありません (no array of records named \(key))")
            }
            for (name, value) in object { if let text = value as? String { documentFields[name] = text } }
            array = records
        } else {
            guard let records = document as? [Any] else {
                throw MappingError("\(file): 最上位が配列ではありません。source.records に記録の配列のキーを指定してください (the document is not an array; name the records' key in source.records)")
            }
            array = records
        }
        var header: [String] = []
        var index: [String: Int] = [:]
        var objects: [[String: Any]] = []
        for (n, item) in array.enumerated() {
            guard let object = item as? [String: Any] else {
                throw MappingError("\(file) records[\(n)]: オブジェクトではありません (a record is not an object)")
            }
            for key in object.keys.sorted() where index[key] == nil {
                index[key] = header.count
                header.append(key)
            }
            objects.append(object)
        }
        var rows: [(Int, [String])] = []
        for (n, object) in objects.enumerated() {
            var cells = Array(repeating: "", count: header.count)
            for (key, value) in object {
                guard let column = index[key] else { continue }
                switch value {
                case let text as String: cells[column] = text
                case let number as NSNumber: cells[column] = number.stringValue
                case is NSNull: cells[column] = ""
                default:
                    throw MappingError("\(file) records[\(n)].\(key): 文字列か数値にしてください（配列・オブジェクトは読めません） (a value must be a string or a number)")
                }
            }
            rows.append((n + 1, cells))
        }
        return SourceGrid(file: file, sheet: nil, header: header, rows: rows, documentFields: documentFields, isJSON: true)
    }
}
