import Foundation
import Testing
import ZIPFoundation
@testable import HyokaImport

/// A mutation fuzzer for every reader a file reaches: the `.xlsx` workbook (its XML parts
/// mutated with the constructs that once broke it, and its bytes), the ZIP of CSV files,
/// one CSV table, and the five published-document layouts, each seeded with the seed
/// documents and the workbook Hyoka exports from them.
///
/// A run reads each mutated file the way `hyoka import` and the workbook upload do. It
/// passes when every read either succeeds or is refused with an error that names the file;
/// a crash ends the test process, and the input that did it stays in
/// `$TMPDIR/hyoka-fuzz-current-<target>` to become a regression test.
///
/// How long: `HYOKA_FUZZ_SECONDS` per target (`.ci/run` gives it a bounded time), else
/// `HYOKA_FUZZ_RUNS` inputs per target (100). `HYOKA_FUZZ_SEED` repeats a run; the seed
/// used is printed with the counts.
@Suite(.serialized) struct ReaderFuzzTests {
    /// Seedable, so that a seed repeats a run: the demo city's SplitMix64.
    typealias Generator = DemoCity.Random

    struct Budget {
        let seconds: Double?
        let runs: Int
        let seed: UInt64

        static var current: Budget {
            let environment = ProcessInfo.processInfo.environment
            return Budget(seconds: environment["HYOKA_FUZZ_SECONDS"].flatMap(Double.init),
                          runs: environment["HYOKA_FUZZ_RUNS"].flatMap(Int.init) ?? 100,
                          seed: environment["HYOKA_FUZZ_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64(UInt32.max)))
        }
    }

    /// What a run found: reads that succeeded and reads refused with a message.
    struct Tally: CustomStringConvertible {
        var target: String
        var seed: UInt64
        var executions = 0
        var accepted = 0
        var refused = 0
        var description: String { "fuzz \(target): \(executions) executions (seed \(seed)), \(accepted) read, \(refused) refused with a message, 0 crashes" }
    }

    static let seedsFolder = LayoutReaderTests.seeds
    static let seedFiles = ["program-evaluation-table.txt", "policy-pdca-sheet.txt", "regional-collaboration-plan.txt",
                            "department-manifesto.txt", "reform-overview.txt"]

    // MARK: mutations

    /// Tokens that have broken or could break a reader: separators, quotes, signs and units
    /// of the number parser, era names, huge numbers, control characters, markup.
    static let textTokens = ["\t", "\n", "\r\n", "\r", "\"", ",", "\"\"", "△", "▲", "-", "−", "9999999999999999999999999", "１２３", "%", "％",
                             "千円", "億", "令和", "平成", "元年度", "年度", "<", "&", "=HYPERLINK(\"http://x\")", "\u{0}", "\u{FEFF}", "\u{202E}",
                             "𠮷", "ｶﾀｶﾅ", "…", "―", "〜", "①", "Ⅳ", " ", "　", "0", "-0", "1e308", "nan", "inf", "999兆", "▲1,234", "(1,234)"]
    /// Constructs of SpreadsheetML that once crashed, hung or silently cut the reader.
    static let xmlTokens = [#"<row r="-1">"#, #"<row r="0">"#, #"<row r="1048577">"#, #"<row r="999999999999999999999">"#, #"<c r="ZZZZ1">"#,
                            #"<c r="XFD1048576"><v>1</v></c>"#, #"<c t="s"><v>-1</v></c>"#, #"<c t="s"><v>999999</v></c>"#, "</row>", "</c>", "<row>",
                            "<!DOCTYPE x>", #"<!ENTITY e "x">"#, "&amp;", "&#0;", "&#xD800;", "&undefined;", "<v>1e308</v>", "<v>nan</v>",
                            "<rPh>", "</rPh>", "<is><t>", "</t></is>", #"<c t="b"><v>2</v></c>"#, #"<c s="99999"><v>0.5</v></c>"#, "<![CDATA[", "]]>"]

    static func mutate(_ text: String, tokens: [String], using random: inout Generator) -> String {
        var scalars = Array(text.unicodeScalars)
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let position = scalars.isEmpty ? 0 : Int.random(in: 0...scalars.count, using: &random)
            switch Int.random(in: 0..<7, using: &random) {
            case 0, 1:  // insert a token
                let token = tokens.randomElement(using: &random) ?? ""
                scalars.insert(contentsOf: token.unicodeScalars, at: position)
            case 2:  // delete a range
                let end = min(scalars.count, position + Int.random(in: 1...64, using: &random))
                if position < end { scalars.removeSubrange(position..<end) }
            case 3:  // repeat a range (rows, cells)
                let end = min(scalars.count, position + Int.random(in: 1...400, using: &random))
                if position < end { scalars.insert(contentsOf: scalars[position..<end], at: end) }
            case 4:  // truncate
                scalars.removeSubrange(position..<scalars.count)
            case 5:  // a digit becomes a long number
                if let digit = scalars.indices.dropFirst(position).first(where: { ("0"..."9").contains(scalars[$0]) }) {
                    scalars.insert(contentsOf: String(repeating: "9", count: Int.random(in: 1...30, using: &random)).unicodeScalars, at: digit)
                }
            default:  // a random character
                let value = UInt32.random(in: 1...0x2FFFF, using: &random)
                if let scalar = Unicode.Scalar(value) { scalars.insert(scalar, at: position) }
            }
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return String(out)
    }

    static func mutate(_ data: Data, using random: inout Generator) -> Data {
        var bytes = [UInt8](data)
        for _ in 0..<Int.random(in: 1...6, using: &random) where !bytes.isEmpty {
            let position = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0: bytes[position] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
            case 1: bytes[position] = UInt8.random(in: 0...255, using: &random)
            case 2: bytes.insert(contentsOf: (0..<Int.random(in: 1...8, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }, at: position)
            default: bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...32, using: &random)))
            }
        }
        return Data(bytes)
    }

