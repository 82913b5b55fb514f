import Foundation
import HyokaCore
import HyokaImport
import Plot
import SnapshotTesting
import Testing
@testable import HyokaApp

/// The list page rendered from models built by hand: a search with a facet chosen.
@Suite struct ProgramIndexSnapshotTests {
    static func rows(hostile: String? = nil) -> [PublicCatalog.ProgramRow] {
        let base = ProgramShowSnapshotTests.model(.ja).program
        let names = [("0800034", "防犯カメラ運用事業", "安全・安心推進課", "概ね順調", [Decimal(95)], Int64(44_090), BudgetTrend.maintain),
                     ("0800035", "子育て応援事業", "子育て支援課", "順調", [Decimal(102), 110], 12_000, .increase),
                     ("0800036", "子育て支援拠点事業", "子育て支援課", "やや遅れ", [], 8_500, .decrease)]
        return names.enumerated().map { index, item in
            var row = base
            row.id = UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", index + 1)) ?? UUID()
            row.number = item.0
            row.name = hostile ?? item.1
            row.department = item.2
            row.grade = item.3
            row.rates = item.4
            row.budget = Money(yen: item.5 * 1_000)
            row.trend = item.6
            row.sdgGoals = index == 0 ? [11, 16] : [4]
            row.planNodes = index == 0 ? ["1-2-3"] : ["2-1-1"]
            row.searchKey = Array(ProgramSearch.key(name: row.name, summary: row.summary, department: row.department, number: row.number).utf8)
            return row
        }
    }

    static func html(_ language: PortalLanguage, text: String?, department: String?, hostile: String? = nil) -> String {
        var search = ProgramSearch()
        search.text = text
        search.department = department
        let result = search.apply(rows(hostile: hostile))
        let multi = search.multiFacets(result.rows)
        let model = ProgramIndex.Model(
            scope: PagePlace(municipalityCode: "401005", municipalityName: language == .ja ? "北九州市" : "Kitakyushu", year: 2024, language: language),
            search: search, result: result, sdgs: multi.sdgs.map { (goal: $0.0, count: $0.1) }, planNodes: multi.planNodes.map { (code: $0.0, count: $0.1) },
            planNodeTitles: ["1-2-3": hostile ?? "防犯対策の推進", "2-1-1": "子育て支援の充実"])
        let (layout, content) = ProgramIndex.view(model)
        return layout.html(content, indented: true)
    }

    @Test func aSearchWithAFacet() {
        assertSnapshot(of: Self.html(.ja, text: "子育て", department: "子育て支援課"), as: .lines)
    }

    @Test func everythingInEnglish() {
        assertSnapshot(of: Self.html(.en, text: nil, department: nil), as: .lines)
    }

    @Test func hostileTextInTheSearchAndTheRows() {
        let payload = "\"><img src=x onerror=alert(1)>=HYPERLINK(\"x\")"
        let html = Self.html(.ja, text: payload, department: nil, hostile: payload)
        #expect(!html.contains("<img src=x"))
        assertSnapshot(of: html, as: .lines)
    }

    /// Sorted by a figure, the programs without it come last in either direction (without
    /// a rate, ascending 達成率 listed them first).
    @Test(arguments: [ProgramSearch.Sort.rate, .budget, .settlement, .change], [false, true])
    func programsWithoutTheFigureComeLast(sort: ProgramSearch.Sort, descending: Bool) throws {
        var rows = Self.rows()
        rows[0].settlement = Money(yen: 40_000_000)
        rows[1].settlement = Money(yen: 11_000_000)
        rows[0].budgetChange = Money(yen: -1_000_000)
        rows[1].budgetChange = Money(yen: 2_000_000)
        rows[1].budget = nil
        rows[2].settlement = nil
        rows[2].budgetChange = nil
        rows[1].rates = [102, 110]
        var search = ProgramSearch()
        search.sort = sort
        search.descending = descending
        let order = search.apply(rows).rows.map(\.name)
        let key = try #require(search.numericKey)
        let known = rows.filter { key($0) != nil }.sorted { descending ? key($0)! > key($1)! : key($0)! < key($1)! }.map(\.name)
        #expect(Array(order.prefix(known.count)) == known, "\(sort) \(descending): \(order)")
        #expect(order.dropFirst(known.count).allSatisfy { name in rows.contains { $0.name == name && key($0) == nil } })
        #expect(known.count < rows.count, "the fixture has a program without \(sort)")
    }

    /// 「事業」 at the end of a word does not stop it finding a name with more before 事業.
    @Test func aWordEndingInJigyoFindsTheLongerName() {
        var search = ProgramSearch()
        // The rows share one summary (「…防犯カメラを設置し運用する。」): the names tell them apart.
        search.text = "子育て拠点事業"
        // 子育て拠点 is in no name as one word: the name holding most of its pieces is a near
        // match, and said to be one.
        let near = search.apply(Self.rows())
        #expect(near.near && near.rows.map(\.name) == ["子育て支援拠点事業"])
        search.text = "支援拠点事業"
        #expect(search.apply(Self.rows()).rows.map(\.name) == ["子育て支援拠点事業"] && !search.apply(Self.rows()).near)
        search.text = "応援事業"
        #expect(search.apply(Self.rows()).rows.map(\.name) == ["子育て応援事業"])
        search.text = "子育て 事業"
        #expect(search.apply(Self.rows()).rows.count == 2)
    }
}
