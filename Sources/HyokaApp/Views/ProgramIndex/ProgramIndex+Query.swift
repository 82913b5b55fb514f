import Vapor

extension ProgramIndex {
    /// The year's published rows from the read model, searched.
    static func query(scope: PortalScope, search: ProgramSearch, req: Request) async throws -> Model {
        let result = search.apply(try await req.catalog.programs(scope.municipality, year: scope.year))
        let multi = search.multiFacets(result.rows)
        return Model(scope: scope.place, search: search, result: result,
                     sdgs: multi.sdgs.map { (goal: $0.0, count: $0.1) }, planNodes: multi.planNodes.map { (code: $0.0, count: $0.1) })
    }
}
