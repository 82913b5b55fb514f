import Fluent
import HyokaCore
import Plot
import Vapor

/// `/collaboration`: a region's collaboration projects by policy field and 協約 category,
/// filtered by partner municipality (`?partner=中間市`), with a cost summary per partner.
/// The plans come from published documents; they are shown once the municipality has a
/// published cycle.
enum CollaborationController {
    @Sendable static func index(req: Request) async throws -> Response {
        guard let scope = try await PortalScope.resolve(req) else { return try await HomeController.show(req: req) }
        let partner = (try? req.query.get(String.self, at: "partner")).flatMap { $0.isEmpty ? nil : $0 }
        let (layout, content) = CollaborationIndex.view(try await CollaborationIndex.query(scope: scope, partner: partner, req: req))
        return layout.render(content)
    }
}
