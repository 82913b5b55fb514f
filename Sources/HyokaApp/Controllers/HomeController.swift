import Fluent
import HyokaCore
import Plot
import Vapor

/// `/`: a municipality's published year at a glance.
enum HomeController {
    @Sendable static func show(req: Request) async throws -> Response {
        let language = PortalLanguage(req)
        guard let scope = try await PortalScope.resolve(req) else {
            return Layout(language: language, title: language("公表データなし", "Nothing published"), breadcrumbs: [(language("トップ", "Home"), nil)],
                          scope: [], currentQuery: [], currentPath: SiteURL.home.path)
                .render(.h1(.text(language("公表されたデータはまだありません", "Nothing has been published yet"))),
                        .p(.class("empty"), .text(language("評価サイクルが公表されると、ここに事業の評価が表示されます。",
                                                           "Program evaluations appear here once an evaluation cycle is published."))))
        }
        let l = scope.language
        let rows = try await req.catalog.programs(scope.municipality, year: scope.year)
        let layout = Layout(language: l, title: "\(scope.municipalityName) \(scope.yearLabel)", breadcrumbs: [(l("トップ", "Home"), nil)],
                            scope: scope.query, currentQuery: scope.query, currentPath: SiteURL.home.path)
        let budget = rows.compactMap(\.budget).reduce(Money.zero, +)
        let settlement = rows.compactMap(\.settlement).reduce(Money.zero, +)
        let personnel = rows.compactMap(\.personnelCost).reduce(Money.zero, +)
        // The sums are of each sheet's latest budget year, which an evaluation sheet may
        // print ahead of its own year: say which years they are.
        let budgetYears = Set(rows.compactMap(\.budgetYear)).sorted()
        let yearsNote = budgetYears == [scope.year] || budgetYears.isEmpty ? ""
            : l("（\(budgetYears.map { FiscalYear($0).japanese }.joined(separator: "・"))）", " (FY\(budgetYears.map(String.init).joined(separator: ", ")))")
        func count(_ value: (PublicCatalog.ProgramRow) -> String?, _ labels: [String]) -> [(String, Int)] {
            labels.map { label in (label, rows.filter { value($0) == label }.count) } + [(l("未設定", "Not set"), rows.filter { value($0) == nil }.count)]
        }
        let rates = rows.flatMap(\.rates)
        let figures = try await HeadlineFigure.query(on: req.db).filter(\.$municipality.$id == scope.municipality.requireID())
            .sort(\.$name).sort(\.$fiscalYear, .descending).all()
        // 過去最高 is computed: the highest value of its name over the years held.
        let maxima = Dictionary(grouping: figures, by: \.name).mapValues { $0.compactMap { Measure.parse($0.valueRaw).numericValue }.max() }
        let latest = Dictionary(grouping: figures, by: \.name).compactMap { $0.value.first }.sorted { $0.name < $1.name }
        let cycle = try await Cycle.query(on: req.db).filter(\.$municipality.$id == scope.municipality.requireID())
            .filter(\.$phase == CyclePhase.published.rawValue).sort(\.$fiscalYear, .descending).first()
        return layout.render(
            .h1(.text("\(scope.municipalityName) \(scope.yearLabel)")),
            scopeSwitcher(scope, layout: layout),
            .div(.class("cards"),
                card(l("公表事業数", "Published programs"), "\(rows.count)"),
                card(l("予算額の合計", "Total budget") + yearsNote, budget.thousandYenWithUnit),
                card(l("決算額の合計", "Total settlement") + yearsNote, settlement.thousandYenWithUnit),
                // No stated 人件費 is not zero 人件費.
                card(l("人件費の合計", "Total personnel cost") + yearsNote, rows.contains { $0.personnelCost != nil } ? personnel.thousandYenWithUnit : "—")
            ),
            .unwrap(cycle) { cycle in
                .p(.class("muted"), .text(l("最新の公表: \(FiscalYear(cycle.fiscalYear).both)の評価サイクル", "Latest published cycle: FY\(cycle.fiscalYear)")
                    + (cycle.publishedAt.map { l("（\(Self.date($0))公表）", " (published \(Self.date($0)))") } ?? "")))
            },
            .if(!latest.isEmpty, .group(
                .h2(.text(l("主な指標", "Headline figures"))),
                .table(
                    .tr(.th(.text(l("指標", "Figure"))), .th(.text(l("年度", "Year"))), .th(.class("num"), .text(l("値", "Value"))), .th(.text(l("過去最高", "Record high")))),
                    .forEach(latest) { figure in
                        let value = Measure.parse(figure.valueRaw).numericValue
                        let record = value != nil && value == maxima[figure.name] ?? nil
                        return .tr(.td(.text(figure.name)), .td(.text(l == .ja ? FiscalYear(figure.fiscalYear).japanese : "FY\(figure.fiscalYear)")),
                                   .td(.class("num"), .text(figure.valueRaw)),
                                   .td(.text(record ? l("★ 過去最高", "★ Record high") : "")))
                    }
                )
            )),
            .h2(.text(l("評価の内訳", "Programs by grade"))),
            countTable(l("評価", "Grade"), count(\.grade, GradeScale.evaluation.grades.map(\.label)), layout: layout, key: "grade", l: l),
            .h2(.text(l("今後の方向性", "Programs by direction"))),
            countTable(l("方向性", "Direction"), count(\.direction, GradeScale.direction.grades.map(\.label)), layout: layout, key: "direction", l: l),
            .h2(.text(l("事業費の増減", "Programs by budget trend"))),
            countTable(l("増減", "Trend"), count({ $0.trend?.japanese }, BudgetTrend.allCases.map(\.japanese)), layout: layout, key: "trend", l: l),
            .h2(.text(l("達成率の分布", "Achievement rates"))),
            .raw(RateHistogram.svg(rates, title: l("指標の達成率の分布（\(rates.count)件）", "Distribution of \(rates.count) KPI achievement rates"))),
            .p(.a(.href(layout.link(.programs)), .text(l("事業をさがす →", "Search programs →"))))
        )
    }

    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.calendar = .japan
        formatter.timeZone = Calendar.japan.timeZone
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    static func card(_ label: String, _ value: String) -> Node<HTML.BodyContext> {
        .div(.class("card"), .div(.class("value"), .text(value)), .div(.class("label"), .text(label)))
    }

