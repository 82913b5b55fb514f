import Fluent
import Vapor

extension PlanIndex {
    static func query(scope: PortalScope, req: Request) async throws -> Model {
        let rows = try await req.catalog.programs(scope.municipality, year: scope.year)
        var plans: [Model.Plan] = []
        for plan in try await Plan.query(on: req.db).filter(\.$municipality.$id == scope.municipality.requireID()).sort(\.$name).all() {
            let nodes = try await PlanNode.query(on: req.db).filter(\.$plan.$id == plan.requireID()).sort(\.$sortOrder).all()
            let ids = nodes.compactMap(\.id)
            let evaluations = ids.isEmpty ? [] : try await Evaluation.query(on: req.db).filter(\.$planNode.$id ~~ ids).filter(\.$fiscalYear == scope.year).all()
            let codes = Dictionary(nodes.compactMap { n in n.id.map { ($0, n.code) } }, uniquingKeysWith: { a, _ in a })
            plans.append(.init(name: plan.name, nodes: nodes.map { node in
                let evaluation = evaluations.first { $0.$planNode.id == node.id }
                return .init(id: node.id ?? UUID(), code: node.code, title: node.title, parentCode: node.$parent.id.flatMap { codes[$0] }, grade: evaluation?.grade,
                             improvement: evaluation?.improvement, hasEvaluation: evaluation != nil)
            }))
        }
        return Model(scope: scope.place, plans: plans, rows: rows)
    }
}
