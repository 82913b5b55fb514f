import Foundation
import Testing
@testable import HyokaImport

@Suite struct DelimitedTextTests {
    @Test func readsQuotedCSV() throws {
        let csv = "code,name,summary\r\n401005,北九州市,\"改行を\n含む, \"\"引用\"\" 付き\"\r\n162019,富山市,\r\n"
        let table = try DelimitedText(text: csv, format: .csv, file: "municipalities.csv")
        #expect(table.rows.count == 3)
        #expect(table.rows[1] == ["401005", "北九州市", "改行を\n含む, \"引用\" 付き"])
        #expect(table.rows[2] == ["162019", "富山市", ""])
        #expect(table.cell(row: 2, column: 2) == "北九州市")
        #expect(table.cell(row: 9, column: 9) == "")
    }

    @Test func dropsTheByteOrderMark() throws {
        let table = try DelimitedText(text: "\u{FEFF}a,b\n1,2", format: .csv)
        #expect(table.rows == [["a", "b"], ["1", "2"]])
    }

    @Test func keepsEmptyCellsSoColumnsStayInPlace() throws {
        let table = try DelimitedText(text: "a,,c\n,,\n", format: .csv)
        #expect(table.rows == [["a", "", "c"], ["", "", ""]])
        #expect(table.cells.map(\.text) == ["a", "c"])
        #expect(table.cells.last == DelimitedText.Cell(row: 1, column: 3, text: "c"))
    }

    @Test func namesTheFileRowAndColumnOfAnUnclosedQuote() {
        let csv = "a,b\n1,\"never closed\n2,3\n"
        #expect(throws: DelimitedText.ReadError(file: "budgets.csv", row: 2, column: 2, problem: .unterminatedQuote)) {
            try DelimitedText(text: csv, format: .csv, file: "budgets.csv")
        }
        let error = DelimitedText.ReadError(file: "budgets.csv", row: 2, column: 2, problem: .unterminatedQuote)
        #expect(error.description.contains("budgets.csv 2行目 2列目"))
        #expect(error.description.contains("row 2, column 2"))
    }

    @Test func refusesTextAfterAClosingQuote() {
        #expect(throws: DelimitedText.ReadError(file: "x.csv", row: 1, column: 1, problem: .textAfterClosingQuote)) {
            try DelimitedText(text: "\"a\"b,c", format: .csv, file: "x.csv")
        }
    }

    @Test func refusesAFileThatIsNotUTF8() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-\(UUID().uuidString).csv")
        // 北九州市 in Shift_JIS.
        try Data([0x96, 0x6B, 0x8B, 0xE3, 0x8F, 0x42, 0x8E, 0x73]).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: DelimitedText.ReadError.self) { try DelimitedText(contentsOf: url) }
    }

    /// The seeds are tab-separated PDF extractions: quotes are plain characters there.
    @Test func readsTheSeedExtractions() throws {
        let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/seeds")
        let table = try DelimitedText(contentsOf: seeds.appendingPathComponent("program-evaluation-table.txt"))
        #expect(table.rows.count == 17)  // 16 line breaks, no final one
        #expect(table.cell(row: 8, column: 3) == "防犯カメラ運用事業")
        #expect(table.cell(row: 8, column: 12) == "92.8%")
        let plan = try DelimitedText(contentsOf: seeds.appendingPathComponent("regional-collaboration-plan.txt"))
        #expect(plan.cells.contains { $0.text.contains("<li>") })
    }
}
