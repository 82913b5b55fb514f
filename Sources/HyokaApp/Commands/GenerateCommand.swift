import ArgumentParser
import Foundation
import HyokaImport

/// `hyoka generate`: fictional municipalities as workbook folders, for benchmarks and load tests.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write synthetic (fictional) workbooks for benchmarks: one folder per municipality, the same for the same seed.",
        discussion: "The output is a folder of workbook folders (OUT/<団体コード>/*.csv) that `hyoka import OUT` reads. See docs/synthetic-data.md."
    )

    @ArgumentParser.Option(name: .long, help: "Number of municipalities (1 = a city, 60 = a prefecture, 1,741 = the nation).")
    var municipalities = 1

    @ArgumentParser.Option(name: .long, help: "Programs (事務事業) per municipality.")
    var programs = 3_000

    @ArgumentParser.Option(name: .long, help: "Seed: the same seed gives byte-identical files.")
    var seed: UInt64 = 2026

    @ArgumentParser.Option(name: .long, help: "Output folder (created; existing municipality folders are overwritten).")
    var out: String

    func validate() throws {
        guard (1...SyntheticWorkbooks.maximumMunicipalities).contains(municipalities) else {
            throw ValidationError("--municipalities: 1 から \(SyntheticWorkbooks.maximumMunicipalities) までの数を指定してください (between 1 and \(SyntheticWorkbooks.maximumMunicipalities))")
        }
        guard (1...100_000).contains(programs) else {
            throw ValidationError("--programs: 1 から 100000 までの数を指定してください (between 1 and 100,000)")
        }
    }

    func run() throws {
        let generator = SyntheticWorkbooks(municipalities: municipalities, programs: programs, seed: seed)
        let started = Date()
        try generator.write(to: URL(fileURLWithPath: out)) { done, total in
            if done == total || done % 10 == 0 { FileHandle.standardError.write(Data("\r\(done)/\(total) 団体 (municipalities)".utf8)) }
        }
        FileHandle.standardError.write(Data("\n".utf8))
        print("\(municipalities) 団体 × \(programs) 事業を \(out) に書き出しました (\(String(format: "%.1f", Date().timeIntervalSince(started))) s)")
    }
}
