import Fluent
import HyokaCore
import HyokaImport
import Vapor

extension HomeShow {
    static func query(scope: PortalScope, req: Request) async throws -> Model {
        let rows = try await req.catalog.programs(scope.municipality, year: scope.year)
        let figures = try await HeadlineFigure.query(on: req.db).filter(\.$municipality.$id == scope.municipality.requireID())
            .sort(\.$name).sort(\.$fiscalYear, .descending).all()
        let valuesByName = Dictionary(grouping: figures, by: \.name).mapValues { $0.map(\.valueRaw) }
        let latest = Dictionary(grouping: figures, by: \.name).compactMap { $0.value.first }.sorted { $0.name < $1.name }
        let cycle = try await Cycle.query(on: req.db).filter(\.$municipality.$id == scope.municipality.requireID())
            .filter(\.$phase == CyclePhase.published.rawValue).sort(\.$fiscalYear, .descending).first()
        return Model(scope: scope.place, rows: rows,
                     figures: latest.map { figure in
                         .init(name: figure.name, year: figure.fiscalYear, valueText: figure.valueRaw,
                               recordHigh: Computations.isRecordHigh(figure.valueRaw, published: figure.publishedRecordHigh, among: valuesByName[figure.name] ?? []),
                               qualifier: figure.note, irregularGrouping: DigitGrouping.isIrregular(figure.valueRaw))
                     },
                     latestCycleYear: cycle?.fiscalYear, latestPublishedAt: cycle?.publishedAt)
    }
}
