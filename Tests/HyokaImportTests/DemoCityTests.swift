import Foundation
import HyokaCore
import Testing
@testable import HyokaImport

@Suite struct DemoCityTests {
    @Test func isDeterministicAndLabelledFictional() throws {
        let a = DemoCity().dataset(), b = DemoCity().dataset()
        #expect(a == b)
        #expect(DemoCity(seed: 7).dataset() != a)
        #expect(try MunicipalityCode(DemoCity.code).value == DemoCity.code)
        #expect(a.municipalities.first?.name.contains("架空") == true)
        #expect(a.programs.allSatisfy { $0.summary?.contains("架空") == true })
        #expect(a.regions.first?.members.dropFirst().allSatisfy { $0.contains("架空") } == true)
    }

    @Test func hasTheShapeTheIssueAsksFor() {
        let d = DemoCity().dataset()
        #expect(d.programs.count >= 300)
        #expect(Set(d.programs.map(\.name)).count == d.programs.count)
        #expect(Set(d.indicatorValues.map(\.fiscalYear)) == Set(DemoCity.years))
        #expect(Set(d.budgets.map(\.fiscalYear)).count == 5 && Set(d.evaluations.map(\.fiscalYear)).count == 5)
        #expect(d.collaborationProjects.count == 8 && !d.manifestoGoals.isEmpty && !d.inventoryReviews.isEmpty)
        #expect(d.sheets.contains { $0.status == .draft && $0.fiscalYear == DemoCity.draftYear })
        // Every KPI has a rate each year, and the workbook reads its own export.
        let computed = Computations(d)
        #expect(d.indicatorValues.allSatisfy { (try? computed.achievementRate($0).get()) != nil })
        let tables = Workbook.tables(from: d)
        let reread = Workbook.dataset(from: tables)
        #expect(reread.issues.isEmpty)
        #expect(Workbook.tables(from: reread.dataset).map(\.csv) == tables.map(\.csv))
        // The evaluators of the demo follow the suggestion within one step: no lint finding.
        #expect(Lint.check(d).isEmpty)
    }
}
