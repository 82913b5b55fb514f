import Foundation
import Testing
import ZIPFoundation
@testable import HyokaImport

/// Workbooks written to break the reader, each of which once crashed, hung or silently
/// truncated it (issue 15): every one is now refused with the file, the sheet and the cell
/// or line named, quickly and without allocating more than the bounds allow.
@Suite struct XLSXHostileTests {
    static let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    /// A one-sheet workbook named `programs` whose sheet XML is `sheetData` inside `<sheetData>`.
    static func workbook(_ sheetData: String, sharedStrings: [String] = ["name", "魅力発信事業"], rawSheet: String? = nil,
                         extra: [(String, Data)] = [], file: String = "hostile.xlsx") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-xlsx-\(UUID().uuidString)-\(file)")
        let archive = try Archive(url: url, accessMode: .create)
        func add(_ path: String, _ data: Data) throws {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        try add("xl/workbook.xml", Data("""
            \(header)<workbook xmlns="\(main)" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets><sheet name="programs" sheetId="1" r:id="rId1"/></sheets></workbook>
            """.utf8))
        try add("xl/_rels/workbook.xml.rels", Data("""
            \(header)<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>
            """.utf8))
        try add("xl/sharedStrings.xml", Data("\(header)<sst xmlns=\"\(main)\">\(sharedStrings.map { "<si><t>\($0)</t></si>" }.joined())</sst>".utf8))
        try add("xl/worksheets/sheet1.xml", Data((rawSheet ?? "\(header)<worksheet xmlns=\"\(main)\"><sheetData>\(sheetData)</sheetData></worksheet>").utf8))
        for (path, data) in extra { try add(path, data) }
        return url
    }

