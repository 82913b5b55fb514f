import Vapor

extension ProgramIndex {
    /// The year's published rows from the read model, searched.
    static func query(scope: PortalScope, search: ProgramSearch, req: Request) async throws -> Model {
        let result = search.apply(try await req.catalog.programs(scope.municipality, year: scope.year))
        let multi = search.multiFacets(result.rows)
        var elsewhere: [Model.Elsewhere] = []
        if result.total == 0, !search.words.isEmpty {
            let words = search.words.map { String(decoding: $0, as: UTF8.self) }
            elsewhere = try await PublicReadModel.elsewhere(words: words, notIn: scope.municipality.requireID(), year: scope.year, on: req.db).map {
                .init(municipalityCode: $0.code, municipalityName: scope.language == .en ? ($0.nameEnglish ?? $0.name) : $0.name, year: $0.fiscalYear, count: $0.count)
            }
        }
        var titles: [String: String] = [:]
        if !multi.planNodes.isEmpty {
            struct Node: Decodable { var code: String; var title: String }
            for node in try await DatasetLoader.rows("""
                SELECT n.code, n.title FROM plan_nodes n JOIN plans p ON n.plan_id = p.id WHERE p.municipality_id = \(bind: scope.municipality.requireID())
                """, as: Node.self, on: req.db) where titles[node.code] == nil {
                titles[node.code] = node.title
            }
        }
        return Model(scope: scope.place, search: search, result: result,
                     sdgs: multi.sdgs.map { (goal: $0.0, count: $0.1) }, planNodes: multi.planNodes.map { (code: $0.0, count: $0.1) },
                     planNodeTitles: titles, elsewhere: elsewhere)
    }
}
