import Fluent
import HyokaCore
import Plot
import Vapor

/// `/plans`: the 施策 tree (政策 → 施策 → 事業) of a published year, with each node's
/// programs, a roll-up of their KPI rates and the 局施策評価.
enum PlansController {
    @Sendable static func index(req: Request) async throws -> Response {
        guard let scope = try await PortalScope.resolve(req) else { return try await HomeController.show(req: req) }
        let (layout, content) = PlanIndex.view(try await PlanIndex.query(scope: scope, req: req))
        return layout.render(content)
    }

    /// `/plans/{id}`: one measure of the year (404 when it is another municipality's).
    @Sendable static func show(req: Request) async throws -> Response {
        guard let scope = try await PortalScope.resolve(req) else { return try await HomeController.show(req: req) }
        let (layout, content) = PlanNodeShow.view(try await PlanNodeShow.query(id: try req.idParameter(), scope: scope, req: req))
        return layout.render(content)
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
