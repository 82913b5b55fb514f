import Foundation
import HyokaCore
import Plot

extension ProgramIndex {
    /// The list page from its model: plain values in, HTML out.
    static func view(_ model: Model) -> (Layout, Node<HTML.BodyContext>) {
        let scope = model.scope, l = scope.language
        let search = model.search, result = model.result
        let filters = ProgramsController.filterQuery(search)
        let layout = Layout(language: l, title: l("事業をさがす", "Programs") + " – \(scope.municipalityName) \(scope.yearLabel)",
                            breadcrumbs: [(l("トップ", "Home"), SiteURL.home.link(scope.query + [("lang", l == .en ? "en" : nil)])), (l("事業をさがす", "Programs"), nil)],
                            scope: scope.query, currentQuery: scope.query + filters, currentPath: SiteURL.programs.path)
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
            .div(.class("search"),
                .aside(.class("facets"), .attribute(named: "aria-label", value: l("絞り込み", "Filters")),
                    .forEach(result.facets) { facet in
                        let current = filters.first { $0.0 == (facet.key == "department" ? "department" : facet.key) }?.1 ?? nil
                        return .group(
                            .h2(.text(facetNames[facet.key] ?? facet.key)),
                            .ul(.forEach(facet.values) { value, count in
                                .li(.a(.href(filterLink(facet.key, current == value ? nil : value)),
                                       .if(current == value, .attribute(named: "aria-current", value: "true")),
                                       .text("\(value == ProgramSearch.unset ? unsetLabel : value) (\(count))")))
                            })
                        )
                    },
                    .h2(.text("SDGs")),
                    .ul(.forEach(model.sdgs) { goal, count in
                        .li(.a(.href(filterLink("sdg", search.sdg == goal ? nil : String(goal))), .text(l("ゴール", "Goal ") + "\(goal) (\(count))")))
                    }),
                    .h2(.text(l("施策", "Policy measure"))),
                    .ul(.forEach(model.planNodes) { node, count in
                        .li(.a(.href(filterLink("node", search.planNode == node ? nil : node)), .text("\(node) (\(count))")))
                    })
                ),
                .div(
                    .p(.attribute(named: "role", value: "status"), .text(l("\(result.total)件の事業", "\(result.total) programs"))),
                    .if(result.total > 0, .p(.class("downloads"),
                        .a(.href(layout.link(.programsCSV, filters)), .text(l("この結果をCSVでダウンロード", "Download as CSV"))),
                        .a(.href(layout.link(.programsXLSX, filters)), .text(l("Excel（xlsx）でダウンロード", "Download as Excel (xlsx)"))))),
                    .if(result.total == 0, .p(.class("empty"), .text(l("条件に合う事業はありません。キーワードを短くするか、絞り込みを外してください。",
                                                                    "No program matches. Try a shorter keyword or remove a filter.")))),
                    .if(result.total > 0, .table(
                        .caption(.text(l("事業一覧", "Programs"))),
                        .tr(header(l("番号", "No."), .number), header(l("事業名", "Program"), .name), header(l("担当課", "Department"), .department),
                            header(l("評価", "Grade"), .grade), header(l("達成率（平均）", "Mean rate"), .rate, numeric: true),
                            header(l("予算額（千円）", "Budget (¥1,000)"), .budget, numeric: true), .th(.attribute(named: "scope", value: "col"), .text(l("増減", "Trend")))),
                        .forEach(result.pageRows) { row in
                            .tr(.td(.text(row.number ?? "")),
                                .td(.a(.href(layout.link(.program(row.id))), .text(row.name))),
                                .td(.text(row.department ?? "")),
                                .td(.class("grade"), .text(row.grade ?? "—")),
                                .td(.class("num"), .text(ProgramSearch.meanRate(row).map { AchievementRate.format(AchievementRate.round($0)) } ?? "—")),
                                .td(.class("num"), .text(row.budget?.thousandYenText ?? "—")),
                                .td(.text(row.trend?.japanese ?? "—")))
                        }
                    )),
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
