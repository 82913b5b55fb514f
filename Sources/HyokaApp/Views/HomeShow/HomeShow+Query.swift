import Fluent
import HyokaCore
import Vapor

extension HomeShow {
    static func query(scope: PortalScope, req: Request) async throws -> Model {
        let rows = try await req.catalog.programs(scope.municipality, year: scope.year)
        let figures = try await HeadlineFigure.query(on: req.db).filter(\.$municipality.$id == scope.municipality.requireID())
            .sort(\.$name).sort(\.$fiscalYear, .descending).all()
        // 過去最高 is computed: the highest value of its name over the years held.
        let maxima = Dictionary(grouping: figures, by: \.name).mapValues { $0.compactMap { Measure.parse($0.valueRaw).numericValue }.max() }
        let latest = Dictionary(grouping: figures, by: \.name).compactMap { $0.value.first }.sorted { $0.name < $1.name }
        let cycle = try await Cycle.query(on: req.db).filter(\.$municipality.$id == scope.municipality.requireID())
            .filter(\.$phase == CyclePhase.published.rawValue).sort(\.$fiscalYear, .descending).first()
        return Model(scope: scope.place, municipalities: scope.switcher, years: scope.years, rows: rows,
                     figures: latest.map { figure in
                         let value = Measure.parse(figure.valueRaw).numericValue
                         return .init(name: figure.name, year: figure.fiscalYear, valueText: figure.valueRaw,
                                      recordHigh: value != nil && value == maxima[figure.name] ?? nil)
                     },
                     latestCycleYear: cycle?.fiscalYear, latestPublishedAt: cycle?.publishedAt)
    }
}
