import Foundation
import Vapor

/// Every URL of the site. Routes are registered from these and links are made from them,
/// so a path is written in one place only.
public enum SiteURL: Equatable, Sendable {
    case healthz
    case home
    case programs
    case programsCSV
    case programsXLSX
    case program(UUID)
    /// The sheet as an A3-landscape PDF. Served by the `.program` route, since a path
    /// parameter takes the whole segment: `/programs/{id}.pdf`.
    case programPDF(UUID)
    case plans
    case collaboration
    case manifestos
    case reviews
    case stylesheet
    case login
    case logout
    case admin

    /// The path components, for registering the route.
    public var pathComponents: [PathComponent] {
        switch self {
        case .healthz: ["healthz"]
        case .home: []
        case .programs: ["programs"]
        case .programsCSV: ["programs.csv"]
        case .programsXLSX: ["programs.xlsx"]
        case .program, .programPDF: ["programs", ":id"]
        case .plans: ["plans"]
        case .collaboration: ["collaboration"]
        case .manifestos: ["manifestos"]
        case .reviews: ["reviews"]
        case .stylesheet: ["assets", "hyoka.css"]
        case .login: ["login"]
        case .logout: ["logout"]
        case .admin: ["admin"]
        }
    }

    /// The path, for links.
    public var path: String {
        switch self {
        case .home: "/"
        case let .program(id): "/programs/\(id.uuidString.lowercased())"
        case let .programPDF(id): "/programs/\(id.uuidString.lowercased()).pdf"
        default: "/" + pathComponents.map(\.description).joined(separator: "/")
        }
    }

    /// Reads the `:id` segment of `/programs/:id`: the sheet or its PDF.
    public static func program(segment: String) -> SiteURL? {
        if segment.hasSuffix(".pdf") { return UUID(uuidString: String(segment.dropLast(4))).map(SiteURL.programPDF) }
        return UUID(uuidString: segment).map(SiteURL.program)
    }

    /// The path with a query; empty values are left out, keys in the given order.
    public func link(_ query: [(String, String?)]) -> String {
        var components = URLComponents()
        components.path = path
        let items = query.compactMap { key, value in value.flatMap { $0.isEmpty ? nil : URLQueryItem(name: key, value: $0) } }
        components.queryItems = items.isEmpty ? nil : items
        return components.string ?? path
    }
}

extension RoutesBuilder {
    @discardableResult
    func get<Response: AsyncResponseEncodable>(_ url: SiteURL, use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        get(url.pathComponents, use: handler)
    }

    @discardableResult
    func post<Response: AsyncResponseEncodable>(_ url: SiteURL, use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        post(url.pathComponents, use: handler)
    }
}
