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
    /// One 施策 (or 政策) of the tree: its programs, budget totals and KPIs.
    case planNode(UUID)
    case collaboration
    case manifestos
    case reviews
    /// The open-data page and its bundles (`/open-data/hyoka-401005-2024.zip`).
    case openData
    case openDataBundle(String)
    /// The Atom feed of published cycles.
    case feed
    /// `/sitemap.xml` and `/robots.txt`, for search engines.
    case sitemap
    case robots
    /// How to read the figures: grades, 達成率 and its formulas, 増減.
    case guide
    case stylesheet
    /// The sheet form's script (live rates and warnings), for staff pages.
    case staffSheetScript
    case login
    case logout
    case admin
    /// Cycles: the list, opening a year (POST), moving one on, deadlines.
    case adminCycles
    case adminCycleAdvance(UUID)
    /// Moving a cycle back one phase (POST), with a reason.
    case adminCycleBack(UUID)
    /// What publishing will do, with the checks that remain, before the planner confirms.
    case adminCyclePublish(UUID)
    case adminCycleDeadlines(UUID)
    /// The sheets of the open cycle the user may see.
    case adminSheets
    /// A sheet's form (GET) and its save (POST).
    case adminSheet(UUID)
    /// 提出・差戻し・承認 of a sheet.
    case adminSheetStep(UUID, String)
    case adminSheetHistory(UUID)
    /// The rates and suggested grade for what the form holds, as JSON while typing.
    case adminSheetRates(UUID)
    /// 訂正 of a published sheet by the planning section (POST), with its reason.
    case adminSheetCorrection(UUID)
    /// 局施策評価 of a plan node in the open cycle's year.
    case adminPlanNode(UUID)
    case adminManifestoGoal(UUID)
    case adminCollaboration(UUID)
    case adminReview(UUID)
    /// The Excel round trip: the page, the download, the preview and the apply.
    case adminWorkbook
    case adminWorkbookDownload
    case adminWorkbookPreview
    case adminWorkbookApply
    /// Programs spelled two ways (check `similar-program-names`): the list and the merge.
    case adminProgramMerge

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
        case .planNode: ["plans", ":id"]
        case .collaboration: ["collaboration"]
        case .manifestos: ["manifestos"]
        case .reviews: ["reviews"]
        case .openData: ["open-data"]
        case .openDataBundle: ["open-data", ":file"]
        case .feed: ["feed.atom"]
        case .sitemap: ["sitemap.xml"]
        case .robots: ["robots.txt"]
        case .guide: ["guide"]
        case .stylesheet: ["assets", "hyoka.css"]
        case .staffSheetScript: ["assets", "staff-sheet.js"]
        case .login: ["login"]
        case .logout: ["logout"]
        case .admin: ["admin"]
        case .adminCycles: ["admin", "cycles"]
        case .adminCycleAdvance: ["admin", "cycles", ":id", "advance"]
        case .adminCycleBack: ["admin", "cycles", ":id", "back"]
        case .adminCyclePublish: ["admin", "cycles", ":id", "publish"]
        case .adminCycleDeadlines: ["admin", "cycles", ":id", "deadlines"]
        case .adminSheets: ["admin", "sheets"]
        case .adminSheet: ["admin", "sheets", ":id"]
        case .adminSheetStep: ["admin", "sheets", ":id", ":step"]
        case .adminSheetHistory: ["admin", "sheets", ":id", "history"]
        case .adminSheetRates: ["admin", "sheets", ":id", "rates"]
        case .adminSheetCorrection: ["admin", "sheets", ":id", "correction"]
        case .adminPlanNode: ["admin", "plan-nodes", ":id"]
        case .adminManifestoGoal: ["admin", "manifesto-goals", ":id"]
        case .adminCollaboration: ["admin", "collaboration", ":id"]
        case .adminReview: ["admin", "reviews", ":id"]
        case .adminWorkbook: ["admin", "workbook"]
        case .adminWorkbookDownload: ["admin", "workbook.xlsx"]
        case .adminWorkbookPreview: ["admin", "workbook", "preview"]
        case .adminWorkbookApply: ["admin", "workbook", "apply"]
        case .adminProgramMerge: ["admin", "programs", "merge"]
        }
    }

    /// The path, for links.
    public var path: String {
        switch self {
        case .home: "/"
        case let .program(id): "/programs/\(id.uuidString.lowercased())"
        case let .programPDF(id): "/programs/\(id.uuidString.lowercased()).pdf"
        case let .planNode(id): "/plans/\(id.uuidString.lowercased())"
        case let .adminCycleAdvance(id): "/admin/cycles/\(id.uuidString.lowercased())/advance"
        case let .adminCycleBack(id): "/admin/cycles/\(id.uuidString.lowercased())/back"
        case let .adminCyclePublish(id): "/admin/cycles/\(id.uuidString.lowercased())/publish"
        case let .adminCycleDeadlines(id): "/admin/cycles/\(id.uuidString.lowercased())/deadlines"
        case let .adminSheet(id): "/admin/sheets/\(id.uuidString.lowercased())"
        case let .adminSheetStep(id, step): "/admin/sheets/\(id.uuidString.lowercased())/\(step)"
        case let .adminSheetHistory(id): "/admin/sheets/\(id.uuidString.lowercased())/history"
        case let .adminSheetRates(id): "/admin/sheets/\(id.uuidString.lowercased())/rates"
        case let .adminSheetCorrection(id): "/admin/sheets/\(id.uuidString.lowercased())/correction"
        case let .adminPlanNode(id): "/admin/plan-nodes/\(id.uuidString.lowercased())"
        case let .adminManifestoGoal(id): "/admin/manifesto-goals/\(id.uuidString.lowercased())"
        case let .adminCollaboration(id): "/admin/collaboration/\(id.uuidString.lowercased())"
        case let .adminReview(id): "/admin/reviews/\(id.uuidString.lowercased())"
        case let .openDataBundle(file): "/open-data/\(file)"
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
        Self.address(path, query)
    }

    /// `path?name=value&…` with every name and value percent-encoded but for RFC 3986's
    /// unreserved characters and `/` `:` (which mean nothing in a query and keep
    /// `next=/admin` readable). URLComponents leaves `+` as it is, and a server reads a `+`
    /// in a query as a space, so a link to 「…課+SUM(1+1)」 searched for another name.
    static func address(_ path: String, _ query: [(String, String?)]) -> String {
        let pairs = query.compactMap { key, value -> String? in
            guard let value, !value.isEmpty else { return nil }
            return encode(key) + "=" + encode(value)
        }
        return pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&")
    }

    private static let unreservedInQuery = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/:")

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreservedInQuery) ?? ""
    }
}

extension Request {
    /// The `:id` path parameter as a UUID, or 404.
    func idParameter() throws -> UUID {
        guard let id = parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw Abort(.notFound) }
        return id
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
