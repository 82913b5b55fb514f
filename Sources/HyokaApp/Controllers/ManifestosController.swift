import Fluent
import HyokaCore
import Plot
import Vapor

/// `/manifestos`: department manifestos by fiscal year, each goal with its 現状や課題,
/// 達成水準 and self-evaluation on the six-level scale. Manifestos are published documents;
/// they show once the municipality has a published cycle.
enum ManifestosController {
    @Sendable static func index(req: Request) async throws -> Response {
        guard let scope = try await PortalScope.resolve(req) else { return try await HomeController.show(req: req) }
        let (layout, content) = ManifestoIndex.view(try await ManifestoIndex.query(scope: scope, req: req))
        return layout.render(content)
    }
}
