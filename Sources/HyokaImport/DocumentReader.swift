import Foundation

/// Reads any file Hyoka imports: a workbook folder, or a published document in one of the
/// seed layouts (chosen by `layout` or detected from the content).
public enum DocumentReader {
    public static func read(_ url: URL, layout requested: DocumentLayout? = nil, options: ReadOptions = ReadOptions()) throws -> (ReadResult, DocumentLayout) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw WorkbookFiles.FileError(description: "\(url.path): ファイルがありません (no such file)")
        }
        if isDirectory.boolValue {
            if let requested, requested != .workbook {
                throw WorkbookFiles.FileError(description: "\(url.path): フォルダはワークブック（CSV）としてのみ読めます (a folder is read as a workbook)")
            }
            let (tables, issues) = try WorkbookFiles.readFolder(url)
            var result = Workbook.dataset(from: tables, file: url.lastPathComponent)
            result.issues = issues + result.issues
            return (result, .workbook)
        }
        switch url.pathExtension.lowercased() {
        case "xlsx":
            var result = Workbook.dataset(from: try XLSX.read(url), file: url.lastPathComponent)
            result.notes.insert("\(url.lastPathComponent): Excel のワークブックとして読みました (read as an Excel workbook)", at: 0)
            return (result, .workbook)
        case "zip":
            let (tables, issues) = try WorkbookFiles.readZip(url)
            var result = Workbook.dataset(from: tables, file: url.lastPathComponent)
            result.issues = issues + result.issues
            return (result, .workbook)
        case "csv":
            // One table of the workbook, named by its file.
            let data = try Data(contentsOf: url)
            guard let text = String(data: data, encoding: .utf8) else {
                return (ReadResult(issues: [UTF8Position.issue(in: data, file: url.lastPathComponent)]), .workbook)
            }
            do {
                let name = url.deletingPathExtension().lastPathComponent
                return (Workbook.dataset(from: [try WorkbookTable(csv: text, name: name, file: url.lastPathComponent)], file: url.lastPathComponent), .workbook)
            } catch let error as DelimitedText.ReadError {
                return (ReadResult(issues: [.error(at: SourceLocation(file: error.file, line: error.row, column: error.column), error.description, error.description)]), .workbook)
            }
        default:
            break
        }
        let table: DelimitedText
        do {
            table = try DelimitedText(contentsOf: url, format: .tsv)
        } catch let error as DelimitedText.ReadError {
            if error.problem == .notUTF8, let data = try? Data(contentsOf: url) {
                return (ReadResult(issues: [UTF8Position.issue(in: data, file: url.lastPathComponent)]), requested ?? .workbook)
            }
            return (ReadResult(issues: [.error(at: SourceLocation(file: error.file, line: error.row, column: error.column), error.description, error.description)]), requested ?? .workbook)
        }
        let layout = requested ?? detect(table)
        switch layout {
        case .programTable:
            return (ProgramTableReader.read(table, options: options), layout)
        case .manifesto:
            return (ManifestoReader.read(table, options: options), layout)
        case .headlines:
            return (HeadlinesReader.read(table, options: options), layout)
        case .collaborationPlan:
            return (CollaborationPlanReader.read(table, options: options), layout)
        case .pdcaSheet:
            return (PDCASheetReader.read(table, options: options), layout)
        case .workbook:
            throw WorkbookFiles.FileError(description:
                "\(url.lastPathComponent): 形式を判別できません。--layout で program-table, pdca-sheet, collaboration-plan, manifesto, headlines のいずれかを指定するか、ワークブックのフォルダを指定してください (cannot tell the layout; pass --layout or a workbook folder)")
        }
    }

    /// The layout a published document's content shows.
    public static func detect(_ table: DelimitedText) -> DocumentLayout {
        if ProgramTableReader.detect(table) { return .programTable }
        if PDCASheetReader.detect(table) { return .pdcaSheet }
        if CollaborationPlanReader.detect(table) { return .collaborationPlan }
        if ManifestoReader.detect(table) { return .manifesto }
        if HeadlinesReader.detect(table) { return .headlines }
        return .workbook
    }
}
