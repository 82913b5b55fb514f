import Foundation
import HyokaCore
import Plot

extension PlanIndex {
    static func view(_ model: Model) -> (Layout, Node<HTML.BodyContext>) {
        let scope = model.scope, l = scope.language, rows = model.rows
        let layout = Layout(language: l, title: l("施策体系", "Policy measures") + " – \(scope.municipalityName) \(scope.yearLabel)",
                            breadcrumbs: [(l("トップ", "Home"), SiteURL.home.link(scope.query + [("lang", l == .en ? "en" : nil)])), (l("施策体系", "Policy measures"), nil)],
                            scope: scope.query, currentQuery: scope.query, currentPath: SiteURL.plans.path, place: scope)
        let rowsByNode = Dictionary(grouping: rows.flatMap { row in row.planNodes.map { ($0, row) } }, by: \.0).mapValues { $0.map(\.1) }
        var sections: [Node<HTML.BodyContext>] = []
        for plan in model.plans {
            let children = Dictionary(grouping: plan.nodes, by: { $0.parentCode ?? "" })
            func programs(of node: Model.Node) -> [PublicCatalog.ProgramRow] { rowsByNode[node.code] ?? [] }
            // Only nodes with published programs, or with children that have some.
            var contentMemo: [String: Bool] = [:]
            func hasContent(_ node: Model.Node) -> Bool {
                if let known = contentMemo[node.code] { return known }
                let result = !programs(of: node).isEmpty || (children[node.code] ?? []).contains(where: hasContent)
                contentMemo[node.code] = result
                return result
            }
            /// The year's programs of a node and every node under it, once each.
            func subtreeRows(_ node: Model.Node) -> [PublicCatalog.ProgramRow] {
                var seen: Set<UUID> = []
                var rows: [PublicCatalog.ProgramRow] = []
                var queue = [node], visited: Set<String> = []
                while let next = queue.popLast() {
                    guard visited.insert(next.code).inserted else { continue }
                    for row in programs(of: next) where seen.insert(row.id).inserted { rows.append(row) }
                    queue += children[next.code] ?? []
                }
                return rows
            }
            func link(_ node: Model.Node) -> String { SiteURL.planNode(node.id).link(scope.query + [("lang", l == .en ? "en" : nil)]) }
            func render(_ node: Model.Node) -> Node<HTML.ListContext> {
                let own = subtreeRows(node)
                let rates = own.flatMap(\.rates)
                let shownChildren = (children[node.code] ?? []).filter(hasContent)
                return .li(.id("node-\(node.code)"),
                    .a(.href(link(node)), .strong(l.cityText("\(node.code) \(node.title)"))),
                    .if(!own.isEmpty, .p(.class("muted"), .text(PlansController.rollUp(rates, programs: own.count, l: l)))),
                    .if(node.hasEvaluation, .p(.text(l("局施策評価: ", "Bureau evaluation: ") + l.label(node.grade, on: .evaluation)),
                                               .unwrap(node.improvement) { .group(.text(" — "), l.cityText($0)) })),
                    .if(!shownChildren.isEmpty, .ul(.forEach(shownChildren, render)))
                )
            }
            let roots = (children[""] ?? []).filter(hasContent)
            if roots.isEmpty { continue }
            let chart = BarList.node(title: l("\(plan.name)の予算・決算（合計）", "Budget and settlement of \(plan.name) (totals)") + MoneyTotal.yearsNote(rows, year: scope.year, l: l),
                                     series: [BarList.budget, BarList.settlement],
                                     bars: roots.map { root in
                                         let own = subtreeRows(root)
                                         return .init(label: "\(root.code) \(root.title)", href: link(root),
                                                      values: [MoneyTotal.sum(own, \.budget), MoneyTotal.sum(own, \.settlement)])
                                     }, l: l)
            sections.append(.section(.h2(l.cityText(plan.name)),
                                     .unwrap(chart) { .group($0, .p(.class("note"), .text(l("一つの事業が複数の施策に属するときは、それぞれの施策に数えています。",
                                                                                             "A program under several measures is counted under each."))))},
                                     .ul(.class("tree"), .forEach(roots, render))))
        }
        return (layout, .group(
            .h1(.text(l("施策体系", "Policy measures") + " – \(scope.municipalityName) \(scope.yearLabel)")),
            .if(sections.isEmpty, .p(.class("empty"), .text(l("この年度に公表された施策はありません。", "No policy measures are published for this year.")))),
            .group(sections)
        ))
    }
}
