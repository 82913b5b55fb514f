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
            func render(_ node: Model.Node) -> Node<HTML.ListContext> {
                let own = programs(of: node)
                let rates = own.flatMap(\.rates)
                return .li(.id("node-\(node.code)"),
                    .strong(.text("\(node.code) \(node.title)")),
                    .if(!own.isEmpty, .p(.class("muted"), .text(PlansController.rollUp(rates, programs: own.count, l: l)))),
                    .if(node.hasEvaluation, .p(.text(l("局施策評価: ", "Bureau evaluation: ") + (node.grade ?? "—") + (node.improvement.map { " — \($0)" } ?? "")))),
                    .if(!own.isEmpty, .ul(.forEach(own.sorted { $0.name < $1.name }) { row in
                        .li(.a(.href(SiteURL.program(row.id).link(scope.query + [("lang", l == .en ? "en" : nil)])), .text(row.name)),
                            .text(" (\(row.grade ?? "—"))"))
                    })),
                    .if(!(children[node.code] ?? []).filter(hasContent).isEmpty, .ul(.forEach((children[node.code] ?? []).filter(hasContent), render)))
                )
            }
            let roots = (children[""] ?? []).filter(hasContent)
            if roots.isEmpty { continue }
            sections.append(.section(.h2(.text(plan.name)), .ul(.class("tree"), .forEach(roots, render))))
        }
        return (layout, .group(
            .h1(.text(l("施策体系", "Policy measures") + " – \(scope.municipalityName) \(scope.yearLabel)")),
            .if(sections.isEmpty, .p(.class("empty"), .text(l("この年度に公表された施策はありません。", "No policy measures are published for this year.")))),
            .group(sections)
        ))
    }
}