    // MARK: corpus

    static func seedTables() throws -> [WorkbookTable] {
        var dataset = Dataset()
        for name in seedFiles {
            let (result, _) = try DocumentReader.read(seedsFolder.appendingPathComponent(name), options: ReadOptions(municipalityCode: "401005", fiscalYear: name == "program-evaluation-table.txt" ? 2024 : name == "reform-overview.txt" ? 2023 : nil))
            dataset.merge(result.dataset)
        }
        return Workbook.tables(from: dataset)
    }

    /// The parts of the workbook `hyoka export` writes for the seeds.
    static func workbookParts() throws -> [(String, Data)] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-fuzz-corpus-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try XLSX.write(try seedTables(), to: url)
        let archive = try Archive(url: url, accessMode: .read)
        return try archive.map { entry in
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            return (entry.path, data)
        }
    }

    static func zip(_ parts: [(String, Data)], to url: URL) throws {
        try? FileManager.default.removeItem(at: url)
        let archive = try Archive(url: url, accessMode: .create)
        for (path, data) in parts {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    // MARK: the loop

    /// Runs `body` on generated inputs within the budget. `body` writes its input to `file`
    /// (kept if the process dies) and reads it; it returns true when the read succeeded.
    static func fuzz(_ target: String, fileExtension: String, _ body: (inout Generator, URL) throws -> Bool) throws -> Tally {
        let budget = Budget.current
        var random = Generator(state: budget.seed)
        var tally = Tally(target: target, seed: budget.seed)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-fuzz-current-\(target).\(fileExtension)")
        let start = Date()
        while budget.seconds.map({ Date().timeIntervalSince(start) < $0 }) ?? (tally.executions < budget.runs) {
            tally.executions += 1
            if try body(&random, file) { tally.accepted += 1 } else { tally.refused += 1 }
        }
        try? FileManager.default.removeItem(at: file)
        print(tally)
        return tally
    }

    /// A read either succeeds (its issues, if any, each name a file) or is refused with a
    /// message that names the file.
    static func read(_ url: URL, layout: DocumentLayout? = nil, options: ReadOptions = ReadOptions(municipalityCode: "401005")) -> Bool {
        do {
            let (result, _) = try DocumentReader.read(url, layout: layout, options: options)
            for issue in result.issues {
                #expect(!issue.location.file.isEmpty, "an issue without a file: \(issue)")
                #expect(!issue.japanese.isEmpty && !issue.english.isEmpty)
            }
            return true
        } catch {
            let message = String(describing: error)
            #expect(message.contains(url.lastPathComponent), "a refusal that does not name the file: \(message)")
            return false
        }
    }

    @Test func theWorkbookReaderSurvivesMutatedXML() throws {
        let parts = try Self.workbookParts()
        let xmlParts = parts.indices.filter { parts[$0].0.hasSuffix(".xml") }
        let tally = try Self.fuzz("xlsx-xml", fileExtension: "xlsx") { random, file in
            var mutated = parts
            let index = xmlParts.randomElement(using: &random) ?? 0
            let text = String(decoding: mutated[index].1, as: UTF8.self)
            mutated[index].1 = Data(Self.mutate(text, tokens: Self.xmlTokens + Self.textTokens, using: &random).utf8)
            try Self.zip(mutated, to: file)
            return Self.read(file)
        }
        #expect(tally.executions > 0 && tally.refused > 0, "the mutations never reached a refusal: \(tally)")
    }

    @Test func theWorkbookReaderSurvivesMutatedBytes() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-fuzz-corpus-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try Self.zip(try Self.workbookParts(), to: url)
        let original = try Data(contentsOf: url)
        let tally = try Self.fuzz("xlsx-bytes", fileExtension: "xlsx") { random, file in
            try Self.mutate(original, using: &random).write(to: file)
            return Self.read(file)
        }
        #expect(tally.executions > 0)
    }

    @Test func theZipOfCSVFilesSurvivesMutation() throws {
        let tables = try Self.seedTables()
        let tally = try Self.fuzz("csv-zip", fileExtension: "zip") { random, file in
            var parts = tables.map { ("\($0.name).csv", Data($0.csv.utf8)) }
            let index = Int.random(in: 0..<parts.count, using: &random)
            parts[index].1 = Data(Self.mutate(String(decoding: parts[index].1, as: UTF8.self), tokens: Self.textTokens, using: &random).utf8)
            try Self.zip(parts, to: file)
            if Bool.random(using: &random) { try Self.mutate(try Data(contentsOf: file), using: &random).write(to: file) }
            return Self.read(file)
        }
        #expect(tally.executions > 0)
    }

    @Test func aCSVTableSurvivesMutation() throws {
        let tables = try Self.seedTables()
        let tally = try Self.fuzz("csv", fileExtension: "csv") { random, file in
            let table = tables.randomElement(using: &random) ?? tables[0]
            var data = Data(Self.mutate(table.csv, tokens: Self.textTokens, using: &random).utf8)
            if Int.random(in: 0..<4, using: &random) == 0 { data = Self.mutate(data, using: &random) }
            // The file is named after its table, as the importer expects.
            let named = file.deletingLastPathComponent().appendingPathComponent("\(table.name).csv")
            try data.write(to: named)
            defer { try? FileManager.default.removeItem(at: named) }
            try data.write(to: file)
            return Self.read(named)
        }
        #expect(tally.executions > 0)
    }

    @Test(arguments: seedFiles)
    func aPublishedDocumentSurvivesMutation(seed: String) throws {
        let text = try String(contentsOf: Self.seedsFolder.appendingPathComponent(seed), encoding: .utf8)
        let layouts: [DocumentLayout?] = [nil] + DocumentLayout.allCases.filter { $0 != .workbook }.map(Optional.some)
        let tally = try Self.fuzz("layout-\(seed.split(separator: ".")[0])", fileExtension: "txt") { random, file in
            var data = Data(Self.mutate(text, tokens: Self.textTokens, using: &random).utf8)
            if Int.random(in: 0..<5, using: &random) == 0 { data = Self.mutate(data, using: &random) }
            try data.write(to: file)
            let layout = layouts.randomElement(using: &random) ?? nil
            let year = Bool.random(using: &random) ? 2024 : nil
            return Self.read(file, layout: layout, options: ReadOptions(municipalityCode: "401005", fiscalYear: year))
        }
        #expect(tally.executions > 0)
    }
}
