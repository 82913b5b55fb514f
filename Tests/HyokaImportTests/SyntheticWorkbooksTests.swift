import Foundation
import HyokaCore
import Testing
@testable import HyokaImport

@Suite struct SyntheticWorkbooksTests {
    let generator = SyntheticWorkbooks(municipalities: 3, programs: 60, seed: 7)

    @Test func isDeterministicPerMunicipalityAndSeed() {
        #expect(generator.dataset(municipality: 1) == generator.dataset(municipality: 1))
        // Municipality i does not depend on how many are generated: a prefecture contains the city.
        #expect(SyntheticWorkbooks(municipalities: 60, programs: 60, seed: 7).dataset(municipality: 0) == generator.dataset(municipality: 0))
        #expect(SyntheticWorkbooks(municipalities: 3, programs: 60, seed: 8).dataset(municipality: 0) != generator.dataset(municipality: 0))
        #expect(generator.dataset(municipality: 0).programs.map(\.name) != generator.dataset(municipality: 1).programs.map(\.name))
    }

    @Test func codesAreValidDistinctAndFictional() throws {
        let codes = (0..<SyntheticWorkbooks.maximumMunicipalities).map(generator.code(of:))
        #expect(Set(codes).count == codes.count)
        for code in codes {
            #expect(try MunicipalityCode(code).value == code)
            // 900–998 after the prefecture: no real municipality, and never the demo city.
            #expect(Int(code.dropFirst(2).prefix(3))! >= 900 && code != DemoCity.code)
        }
        #expect(generator.dataset(municipality: 2).municipalities.allSatisfy { $0.name.hasSuffix("（架空）") })
    }

    @Test func hasTheShapeOfARealCity() {
        let d = generator.dataset(municipality: 0)
        #expect(d.programs.count == 60 && Set(d.programs.map(\.name)).count == 60)
        #expect(d.programs.allSatisfy { ($0.summary ?? "").contains("架空") && $0.department != nil })
        // 3–5 KPIs per program, each with a target and an actual in each of five years.
        let perProgram = Dictionary(grouping: d.indicators) { indicator -> String in
            if case let .program(name) = indicator.owner { return name }
            return ""
        }
        #expect(perProgram.count == 60 && perProgram.values.allSatisfy { (3...5).contains($0.count) })
        #expect(d.indicatorValues.count == d.indicators.count * 5)
        #expect(d.indicatorValues.allSatisfy { !$0.targetRaw.isEmpty && !$0.actualRaw.isEmpty })
        #expect(Set(d.indicatorValues.map(\.fiscalYear)) == Set(SyntheticWorkbooks.years))
        #expect(d.budgets.count == 60 * 5 && d.evaluations.count == 60 * 5 && d.sheets.count == 60 * 5)
        #expect(d.evaluations.allSatisfy { $0.grade != nil })
        // A three-level plan tree and bureaus with sections.
        #expect(Set(d.planNodes.map(\.level)) == ["政策", "施策", "基本事業"])
        #expect(d.departments.contains { $0.level == .bureau } && d.departments.contains { $0.level == .section })
        // HyokaCore computes a rate for every value.
        let computed = Computations(d)
        #expect(d.indicatorValues.allSatisfy { (try? computed.achievementRate($0).get()) != nil })
    }

    @Test func writesWorkbookFoldersThatReadBackWithoutIssues() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("synthetic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try generator.write(to: folder)
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(written == (0..<3).map(generator.code(of:)).sorted())
        let (result, layout) = try DocumentReader.read(folder.appendingPathComponent(generator.code(of: 1)))
        #expect(layout == .workbook)
        #expect(result.issues.isEmpty, "\(result.issues.prefix(3))")
        #expect(result.dataset == Workbook.dataset(from: Workbook.tables(from: generator.dataset(municipality: 1))).dataset)
        #expect(Lint.check(result.dataset).filter { $0.severity == .error }.isEmpty)
    }
}