    static func countTable(_ heading: String, _ counts: [(String, Int)], layout: Layout, key: String, l: PortalLanguage) -> Node<HTML.BodyContext> {
        .table(
            .tr(.th(.text(heading)), .th(.class("num"), .text(l("事業数", "Programs")))),
            .forEach(counts.filter { $0.1 > 0 }) { label, count in
                .tr(.td(.a(.href(layout.link(.programs, [(key, label == l("未設定", "Not set") ? ProgramSearch.unset : label)])), .text(label))),
                    .td(.class("num"), .text("\(count)")))
            }
        )
    }

    /// Municipality and year, as links (works without JavaScript).
    static func scopeSwitcher(_ scope: PortalScope, layout: Layout) -> Node<HTML.BodyContext> {
        let l = scope.language
        return .nav(.class("scope"), .attribute(named: "aria-label", value: l("団体と年度", "Municipality and year")),
            .if(scope.municipalities.count > 1, .div(.text(l("団体: ", "Municipality: ")), .ul(.forEach(scope.municipalities) { m in
                .li(m.code == scope.municipality.code
                    ? .strong(.attribute(named: "aria-current", value: "true"), .text(l == .ja ? m.name : (m.nameEnglish ?? m.name)))
                    : .a(.href(SiteURL.home.link([("m", m.code), ("lang", l == .en ? "en" : nil)])), .text(l == .ja ? m.name : (m.nameEnglish ?? m.name))))
            }))),
            .div(.text(l("年度: ", "Fiscal year: ")), .ul(.forEach(scope.years) { year in
                .li(year == scope.year
                    ? .strong(.attribute(named: "aria-current", value: "true"), .text(l == .ja ? FiscalYear(year).both : "FY\(year)"))
                    : .a(.href(layout.currentPath + "?" + "m=\(scope.municipality.code)&year=\(year)" + (l == .en ? "&lang=en" : "")),
                         .text(l == .ja ? FiscalYear(year).both : "FY\(year)")))
            }))
        )
    }
}
