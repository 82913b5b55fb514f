import Fluent
import Foundation
import HyokaCore
import SQLKit
import Vapor

extension PlanNodeShow {
    /// 404 unless the node belongs to the scope's municipality.
    static func query(id: UUID, scope: PortalScope, req: Request) async throws -> Model {
        guard let node = try await PlanNode.query(on: req.db).filter(\.$id == id).with(\.$plan).first(),
              node.plan.$municipality.id == scope.municipality.id else {
            throw Abort(.notFound, reason: "この施策は見つかりません (no such policy measure)")
        }
        let nodes = try await PlanNode.query(on: req.db).filter(\.$plan.$id == node.$plan.id).sort(\.$sortOrder).all()
        let byID = Dictionary(nodes.compactMap { n in n.id.map { ($0, n) } }, uniquingKeysWith: { a, _ in a })
        let children = Dictionary(grouping: nodes, by: { $0.$parent.id })
        func reference(_ n: PlanNode) -> Model.NodeReference { .init(id: n.id ?? UUID(), code: n.code, title: n.title) }
        /// The codes of a node and every node under it (a bad parent loop stops at a node seen).
        func subtree(_ n: PlanNode) -> Set<String> {
            var codes: Set<String> = [], seen: Set<UUID> = [], queue = [n]
            while let next = queue.popLast() {
                guard let nextID = next.id, seen.insert(nextID).inserted else { continue }
                codes.insert(next.code)
                queue += children[nextID] ?? []
            }
            return codes
        }
        var ancestors: [Model.NodeReference] = [], parentID = node.$parent.id, seen: Set<UUID> = [id]
        while let current = parentID, seen.insert(current).inserted, let parent = byID[current] {
            ancestors.insert(reference(parent), at: 0)
            parentID = parent.$parent.id
        }
        let all = try await req.catalog.programs(scope.municipality, year: scope.year)
        func programs(in codes: Set<String>) -> [PublicCatalog.ProgramRow] { all.filter { !codes.isDisjoint(with: $0.planNodes) } }
        let rows = programs(in: subtree(node))
        let childSummaries = (children[id] ?? []).map { Model.Child(node: reference($0), rows: programs(in: subtree($0))) }.filter { !$0.rows.isEmpty }
        let evaluation = try await Evaluation.query(on: req.db).filter(\.$planNode.$id == id).filter(\.$fiscalYear == scope.year).first()
        return Model(scope: scope.place, planName: node.plan.name, node: reference(node), ancestors: ancestors,
                     grade: evaluation?.grade, improvement: evaluation?.improvement, hasEvaluation: evaluation != nil,
                     children: childSummaries, rows: rows, kpis: try await kpis(of: rows, year: scope.year, on: req.db))
    }

    /// The programs' KPIs in their order, with the year's rate from the read model.
    static func kpis(of rows: [PublicCatalog.ProgramRow], year: Int, on db: any Database) async throws -> [Model.KPI] {
        struct Row: Decodable { var id: UUID; var programId: UUID; var name: String; var rate: String?; var missing: String? }
        let names = Dictionary(rows.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var found: [Row] = []
        // In chunks: a 政策 of a large city holds hundreds of programs.
        for chunk in stride(from: 0, to: rows.count, by: 500).map({ Array(rows[$0..<min($0 + 500, rows.count)]) }) {
            let ids = SQLGroupExpression(chunk.map { SQLBind($0.id) as any SQLExpression })
            found += try await DatasetLoader.rows("""
                SELECT i.id, i.program_id AS "programId", i.name, r.rate, r.missing FROM indicators i
                LEFT JOIN public_kpi_rates r ON r.indicator_id = i.id AND r.fiscal_year = \(bind: year)
                WHERE i.program_id IN \(ids) ORDER BY i.sort_order
                """, as: Row.self, on: db)
        }
        let order = Dictionary(rows.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })
        return found.enumerated().sorted { a, b in
            (order[a.element.programId] ?? 0, a.offset) < (order[b.element.programId] ?? 0, b.offset)
        }.map { _, row in
            .init(programID: row.programId, programName: names[row.programId] ?? "", name: row.name,
                  rate: row.rate == nil && row.missing == nil ? nil : PublicReadModel.KPIRateRecord.result(rate: row.rate, missing: row.missing))
        }
    }
}
