import Foundation
import HyokaCore
import Testing
@testable import HyokaImport

@Suite struct OpenDataTests {
    static var root: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }

    @Test func theDataDictionaryIsWhatDocsWorkbookSays() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.root.appendingPathComponent("scripts/generate-data-dictionary.py").path, "--stdout"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let generated = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stored = try Data(contentsOf: Self.root.appendingPathComponent("Sources/HyokaImport/DataDictionary+Generated.swift"))
        #expect(generated == stored, "docs/workbook.md changed: run python3 scripts/generate-data-dictionary.py")
        // Every column of every table has its entry.
        for (table, columns) in Workbook.schema {
            #expect(DataDictionary.table(table)?.columns.map(\.name) == columns, "\(table)")
        }
        #expect(DataDictionary.table("indicator_values")?.columns.first { $0.name == "achievement_rate" }?.computed == true)
    }

    @Test func cp932WritesWhatWindowsWritesAndMarksWhatItCannotHold() throws {
        let encoded = try CP932.encode("北九州市①−〜髙\n😀")
        #expect(encoded.substituted == 1)
        // 北 96 6B, 九 8B E3, 州 8F 42, 市 8E 73, ① 87 40, － 81 7C, ～ 81 60, 髙 FB FC, LF, 〓 81 AC
        #expect(Array(encoded.data) == [0x96, 0x6B, 0x8B, 0xE3, 0x8F, 0x42, 0x8E, 0x73, 0x87, 0x40, 0x81, 0x7C, 0x81, 0x60, 0xFB, 0xFC, 0x0A, 0x81, 0xAC])
    }

    @Test func theJSONDocumentReadsBackAsTheTables() throws {
        let awkward = ["引用符 \" と \\ バックスラッシュ", "改行\nと\r\nとタブ\t", "制御\u{01}\u{1F}\u{08}\u{0C}", "/path/と😀", ""]
        let tables = [WorkbookTable(name: "programs", columns: ["name", "summary"], rows: awkward.map { [$0, $0 + "!"] }),
                      WorkbookTable(name: "budget_lines", columns: ["fiscal_year"], rows: [])]
        let text = WorkbookFiles.json(tables)
        // What Foundation's own writer makes of the same strings, character for character.
        for value in awkward {
            let foundation = String(decoding: try JSONSerialization.data(withJSONObject: [value], options: [.withoutEscapingSlashes]), as: UTF8.self)
            #expect(text.contains(": " + String(foundation.dropFirst().dropLast()) + ","), "\(value)")
        }
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: [[String: String]]])
        #expect(parsed["programs"]?.map { $0["name"] } == awkward)
        #expect(parsed["programs"]?.map { $0["summary"] } == awkward.map { $0 + "!" })
        #expect(parsed["budget_lines"]?.isEmpty == true)
    }

    @Test func bundleTextUsesCRLFLineEnds() {
        #expect(OpenDataBundle.csvWithCRLF("a,b\nc,\"x\r\ny\"\nlone\rcr\r\r\n") == "a,b\r\nc,\"x\r\ny\"\r\nlone\rcr\r\r\n")
        #expect(OpenDataBundle.csvWithCRLF("") == "")
    }

    @Test func thePublicViewLeavesOutDraftsAndOpenYears() {
        var d = Dataset()
        d.municipalities = [MunicipalityRecord(code: "401005", name: "北九州市", prefecture: "福岡県"), MunicipalityRecord(code: "402036", name: "久留米市", prefecture: "福岡県")]
        d.programs = [ProgramRecord(municipalityCode: "401005", name: "公表事業"), ProgramRecord(municipalityCode: "401005", name: "下書き事業"),
                      ProgramRecord(municipalityCode: "402036", name: "他市の事業")]
        d.cycles = [CycleRecord(municipalityCode: "401005", fiscalYear: 2024, phase: .published), CycleRecord(municipalityCode: "401005", fiscalYear: 2025, phase: .input),
                    CycleRecord(municipalityCode: "402036", fiscalYear: 2024, phase: .review)]
        d.sheets = [SheetRecord(municipalityCode: "401005", fiscalYear: 2024, program: "公表事業", status: .published),
                    SheetRecord(municipalityCode: "401005", fiscalYear: 2025, program: "公表事業", status: .draft),
                    SheetRecord(municipalityCode: "401005", fiscalYear: 2025, program: "下書き事業", status: .draft),
                    SheetRecord(municipalityCode: "402036", fiscalYear: 2024, program: "他市の事業", status: .approved)]
        d.budgets = [2024, 2025, 2026].map { BudgetRecord(municipalityCode: "401005", program: "公表事業", fiscalYear: $0) }
            + [BudgetRecord(municipalityCode: "401005", program: "下書き事業", fiscalYear: 2024)]
        let view = PublicView.of(d)
        #expect(view.municipalities.map(\.code) == ["401005"])
        #expect(view.programs.map(\.name) == ["公表事業"])
        // 2025 has an open cycle; 2026 has none (a planned budget printed on a published sheet).
        #expect(view.budgets.map(\.fiscalYear) == [2024, 2026])
        #expect(view.cycles.map(\.fiscalYear) == [2024] && view.sheets.count == 1)
    }
}
