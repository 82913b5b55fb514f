import Fluent
import HyokaCore
import Vapor

extension ReviewIndex {
    /// Only programs the public can see (published in some published cycle) are listed.
    static func query(scope: PortalScope, req: Request) async throws -> Model {
        let catalog = req.catalog
        var visible: Set<UUID> = []
        for year in scope.years { visible.formUnion(try await catalog.publishedProgramIDs(scope.municipality, year: year)) }
        let reviews = visible.isEmpty ? [] : try await InventoryReview.query(on: req.db).filter(\.$program.$id ~~ Array(visible))
            .with(\.$program) { $0.with(\.$department) }.sort(\.$reviewRound, .descending).all()
        return Model(scope: scope.place, reviews: reviews.map { review in
            .init(round: review.reviewRound, programID: review.program.id ?? UUID(), program: review.program.name, department: review.program.department?.name,
                  viewpoints: Set(review.viewpoints.split(separator: ",").compactMap { Int($0) }), result: review.result,
                  saving: review.savingYen.map(Money.init(yen:)))
        })
    }
}
