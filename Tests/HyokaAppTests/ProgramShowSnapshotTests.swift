import Foundation
import HyokaCore
import HyokaImport
import Plot
import SnapshotTesting
import Testing
@testable import HyokaApp

/// The sheet page rendered from models built by hand (no database): the whole HTML is
/// compared with the reviewed snapshot in `__Snapshots__`, so any change to the page shows
/// as a diff to review. To accept a change, delete the snapshot file and run the test once.
@Suite struct ProgramShowSnapshotTests {
    static let programID = UUID(uuidString: "0D6B1E2C-4F6A-4C1B-9E1D-2A3B4C5D6E7F") ?? UUID()

    static func model(_ language: PortalLanguage, name: String = "防犯カメラ運用事業", hostile: String? = nil) -> ProgramShow.Model {
        let k = { (thousands: Int64) in Money(yen: thousands * 1_000) }
        let text = { (plain: String) in hostile ?? plain }
        let row = PublicCatalog.ProgramRow(
            id: programID, number: "0800034", name: name, department: text("安全・安心推進課"), summary: text("通学路と繁華街に防犯カメラを設置し運用する。"),
            sdgGoals: [11, 16], planNodes: ["1-2-3"], grade: "概ね順調", suggestedGrade: "順調", direction: "継続",
            budgetYear: 2024, budget: k(44_090), settlement: k(43_500), personnelCost: k(8_000), totalCost: k(51_500), totalCostUsesBudget: false,
            budgetChange: Money(yen: -2_100_000), budgetChangePercent: Decimal(string: "-4.55"), executionRate: Decimal(string: "98.7"),
            trend: .maintain, rates: [95], searchKey: [])
        return ProgramShow.Model(
            scope: .init(municipalityCode: "401005", municipalityName: language == .ja ? "北九州市" : "Kitakyushu", year: 2024, language: language),
            program: row, publishedYears: [2023, 2024],
            planNodes: [.init(code: "1-2-3", title: text("犯罪のない安全なまちづくり"))],
            kpis: [.init(anchor: "0d6b1e2c", name: text("刑法犯認知件数"), baseline: "6,044件（R5）", finalTarget: "5,000件以下",
                         years: [.init(year: 2023, target: "5,800件", actual: "5,900件", targetNumber: 5_800, actualNumber: 5_900,
                                       rate: .success(Decimal(string: "98.3") ?? 0)),
                                 .init(year: 2024, target: "R5年比減", actual: text("5,700件"), targetNumber: nil, actualNumber: 5_700,
                                       rate: .success(Decimal(string: "105.7") ?? 0)),
                                 .init(year: 2025, target: "5,400件", actual: "", targetNumber: 5_400, actualNumber: nil, rate: .failure(.noNumericActual))], unit: hostile ?? "件")],
            money: [.init(year: 2023, budget: k(46_190), settlement: k(45_000), personnelCost: k(8_000), totalCost: k(53_000), trend: nil),
                    .init(year: 2024, budget: k(44_090), settlement: k(43_500), personnelCost: k(8_000), totalCost: k(51_500), trend: .maintain,
                          funding: FundingSources(national: k(10_000), prefectural: k(5_000), general: k(29_090))),
                    // A year with a budget only: its トータルコスト is marked ※1 and ※2.
                    .init(year: 2025, budget: k(45_000), settlement: nil, personnelCost: nil, totalCost: k(45_000), totalCostUsesBudget: true, trend: .maintain)],
            evaluations: [.init(year: 2024, stage: .selfAssessment, stageText: language == .ja ? "自己評価" : "Self-assessment", grade: "概ね順調",
                                direction: "継続", comment: text("設置台数は計画どおり。"), improvement: text("夜間の画質を改善する。"))],
            findings: [LintFinding(rule: .settlementOverBudget, municipalityCode: "401005", table: "budgets", record: name, field: "settlement_yen",
                                   fiscalYear: 2024, japanese: "決算額 5,000千円 が予算額 4,000千円 を超えています", english: "settlement exceeds budget")],
            corrections: [.init(year: 2024, date: Date(timeIntervalSince1970: 1_767_225_600), reason: text("決算額の転記誤りを訂正しました"))])
    }

    static func html(_ model: ProgramShow.Model) -> String {
        let (layout, content) = ProgramShow.view(model)
        return layout.html(content, indented: true)
    }

    @Test func japanese() {
        assertSnapshot(of: Self.html(Self.model(.ja)), as: .lines)
    }

    @Test func english() {
        assertSnapshot(of: Self.html(Self.model(.en)), as: .lines)
    }

    /// A sheet holding little prints larger, so that it fills its A3 page; a full one prints
    /// at the base size (it would run onto a second page larger).
    @Test func thePrintedSizeFollowsWhatTheSheetHolds() {
        var small = Self.model(.ja)
        #expect(ProgramShow.printScale(small) > 100, "one KPI, one evaluation")
        #expect(Self.html(small).contains("<body class=\"sheet-page print-scale-\(ProgramShow.printScale(small))\">"))
        small.kpis = Array(repeating: small.kpis[0], count: 8)
        small.evaluations = Array(repeating: small.evaluations[0], count: 3)
        let full = small
        #expect(ProgramShow.printScale(full) <= 100)
        // A sheet far too full is set at the smallest legible size, never smaller.
        var crowded = full
        crowded.kpis = Array(repeating: small.kpis[0], count: 30)
        #expect(ProgramShow.printScale(crowded) == ProgramShow.printScales[0])
        #expect(Self.html(crowded).contains("print-scale-80"))
        var long = Self.model(.ja)
        long.evaluations[0].improvement = String(repeating: "改善内容の説明が続きます。", count: 120)
        #expect(ProgramShow.printScale(long) < ProgramShow.printScale(Self.model(.ja)))
    }

    /// Markup in every text of the model comes out as text, in elements and attributes.
    @Test func hostileTextIsEscapedEverywhere() {
        let payload = "\"><script>alert(1)</script>=HYPERLINK(\"x\")&amp;"
        let html = Self.html(Self.model(.ja, name: payload, hostile: payload))
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        assertSnapshot(of: html, as: .lines)
    }
}

