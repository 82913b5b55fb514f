import HyokaCore
import Vapor

extension GuideShow {
    static func query(req: Request) async throws -> Model {
        let scope = try await PortalScope.resolve(req)
        return Model(scope: scope?.place, formula: scope?.municipality.formula ?? .default,
                     thresholdPercent: scope?.municipality.budgetTrendThreshold ?? BudgetTrend.defaultThresholdPercent)
    }
}
