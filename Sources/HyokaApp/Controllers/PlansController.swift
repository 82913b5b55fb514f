import Fluent
import HyokaCore
import Plot
import Vapor

/// `/plans`: the 施策 tree (政策 → 施策 → 事業) of a published year, with each node's
/// programs, a roll-up of their KPI rates and the 局施策評価.
enum PlansController {
    @Sendable static func index(req: Request) async throws -> Response {
        guard let scope = try await PortalScope.resolve(req) else { return try await HomeController.show(req: req) }
        let l = scope.language
        let rows = try await req.catalog.programs(scope.municipality, year: scope.year)
        let plans = try await Plan.query(on: req.db).filter(\.$municipality.$id == scope.municipality.requireID()).sort(\.$name).all()
        let layout = Layout(language: l, title: l("施策体系", "Policy measures") + " – \(scope.municipalityName) \(scope.yearLabel)",
                            breadcrumbs: [(l("トップ", "Home"), SiteURL.home.link(scope.query + [("lang", l == .en ? "en" : nil)])), (l("施策体系", "Policy measures"), nil)],
                            scope: scope.query, currentQuery: scope.query, currentPath: SiteURL.plans.path)
        var sections: [Node<HTML.BodyContext>] = []
        for plan in plans {
            let nodes = try await PlanNode.query(on: req.db).filter(\.$plan.$id == plan.requireID()).sort(\.$sortOrder).all()
            let ids = nodes.compactMap(\.id)
            let evaluations = ids.isEmpty ? [] : try await Evaluation.query(on: req.db).filter(\.$planNode.$id ~~ ids).filter(\.$fiscalYear == scope.year).all()
            let codes = Dictionary(nodes.compactMap { n in n.id.map { ($0, n.code) } }, uniquingKeysWith: { a, _ in a })
            let children = Dictionary(grouping: nodes, by: { $0.$parent.id.flatMap { codes[$0] } ?? "" })
            // Only nodes with published programs, or with children that have some.
            let rowsByNode = Dictionary(grouping: rows.flatMap { row in row.planNodes.map { ($0, row) } }, by: \.0).mapValues { $0.map(\.1) }
            func programs(of node: PlanNode) -> [PublicCatalog.ProgramRow] { rowsByNode[node.code] ?? [] }
            var contentMemo: [String: Bool] = [:]
            func hasContent(_ node: PlanNode) -> Bool {
                if let known = contentMemo[node.code] { return known }
                let result = !programs(of: node).isEmpty || (children[node.code] ?? []).contains(where: hasContent)
                contentMemo[node.code] = result
                return result
            }
            func render(_ node: PlanNode) -> Node<HTML.ListContext> {
                let own = programs(of: node)
                let rates = own.flatMap(\.rates)
                let evaluation = evaluations.first { $0.$planNode.id == node.id }
                return .li(.id("node-\(node.code)"),
                    .strong(.text("\(node.code) \(node.title)")),
                    .if(!own.isEmpty, .p(.class("muted"), .text(rollUp(rates, programs: own.count, l: l)))),
                    .unwrap(evaluation) { e in .p(.text(l("局施策評価: ", "Bureau evaluation: ") + (e.grade ?? "—") + (e.improvement.map { " — \($0)" } ?? ""))) },
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
        return layout.render(
            .h1(.text(l("施策体系", "Policy measures") + " – \(scope.municipalityName) \(scope.yearLabel)")),
            .if(sections.isEmpty, .p(.class("empty"), .text(l("この年度に公表された施策はありません。", "No policy measures are published for this year.")))),
            .group(sections)
        )
    }

    /// `事業 3件・指標 5件のうち 100%以上 3件（60.0%）・中央値 102.3%`.
    static func rollUp(_ rates: [Decimal], programs: Int, l: PortalLanguage) -> String {
        guard !rates.isEmpty else { return l("事業 \(programs)件・達成率のある指標なし", "\(programs) programs, no rated KPI") }
        let met = rates.filter { $0 >= 100 }.count
        let share = AchievementRate.format(AchievementRate.round(Decimal(met) / Decimal(rates.count) * 100))
        let sorted = rates.sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        let medianText = AchievementRate.format(AchievementRate.round(median))
        return l("事業 \(programs)件・指標 \(rates.count)件のうち 100%以上 \(met)件（\(share)）・中央値 \(medianText)",
                 "\(programs) programs; \(met) of \(rates.count) KPIs at 100% or more (\(share)); median \(medianText)")
    }
}