    static func refusal(_ url: URL) -> String? {
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try XLSX.read(url)
            return nil
        } catch {
            return String(describing: error)
        }
    }

    @Test func aGoodWorkbookStillReads() throws {
        let url = try Self.workbook(#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>12.5</v></c></row>"#)
        defer { try? FileManager.default.removeItem(at: url) }
        let table = try #require(try XLSX.read(url).first)
        #expect(table.rows == [["魅力発信事業", "12.5"]])
    }

    @Test(arguments: [
        (#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>-1</v></c></row>"#, "A2"),
        (#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="B2" t="s"><v>99999999999999999999</v></c></row>"#, "B2"),
        (#"<row r="0"><c r="A1" t="s"><v>0</v></c></row>"#, "行番号 0"),
        (#"<row r="-3"><c r="A1" t="s"><v>0</v></c></row>"#, "行番号 -3"),
        (#"<row r="1"><c r="ABCDEFGHIJKLMNOPQRST1"><v>1</v></c></row>"#, "ABCDEFGHIJKLMNOPQRST"),
        (#"<row r="200000000"><c r="A200000000"><v>1</v></c></row>"#, "行番号 200000000"),
        (#"<row r="2"><c r="ZZZZZZ2"><v>1</v></c></row>"#, "ZZZZZZ2"),
        (#"<row r="1"><c r="XFD1"><v>1</v></c></row><row r="1048576"><c r="A1048576"><v>1</v></c></row>"#, "上限"),
    ])
    func aCellOutsideTheBoundsIsRefusedByName(sheetData: String, named: String) throws {
        let refusal = try #require(Self.refusal(try Self.workbook(sheetData)), "read: \(sheetData)")
        #expect(refusal.contains("hostile.xlsx"), "\(refusal)")
        #expect(refusal.contains("programs"), "\(refusal)")
        #expect(refusal.contains(named), "\(refusal)")
    }

    /// A sheet cut in the middle of a row was read as a shorter sheet, and the import then
    /// cleared what the missing cells held.
    @Test func aSheetCutMidRowIsRefusedWithItsLine() throws {
        let full = "\(Self.header)\n<worksheet xmlns=\"\(Self.main)\"><sheetData>\n<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>\n<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"B2\"><v>3"
        let refusal = try #require(Self.refusal(try Self.workbook("", rawSheet: full)))
        #expect(refusal.contains("XML"), "\(refusal)")
        #expect(refusal.contains("行"), "\(refusal)")
        #expect(refusal.contains("programs"), "\(refusal)")
    }

    /// An entity declared in a DTD could hide or repeat text (and a billion laughs expand).
    @Test func aDocumentTypeDeclarationIsRefused() throws {
        let sheet = "\(Self.header)<!DOCTYPE worksheet [<!ENTITY cut \"</c></row>\">]><worksheet xmlns=\"\(Self.main)\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&cut;</t></is></c></row></sheetData></worksheet>"
        let refusal = try #require(Self.refusal(try Self.workbook("", rawSheet: sheet)))
        #expect(refusal.contains("<!DOCTYPE"), "\(refusal)")
        #expect(refusal.contains("xl/worksheets/sheet1.xml"), "\(refusal)")
    }

    /// 64 MB of zeros deflate to about 64 kB: refused once past the ratio floor, long
    /// before it is all expanded.
    @Test func aZipBombIsRefused() throws {
        let size = 64 << 20
        let zeros = Data(count: 1 << 20)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-bomb-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        let archive = try Archive(url: url, accessMode: .create)
        try archive.addEntry(with: "xl/workbook.xml", type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate) { position, chunk in
            zeros.prefix(chunk)
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        #expect((attributes[.size] as? Int ?? 0) < 1 << 20)
        do {
            _ = try XLSX.read(url)
            Issue.record("a 64 MB entry of zeros was read")
        } catch {
            #expect(String(describing: error).contains("ZIP 爆弾"), "\(error)")
        }
        // And the total: many parts each under the ratio, together past the limit.
        var limits = XLSX.Limits()
        limits.expandedBytes = 2 << 20
        do {
            _ = try XLSX.read(try Self.workbook(String(repeating: #"<row><c t="inlineStr"><is><t>あいうえおかきくけこ</t></is></c></row>"#, count: 60_000)), limits: limits)
            Issue.record("a sheet past the expanded limit was read")
        } catch {
            #expect(String(describing: error).contains("2 MB"), "\(error)")
        }
    }

    @Test func aDamagedArchiveNamesTheFileAndThePart() throws {
        // Text that does not repeat, so that the sheet is most of the file's bytes.
        var generator = SystemRandomNumberGenerator()
        let rows = (1...2_000).map { _ in #"<row><c t="inlineStr"><is><t>\#(UInt64.random(in: 0...UInt64.max, using: &generator))</t></is></c></row>"# }
        let url = try Self.workbook(rows.joined(), file: "damaged.xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        var bytes = [UInt8](try Data(contentsOf: url))
        // Inside the sheet's compressed data (the last entry before the central directory).
        let middle = bytes.count / 2
        for i in middle..<(middle + 64) { bytes[i] ^= 0x5A }
        try Data(bytes).write(to: url)
        do {
            _ = try XLSX.read(url)
            Issue.record("a damaged archive was read")
        } catch {
            #expect(String(describing: error).contains("damaged.xlsx"), "\(error)")
        }
    }

    @Test func invalidUTF8IsPlacedByLineCharacterAndByte() throws {
        let before = Data("name,summary\n魅力発信事業,説明\n".utf8)
        var data = before
        data.append(contentsOf: [0x8E, 0x96])  // 事 in CP932
        data.append(contentsOf: "業,x\n".utf8)
        let found = try #require(UTF8Position.find(in: data))
        #expect(found.line == 3 && found.column == 1 && found.byte == before.count)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("programs-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try data.write(to: url)
        let (result, _) = try DocumentReader.read(url)
        let issue = try #require(result.issues.first)
        #expect(issue.location.line == 3)
        #expect(issue.japanese.contains("バイト位置 \(before.count)"), "\(issue.japanese)")
        #expect(!issue.japanese.contains("NSCocoaErrorDomain"))
    }
}

/// Inputs on which the fuzzer (`ReaderFuzzTests`) crashed the process, kept as they were
/// found. Each must now be refused with a message naming the file.
@Suite struct FuzzCrashRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fuzz-crashes")

    /// A workbook whose sheet14 was damaged inside its deflate stream: the CRC did not match
    /// (ZIPFoundation computes it but does not compare it) and the sheet was not UTF-8, on
    /// which Foundation's XMLParser on Linux stopped the process (signal 4 in
    /// `_NSXMLParserStartElementNs`).
    @Test func aDamagedSheetThatCrashedFoundationsParser() throws {
        let url = Self.folder.appendingPathComponent("xlsx-bytes-damaged-sheet.xlsx")
        do {
            _ = try XLSX.read(url)
            Issue.record("the damaged workbook was read")
        } catch {
            let message = String(describing: error)
            #expect(message.contains("xlsx-bytes-damaged-sheet.xlsx") && message.contains("sheet14.xml"), "\(message)")
        }
    }

    /// A workbook whose sheet21 has a deflate stream zlib calls invalid: the fuzzer's run
    /// stopped on it (the reader never returned).
    @Test func aDeflateStreamZlibCallsInvalid() throws {
        let url = Self.folder.appendingPathComponent("xlsx-bytes-bad-deflate.xlsx")
        for _ in 0..<20 {
            do {
                _ = try DocumentReader.read(url)
                Issue.record("the damaged workbook was read")
            } catch {
                #expect(String(describing: error).contains("xlsx-bytes-bad-deflate.xlsx"), "\(error)")
            }
        }
    }

    /// The same damage without the checksum to catch it: a part that is not UTF-8.
    @Test func aPartThatIsNotUTF8IsRefusedBeforeTheParser() throws {
        var sheet = Data("\(XLSXHostileTests.header)<worksheet xmlns=\"\(XLSXHostileTests.main)\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>事業".utf8)
        sheet.append(contentsOf: [0xE3, 0x81, 0x9B, 0x81, 0xE6, 0x94])
        sheet.append(contentsOf: Data(#"</t></is></c><c r="J7" t=""#.utf8) + Data([0x9B]) + Data(#"is"></c></row></sheetData></worksheet>"#.utf8))
        // Zipped as bytes: a String would repair them.
        let raw = FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-notutf8-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: raw) }
        try ReaderFuzzTests.zip([("xl/workbook.xml", Data("""
            \(XLSXHostileTests.header)<workbook xmlns="\(XLSXHostileTests.main)" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets><sheet name="programs" sheetId="1" r:id="rId1"/></sheets></workbook>
            """.utf8)), ("xl/_rels/workbook.xml.rels", Data("""
            \(XLSXHostileTests.header)<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>
            """.utf8)), ("xl/worksheets/sheet1.xml", sheet)], to: raw)
        do {
            _ = try XLSX.read(raw)
            Issue.record("a sheet that is not UTF-8 was read")
        } catch {
            let message = String(describing: error)
            #expect(message.contains("UTF-8") && message.contains("sheet1.xml"), "\(message)")
        }
    }
}

/// Large real workbooks: Excel writes a sheet on one line, and libxml2, given a part of
/// more than 10 MB at once, reported an error at its end. Before parse errors were
/// reported this cut such sheets silently; now they must read whole.
@Suite struct LargeSheetTests {
    @Test func aSheetOfTwelveMegabytesOnOneLineReadsWhole() throws {
        let text = String(repeating: "事業の成果と課題を記録する欄。", count: 14)
        let rows = (1...20_000).map { ["2025-\($0 % 12 + 1)", "中央ひろば", String($0), text] }
        let table = WorkbookTable(name: "利用記録", columns: ["日付", "会場", "組数", "記録"], rows: rows)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-large-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try XLSX.write([table], to: url)
        let read = try #require(try XLSX.read(url).first)
        #expect(read.rows.count == rows.count)
        #expect(read.rows.last == rows.last)
    }
}
