import Fluent
import HyokaCore
import Plot
import Vapor

/// `/reviews`: the 予算事務事業の棚卸し: each reviewed program with the six viewpoints, the
/// result and the saving; totals by result and by department. Only programs the public can
/// see (published in some published cycle) are listed.
enum ReviewsController {
    static let viewpoints = [
        ("市民ニーズ", "Citizen needs"), ("社会経済情勢の変化", "Changed circumstances"), ("役割分担", "Division of roles"),
        ("費用対効果", "Cost-effectiveness"), ("手法・実施主体", "Method and provider"), ("類似事業", "Similar programs"),
    ]

    @Sendable static func index(req: Request) async throws -> Response {
        guard let scope = try await PortalScope.resolve(req) else { return try await HomeController.show(req: req) }
        let (layout, content) = ReviewIndex.view(try await ReviewIndex.query(scope: scope, req: req))
        return layout.render(content)
    }
}
