import Vapor

/// Every URL of the site. Routes are registered from these and links are made from them,
/// so a path is written in one place only.
public enum SiteURL: Equatable, Sendable {
    case healthz

    /// The path components, for registering the route.
    public var pathComponents: [PathComponent] {
        switch self {
        case .healthz: ["healthz"]
        }
    }

    /// The path, for links.
    public var path: String {
        "/" + pathComponents.map(\.description).joined(separator: "/")
    }
}

extension RoutesBuilder {
    @discardableResult
    func get<Response: AsyncResponseEncodable>(_ url: SiteURL, use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        get(url.pathComponents, use: handler)
    }
}
