import Foundation
import HyokaCore
import Plot

extension HomeShow {
    static func view(_ model: Model) -> (Layout, Node<HTML.BodyContext>) {
        let scope = model.scope, l = scope.language, rows = model.rows
        let layout = Layout(language: l, title: "\(scope.municipalityName) \(scope.yearLabel)", breadcrumbs: [(l("トップ", "Home"), nil)],
                            scope: scope.query, currentQuery: scope.query, currentPath: SiteURL.home.path, place: scope)
        func total(_ figure: (PublicCatalog.ProgramRow) -> Money?) -> String { MoneyTotal.text(rows, figure, l: l) }
        let yearsNote = MoneyTotal.yearsNote(rows, year: scope.year, l: l)
        func count(_ value: (PublicCatalog.ProgramRow) -> String?, _ labels: [String]) -> [(String, Int)] {
            labels.map { label in (label, rows.filter { value($0) == label }.count) } + [(l("未設定", "Not set"), rows.filter { value($0) == nil }.count)]
        }
        let rates = rows.flatMap(\.rates)
        return (layout, .group(
            .h1(.text("\(scope.municipalityName) \(scope.yearLabel)")),
            .div(.class("cards"),
                HomeController.card(l("公表事業数", "Published programs"), "\(rows.count)"),
                HomeController.card(l("予算額の合計", "Total budget") + yearsNote, total(\.budget)),
                HomeController.card(l("決算額の合計", "Total settlement") + yearsNote, total(\.settlement)),
                HomeController.card(l("人件費の合計", "Total personnel cost") + yearsNote, total(\.personnelCost))
            ),
            .unwrap(model.latestCycleYear) { year in
                .p(.class("muted"), .text(l("最新の公表: \(FiscalYear(year).both)の評価サイクル", "Latest published cycle: FY\(year)")
                    + (model.latestPublishedAt.map { l("（\(HomeController.date($0))公表）", " (published \(HomeController.date($0)))") } ?? "")))
            },
            .if(!model.figures.isEmpty, .group(
                .h2(.text(l("主な指標", "Headline figures"))),
                ScrollTable.node(label: l("主な指標", "Headline figures"), .table(
                    .tr(.th(.text(l("指標", "Figure"))), .th(.text(l("年度", "Year"))), .th(.class("num"), .text(l("値", "Value"))), .th(.text(l("過去最高", "Record high")))),
                    .forEach(model.figures) { figure in
                        .tr(.td(l.cityText(figure.name)), .td(.text(l == .ja ? FiscalYear(figure.year).japanese : "FY\(figure.year)")),
                            .td(.class("num"), .text(figure.valueText),
                                .if(figure.irregularGrouping, .span(.class("note"), .text(l("（原文のまま。桁区切りが不規則です）", " (as published; the digits are grouped irregularly)"))))),
                            .td(.if(figure.recordHigh, .group(
                                .text(l("★ 過去最高", "★ Record high")),
                                .unwrap(figure.qualifier) { .span(.attribute(named: "lang", value: "ja"), .text("（\($0)）")) })),
                                .if(!figure.recordHigh && figure.qualifier != nil, .text(figure.qualifier ?? ""))))
                    }
                ))
            )),
            .h2(.text(l("評価の内訳", "Programs by grade"))),
            HomeController.countTable(l("評価", "Grade"), count(\.grade, GradeScale.evaluation.grades.map(\.label)), layout: layout, key: "grade", l: l, display: { l.label($0, on: .evaluation) }),
            .h2(.text(l("今後の方向性", "Programs by direction"))),
            HomeController.countTable(l("方向性", "Direction"), count(\.direction, GradeScale.direction.grades.map(\.label)), layout: layout, key: "direction", l: l, display: { l.label($0, on: .direction) }),
            .h2(.text(l("事業費の増減", "Programs by budget trend"))),
            HomeController.countTable(l("増減", "Trend"), count({ $0.trend?.japanese }, BudgetTrend.allCases.map(\.japanese)), layout: layout, key: "trend", l: l, display: { l.trend(BudgetTrend(japanese: $0)) }),
            .h2(.text(l("達成率の分布", "Achievement rates"))),
            .raw(RateHistogram.svg(rates, title: l("指標の達成率の分布（\(rates.count)件）", "Distribution of \(rates.count) KPI achievement rates"))),
            .p(.a(.href(layout.link(.programs)), .text(l("事業をさがす →", "Search programs →"))))
        ))
    }
}
