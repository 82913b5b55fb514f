import Foundation
import HyokaCore
import Plot
import Testing
@testable import HyokaApp

/// The measure page from a model built by hand: hostile text in every field comes out as
/// text, and the chart's bars are drawn from zero on one scale.
@Suite struct PlanNodeShowTests {
    static let payload = "\"><script>alert(1)</script>=HYPERLINK(\"x\")&amp;"

    static func model(_ language: PortalLanguage, hostile: String? = nil) -> PlanNodeShow.Model {
        let rows = ProgramIndexSnapshotTests.rows(hostile: hostile)
        func node(_ n: Int, _ title: String) -> PlanNodeShow.Model.NodeReference {
            .init(id: UUID(uuidString: String(format: "00000000-0000-4000-9000-%012d", n)) ?? UUID(), code: hostile ?? "I-\(n)", title: hostile ?? title)
        }
        return PlanNodeShow.Model(
            scope: PagePlace(municipalityCode: "401005", municipalityName: "北九州市", year: 2024, language: language, sourceDocument: hostile),
            planName: hostile ?? "基本計画", node: node(1, "安全・安心"), ancestors: [node(9, "暮らし")], grade: "順調", improvement: hostile ?? "継続する",
            hasEvaluation: true,
            children: [.init(node: node(2, "防犯"), rows: [rows[0]]), .init(node: node(3, "子育て"), rows: Array(rows[1...]))],
            rows: rows,
            kpis: [.init(programID: rows[0].id, programName: rows[0].name, name: hostile ?? "刑法犯認知件数", rate: .success(98.3))])
    }

    static func html(_ model: PlanNodeShow.Model) -> String {
        let (layout, content) = PlanNodeShow.view(model)
        return layout.html(content, indented: false)
    }

    @Test func hostileTextIsEscapedEverywhere() {
        for language in [PortalLanguage.ja, .en] {
            let html = Self.html(Self.model(language, hostile: Self.payload))
            #expect(!html.contains("<script>alert"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!html.contains("\"><script"))
        }
    }

    /// The switcher keeps the measure for another year of this municipality's plan, and
    /// sends a reader to another municipality's 施策体系 (the node is not theirs).
    @Test func theSwitcherLeavesTheMeasureForAnotherMunicipality() {
        var model = Self.model(.ja)
        model.scope.municipalities = [.init(code: "401005", name: "北九州市"), .init(code: "242161", name: "伊賀市")]
        model.scope.years = [2024, 2023]
        let html = Self.html(model)
        #expect(html.contains("<a href=\"/plans?m=242161\">伊賀市</a>"))
        #expect(html.contains("<a href=\"/plans/00000000-0000-4000-9000-000000000001?m=401005&amp;year=2023\">"))
    }

    @Test func theChartIsByMeasureFromZeroOnOneScale() throws {
        let html = Self.html(Self.model(.ja))
        #expect(html.contains("<h2>予算の内訳</h2>") && html.contains("下位の施策ごとの予算・決算（合計）"))
        // 防犯 holds 44,090千円 of budget, 子育て 12,000 + 8,500: the largest bar is full width.
        let widths = html.matches(of: #/<rect x="0" y="0" width="([\d.]+)"/#).compactMap { Double($0.1) }
        #expect(widths.contains(1000.0) && widths.allSatisfy { $0 >= 0 && $0 <= 1000 })
        #expect(html.contains("予算 約4,409万円（44,090千円）") && html.contains("予算 約2,050万円（20,500千円）"))
        #expect(html.contains("<a href=\"/plans/00000000-0000-4000-9000-000000000009?m=401005&amp;year=2024\">I-9 暮らし</a>"))
    }
}
