import Foundation
import HyokaCore
import Plot

extension ProgramIndex {
    /// The list page from its model: plain values in, HTML out.
    static func view(_ model: Model) -> (Layout, Node<HTML.BodyContext>) {
        let scope = model.scope, l = scope.language
        let search = model.search, result = model.result
        let filters = ProgramsController.filterQuery(search)
        let selected = [search.department, search.planNode, search.sdg.map(String.init), search.grade, search.direction, search.trend].compactMap { $0 }.count
        let layout = Layout(language: l, title: l("事業をさがす", "Programs") + " – \(scope.municipalityName) \(scope.yearLabel)",
                            breadcrumbs: [(l("トップ", "Home"), SiteURL.home.link(scope.query + [("lang", l == .en ? "en" : nil)])), (l("事業をさがす", "Programs"), nil)],
                            scope: scope.query, currentQuery: scope.query + filters, currentPath: SiteURL.programs.path, place: scope)
        let facetNames = ["department": l("担当課", "Department"), "grade": l("評価", "Grade"), "direction": l("今後の方向性", "Direction"), "trend": l("事業費の増減", "Budget trend")]
        func filterLink(_ key: String, _ value: String?) -> String {
            layout.link(.programs, filters.map { $0.0 == key ? ($0.0, value) : $0 })
        }
        func sortLink(_ sort: ProgramSearch.Sort) -> String {
            let descending = search.sort == sort ? !search.descending : false
            return layout.link(.programs, filters.filter { $0.0 != "sort" && $0.0 != "desc" } + [("sort", sort.rawValue), ("desc", descending ? "1" : nil)])
        }
        func header(_ label: String, _ sort: ProgramSearch.Sort, numeric: Bool = false) -> Node<HTML.TableRowContext> {
            let state = search.sort == sort ? (search.descending ? "descending" : "ascending") : "none"
            return .th(.attribute(named: "scope", value: "col"), .attribute(named: "aria-sort", value: state), .class(numeric ? "num" : ""),
                       .a(.href(sortLink(sort)), .text(label + (search.sort == sort ? (search.descending ? " ▼" : " ▲") : ""))))
        }
        let unsetLabel = l("未設定", "Not set")
        let total = model.elsewhere.map(\.count).reduce(0, +)
        let elsewhere: Node<HTML.BodyContext> = .if(!model.elsewhere.isEmpty, .div(.class("elsewhere"),
                        .p(.text(l("他の団体・年度に\(total)件", "\(total) in other municipalities and years"))),
                        .ul(.forEach(model.elsewhere) { place in
                            .li(.a(.href(SiteURL.programs.link([("m", place.municipalityCode), ("year", String(place.year)), ("q", search.text),
                                                                 ("lang", l == .en ? "en" : nil)])),
                                   .text("\(place.municipalityName) \(l == .ja ? FiscalYear(place.year).japanese : "FY\(place.year)")（\(place.count)）")))
                        })))
        let headings: Node<HTML.TableContext> = .tr(
            header(l("番号", "No."), .number), header(l("事業名", "Program"), .name), header(l("担当課", "Department"), .department),
            header(l("評価", "Grade"), .grade), header(l("達成率（平均）", "Mean rate"), .rate, numeric: true),
            header(l("予算額（千円）", "Budget (¥1,000)"), .budget, numeric: true), header(l("決算額（千円）", "Settlement (¥1,000)"), .settlement, numeric: true),
            header(l("前年度比 増減額（千円）", "Change from last year (¥1,000)"), .change, numeric: true),
            .th(.attribute(named: "scope", value: "col"), .text(l("増減", "Trend"))))
        func money(_ value: Money?) -> Node<HTML.TableRowContext> { .td(.class("num"), .text(value?.thousandYenText ?? "—")) }
        func listRow(_ row: PublicCatalog.ProgramRow) -> Node<HTML.TableContext> {
            let rate = ProgramSearch.meanRate(row).map { AchievementRate.format(AchievementRate.round($0)) } ?? "—"
            let change = row.budgetChange.map { ($0.yen > 0 ? "+" : "") + $0.thousandYenText } ?? "—"
            return .tr(.td(.text(row.number ?? "")),
                       .td(.class("name"), .a(.href(layout.link(.program(row.id))), l.cityText(row.name))),
                       .td(l.cityText(row.department ?? "")),
                       .td(.class("grade"), .text(l.label(row.grade, on: .evaluation))),
                       .td(.class("num"), .text(rate)), money(row.budget), money(row.settlement),
                       .td(.class("num"), .text(change)), .td(.text(l.trend(row.trend))))
        }
        let table: Node<HTML.BodyContext> = .table(.caption(.text(l("事業一覧", "Programs"))), headings, .forEach(result.pageRows, listRow))
        let list: Node<HTML.BodyContext> = .if(result.total > 0, ScrollTable.node(label: l("事業一覧", "Programs"), table))
        return (layout, .group(
            .h1(.text(l("事業をさがす", "Search programs") + " – \(scope.municipalityName) \(scope.yearLabel)")),
            .form(.class("query"), .method(.get), .action(SiteURL.programs.path), .attribute(named: "role", value: "search"),
                .input(.type(.hidden), .name("m"), .value(scope.municipalityCode)),
                .input(.type(.hidden), .name("year"), .value(String(scope.year))),
                .if(l == .en, .input(.type(.hidden), .name("lang"), .value("en"))),
                .label(.for("q"), .text(l("キーワード（事業名・概要）", "Keyword (name, summary)"))),
                .input(.type(.search), .name("q"), .id("q"), .value(search.text ?? "")),
                .button(.type(.submit), .text(l("検索", "Search")))
            ),
            // The count and a way past the filters come first: on a phone the filters fold
            // behind a disclosure (about 70 links ran 2,700 px above the first result).
            .p(.attribute(named: "role", value: "status"), .text(l("\(result.total)件の事業", "\(result.total) programs")),
               .if(result.total > 0, .group(.text(" "), .a(.class("to-results"), .href("#results"), .text(l("結果へ移動", "Skip to results")))))),
            .div(.class("search"),
                .aside(.class("facets"), .attribute(named: "aria-label", value: l("絞り込み", "Filters")), .details(.class("facets"),
                    .summary(.text(l("絞り込み", "Filters") + (selected == 0 ? "" : l("（\(selected)件選択中）", " (\(selected) selected)")))),
                    .forEach(result.facets) { facet in
                        let current = filters.first { $0.0 == (facet.key == "department" ? "department" : facet.key) }?.1 ?? nil
                        return .group(
                            .h2(.text(facetNames[facet.key] ?? facet.key)),
                            .ul(.forEach(facet.values) { value, count in
                                .li(.a(.href(filterLink(facet.key, current == value ? nil : value)),
                                       .if(current == value, .attribute(named: "aria-current", value: "true")),
                                       .text("\(value == ProgramSearch.unset ? unsetLabel : l.facetValue(value, key: facet.key)) (\(count))")))
                            })
                        )
                    },
                    .h2(.text("SDGs")),
                    .ul(.forEach(model.sdgs) { goal, count in
                        .li(.a(.href(filterLink("sdg", search.sdg == goal ? nil : String(goal))), .text(l("ゴール", "Goal ") + "\(goal) (\(count))")))
                    }),
                    .h2(.text(l("施策", "Policy measure"))),
                    .ul(.forEach(model.planNodes) { node, count in
                        .li(.a(.href(filterLink("node", search.planNode == node ? nil : node)),
                               .text(node + (model.planNodeTitles[node].map { " " + $0 } ?? "") + " (\(count))")))
                    })
                )),
                .div(.id("results"),
                    .if(result.total > 0, .p(.class("downloads"),
                        .a(.href(layout.link(.programsCSV, filters)), .text(l("この結果をCSVでダウンロード", "Download as CSV"))),
                        .a(.href(layout.link(.programsXLSX, filters)), .text(l("Excel（xlsx）でダウンロード", "Download as Excel (xlsx)"))))),
                    .if(result.total == 0, .p(.class("empty"), .text(l("条件に合う事業はありません。キーワードを短くするか、絞り込みを外してください。",
                                                                    "No program matches. Try a shorter keyword or remove a filter.")))),
                    .if(result.near, .p(.class("note near"), .text(l("「\(search.text ?? "")」をそのまま含む事業はありません。表記の近い事業を表示しています。",
                                                                      "No program holds “\(search.text ?? "")” as typed; these are near matches.")))),
                    elsewhere,
                    list,
                    .if(result.pageCount > 1, .nav(.class("pager"), .attribute(named: "aria-label", value: l("ページ", "Pages")),
                        .forEach(1...result.pageCount) { page in
                            page == min(max(search.page, 1), result.pageCount)
                                ? .span(.attribute(named: "aria-current", value: "page"), .text("\(page)"))
                                : .a(.href(layout.link(.programs, filters + [("page", String(page))])), .text("\(page)"))
                        }))
                )
            )
        ))
    }
}
