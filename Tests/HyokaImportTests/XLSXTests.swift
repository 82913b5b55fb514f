import Foundation
import HyokaCore
import Testing
import ZIPFoundation
@testable import HyokaImport

@Suite struct XLSXTests {
    static func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-\(UUID().uuidString)-\(name)")
    }

    @Test func everyTableSurvivesXLSX() throws {
        let tables = Workbook.tables(from: WorkbookTests.sample())
        let url = Self.temporary("book.xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try XLSX.write(tables, to: url)
        let read = try XLSX.read(url)
        #expect(read.map(\.name) == tables.map(\.name))
        #expect(read.map(\.columns) == tables.map(\.columns))
        #expect(read.map(\.rows) == tables.map(\.rows))
        #expect(read.allSatisfy { $0.sheet == $0.name && $0.file == url.lastPathComponent })
        let result = Workbook.dataset(from: read)
        #expect(result.issues.isEmpty)
        #expect(Workbook.tables(from: result.dataset).map(\.csv) == tables.map(\.csv))
    }

    @Test func zipOfCSVSurvives() throws {
        let tables = Workbook.tables(from: WorkbookTests.sample())
        let url = Self.temporary("book.zip")
        defer { try? FileManager.default.removeItem(at: url) }
        try WorkbookFiles.writeZip(tables, to: url)
        let (read, issues) = try WorkbookFiles.readZip(url)
        #expect(issues.isEmpty)
        #expect(Set(read.map(\.csv)) == Set(tables.map(\.csv)))
    }

    /// A workbook as Excel writes it: shared strings with rich-text runs and furigana,
    /// numbers stored as binary fractions, an absolute relationship target, empty cells.
    @Test func readsWhatExcelWrites() throws {
        let url = Self.temporary("excel.xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        let archive = try Archive(url: url, accessMode: .create)
        func add(_ path: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count)) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        try add("xl/workbook.xml", """
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
            <sheets><sheet name="budgets" sheetId="1" r:id="rId7"/></sheets></workbook>
            """)
        try add("xl/_rels/workbook.xml.rels", """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId7" Type="worksheet" Target="/xl/worksheets/sheet1.xml"/></Relationships>
            """)
        try add("xl/sharedStrings.xml", """
            <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">
            <si><t>program</t></si>
            <si><r><rPr><b/></rPr><t>防犯</t></r><r><t xml:space="preserve">カメラ運用事業</t></r><rPh sb="0" eb="2"><t>ボウハン</t></rPh></si>
            <si><t>budget_yen</t></si><si><t>note</t></si>
            </sst>
            """)
        try add("xl/worksheets/sheet1.xml", """
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>
            <row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3"><v>39464000</v></c><c r="C3"><v>92.799999999999997</v></c><c r="D3" t="b"><v>1</v></c></row>
            </sheetData></worksheet>
            """)
        let tables = try XLSX.read(url)
        let budgets = try #require(tables.first)
        #expect(budgets.name == "budgets" && budgets.columns == ["program", "budget_yen", "", "note"])
        #expect(budgets.rows == [["", "", "", ""], ["防犯カメラ運用事業", "39464000", "92.8", "true"]])
        #expect(budgets.location(row: 3, column: 2).description == "\(url.lastPathComponent) budgets!B3")
    }

    @Test func namesTheSheetAndCellOfAnError() throws {
        var tables = Workbook.tables(from: WorkbookTests.sample())
        let budgets = try #require(tables.firstIndex { $0.name == "budgets" })
        let column = try #require(tables[budgets].columns.firstIndex(of: "settlement_yen"))
        tables[budgets].rows[0][column] = "三万円"
        let url = Self.temporary("bad.xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try XLSX.write(tables, to: url)
        let (result, layout) = try DocumentReader.read(url)
        #expect(layout == .workbook)
        let error = try #require(result.errors.first)
        #expect(error.location.description == "\(url.lastPathComponent) budgets!E2")
    }

    /// openpyxl (PyPI) opens the export, changes one cell and saves; Hyoka reads exactly that
    /// change. Needs python3 with openpyxl (`pip install openpyxl`; .ci/run installs it).
    @Test func openpyxlChangesOneCell() throws {
        let dataset = WorkbookTests.sample()
        let url = Self.temporary("export.xlsx")
        let edited = Self.temporary("edited.xlsx")
        defer { for file in [url, edited] { try? FileManager.default.removeItem(at: file) } }
        try XLSX.write(Workbook.tables(from: dataset), to: url)
        let script = """
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            ws = wb["budgets"]
            column = [c.value for c in ws[1]].index("budget_yen") + 1
            ws.cell(row=2, column=column).value = "40000000"
            wb.save(sys.argv[2])
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, url.path, edited.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let message = String(data: errors.fileHandleForReading.readDataToEndOfFile(), encoding: .utf8) ?? ""
        try #require(process.terminationStatus == 0, "python3 with openpyxl is needed (pip install openpyxl): \(message)")
        let (result, _) = try DocumentReader.read(edited)
        #expect(result.errors.isEmpty)
        var expected = dataset
        expected.budgets[0].budget = Money(yen: 40_000_000)
        #expect(result.dataset.budgets == expected.budgets)
        #expect(Workbook.tables(from: result.dataset).map(\.csv) == Workbook.tables(from: expected).map(\.csv))
    }

    /// A KPI typed in Excel as 81% is stored as 0.81 with a percentage style: it must read
    /// as 81%, not 0.81 (a rate of about 1%). Built-in and custom formats, openpyxl's way.
    @Test func readsAPercentageCellAsAPercentage() throws {
        let url = Self.temporary("percent.xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        let script = """
            import sys, openpyxl
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.title = "指標"
            ws.append(["名前", "実績値", "目標値", "件数", "割合の文字"])
            ws.append(["A", 0.81, 0.928, 87, "81%"])
            ws["B2"].number_format = "0%"
            ws["C2"].number_format = "0.0%"
            ws.append(["B", 1.2, 0.5, 0.5, ""])
            ws["B3"].number_format = '#,##0.0"%"'  # a quoted % is text, not a percentage
            ws["C3"].number_format = "[Red]0.00%"
            wb.save(sys.argv[1])
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, url.path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 with openpyxl is needed (pip install openpyxl)")
        let table = try #require(try XLSX.read(url).first)
        #expect(table.rows[0] == ["A", "81%", "92.8%", "87", "81%"])
        #expect(table.rows[1] == ["B", "1.2", "50%", "0.5", ""])
    }
}
