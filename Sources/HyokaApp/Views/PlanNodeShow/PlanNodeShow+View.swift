import Foundation
import HyokaCore
import Plot

extension PlanNodeShow {
    static func view(_ model: Model) -> (Layout, Node<HTML.BodyContext>) {
        let scope = model.scope, l = scope.language, rows = model.rows
        let lang: [(String, String?)] = [("lang", l == .en ? "en" : nil)]
        func nodeLink(_ node: Model.NodeReference) -> String { SiteURL.planNode(node.id).link(scope.query + lang) }
        let heading = "\(model.node.code) \(model.node.title)"
        let layout = Layout(language: l, title: heading + " – \(scope.municipalityName) \(scope.yearLabel)",
                            breadcrumbs: [(l("トップ", "Home"), SiteURL.home.link(scope.query + lang)),
                                          (l("施策体系", "Policy measures"), SiteURL.plans.link(scope.query + lang))]
                                + model.ancestors.map { ("\($0.code) \($0.title)", nodeLink($0)) } + [(heading, nil)],
                            scope: scope.query, currentQuery: scope.query, currentPath: SiteURL.planNode(model.node.id).path, place: scope,
                            otherMunicipalityPath: SiteURL.plans.path)
        let yearsNote = MoneyTotal.yearsNote(rows, year: scope.year, l: l)
        let rates = rows.flatMap(\.rates)
        let cards: Node<HTML.BodyContext> = .div(.class("cards"),
            HomeController.card(l("公表事業数", "Published programs"), "\(rows.count)"),
            HomeController.card(l("予算額の合計", "Total budget") + yearsNote, MoneyTotal.text(rows, \.budget, l: l)),
            HomeController.card(l("決算額の合計", "Total settlement") + yearsNote, MoneyTotal.text(rows, \.settlement, l: l)))
        let evaluation: Node<HTML.BodyContext> = .if(model.hasEvaluation, .group(
            .h2(.text(l("局施策評価", "Bureau evaluation"))),
            .p(.text(l.label(model.grade, on: .evaluation)), .unwrap(model.improvement) { .group(.text(" — "), l.cityText($0)) })))
        // Where the money goes: by the measures under this one, or else by program (the
        // twenty largest budgets, the rest said in a line).
        let chart: Node<HTML.BodyContext>?
        if !model.children.isEmpty {
            chart = BarList.node(title: l("下位の施策ごとの予算・決算（合計）", "Budget and settlement by measure (totals)") + yearsNote,
                                 series: [BarList.budget, BarList.settlement],
                                 bars: model.children.map { child in
                                     .init(label: "\(child.node.code) \(child.node.title)", href: nodeLink(child.node),
                                           values: [MoneyTotal.sum(child.rows, \.budget), MoneyTotal.sum(child.rows, \.settlement)])
                                 }, l: l)
        } else {
            let largest = rows.filter { $0.budget != nil }.sorted { ($0.budget?.yen ?? 0) > ($1.budget?.yen ?? 0) }
            let shown = Array(largest.prefix(20))
            chart = BarList.node(title: l("事業ごとの予算・決算", "Budget and settlement by program") + yearsNote,
                                 series: [BarList.budget, BarList.settlement],
                                 bars: shown.map { .init(label: $0.name, href: SiteURL.program($0.id).link([("year", String(scope.year))] + lang),
                                                         values: [$0.budget, $0.settlement]) }, l: l)
                .map { node in .group(node, .if(largest.count > shown.count, .p(.class("note"),
                    .text(l("予算額の大きい20事業。ほか\(largest.count - shown.count)事業は下の表にあります。",
                            "The 20 largest budgets; \(largest.count - shown.count) more programs are in the table below."))))) }
        }
        let childList: Node<HTML.BodyContext> = .if(!model.children.isEmpty, .group(
            .h2(.text(l("下位の施策", "Measures under this one"))),
            .ul(.forEach(model.children) { child in
                .li(.a(.href(nodeLink(child.node)), l.cityText("\(child.node.code) \(child.node.title)")),
                    .text(l("（\(child.rows.count)事業）", " (\(child.rows.count) programs)")))
            })))
        func money(_ value: Money?) -> Node<HTML.TableRowContext> { .td(.class("num"), .text(value?.thousandYenText ?? "—")) }
        let programTable: Node<HTML.BodyContext> = .table(
            .caption(.text(l("事業（\(rows.count)件）", "Programs (\(rows.count))"))),
            .tr(.th(.text(l("事業名", "Program"))), .th(.text(l("担当課", "Department"))), .th(.text(l("評価", "Grade"))),
                .th(.class("num"), .text(l("達成率（平均）", "Mean rate"))), .th(.class("num"), .text(l("予算額（千円）", "Budget (¥1,000)"))),
                .th(.class("num"), .text(l("決算額（千円）", "Settlement (¥1,000)")))),
            .forEach(rows.sorted { $0.name < $1.name }) { row in
                .tr(.td(.class("name"), .a(.href(SiteURL.program(row.id).link([("year", String(scope.year))] + lang)), l.cityText(row.name))),
                    .td(l.cityText(row.department ?? "")), .td(.class("grade"), .text(l.label(row.grade, on: .evaluation))),
                    .td(.class("num"), .text(ProgramSearch.meanRate(row).map { AchievementRate.format(AchievementRate.round($0)) } ?? "—")),
                    money(row.budget), money(row.settlement))
            })
        let kpiTable: Node<HTML.BodyContext> = .table(
            .caption(.text(l("指標と\(scope.yearLabel)の達成率", "KPIs and their rates in \(scope.yearLabel)"))),
            .tr(.th(.text(l("指標", "KPI"))), .th(.text(l("事業", "Program"))), .th(.class("num"), .text(l("達成率", "Rate")))),
            .forEach(model.kpis) { kpi in
                .tr(.td(l.cityText(kpi.name)), .td(.a(.href(SiteURL.program(kpi.programID).link([("year", String(scope.year))] + lang)), l.cityText(kpi.programName))),
                    .td(.class("num"), .text(kpi.rate.map(AchievementRate.format) ?? "—")))
            })
        return (layout, .group(
            .h1(l.cityText(heading)),
            .p(.class("muted"), .text(l("計画: ", "Plan: ")), l.cityText(model.planName)),
            cards,
            .if(!rows.isEmpty, .p(.text(PlansController.rollUp(rates, programs: rows.count, l: l)))),
            evaluation,
            .if(rows.isEmpty, .p(.class("empty"), .text(l("この年度に公表された事業はありません。", "No program of this measure is published for this year.")))),
            .unwrap(chart) { .group(.h2(.text(l("予算の内訳", "Where the budget goes"))), $0) },
            childList,
            .if(!rows.isEmpty, .group(.h2(.text(l("事業", "Programs"))), ScrollTable.node(label: l("事業", "Programs"), programTable))),
            .if(!model.kpis.isEmpty, .group(.h2(.text(l("指標", "KPIs"))), ScrollTable.node(label: l("指標", "KPIs"), kpiTable)))
        ))
    }
}
