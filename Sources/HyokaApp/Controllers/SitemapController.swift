import Foundation
import SQLKit
import Vapor

/// `/sitemap.xml` and `/robots.txt`: what a search engine needs to find every published
/// sheet. The sitemap lists each published municipality's overview and list of its
/// latest published year, and each published program's sheet at its stable address
/// (`/programs/{id}`), with the date its municipality's public data last changed.
enum SitemapController {
    /// A sitemap file holds at most 50,000 addresses (sitemaps.org).
    static let limit = 50_000

    struct Place: Decodable { var code: String; var year: Int; var changedAt: Int64? }
    struct Sheet: Decodable { var programId: UUID; var changedAt: Int64? }

    @Sendable static func sitemap(req: Request) async throws -> Response {
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let base = req.application.hyoka.publicURL ?? "http://\(req.headers.first(name: .host) ?? "localhost")"
        let places = try await sql.raw("""
            SELECT m.code, MAX(p.fiscal_year) AS year, MAX(v.changed_at) AS "changedAt" FROM public_programs p
            JOIN municipalities m ON m.id = p.municipality_id LEFT JOIN public_versions v ON v.municipality_id = p.municipality_id
            GROUP BY m.code ORDER BY m.code
            """).all(decoding: Place.self)
        let sheets = try await sql.raw("""
            SELECT DISTINCT p.program_id AS "programId", v.changed_at AS "changedAt" FROM public_programs p
            LEFT JOIN public_versions v ON v.municipality_id = p.municipality_id ORDER BY p.program_id LIMIT \(unsafeRaw: String(limit))
            """).all(decoding: Sheet.self)
        let day = { (micros: Int64?) -> String in
            guard let micros else { return "" }
            let format = ISO8601DateFormatter()
            format.formatOptions = [.withFullDate]
            return "<lastmod>\(format.string(from: Date(timeIntervalSince1970: Double(micros) / 1_000_000)))</lastmod>"
        }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        func add(_ path: String, _ changed: Int64?) {
            xml += "<url><loc>\(HTMLEscaping.escape(base + path))</loc>\(day(changed))</url>\n"
        }
        add(SiteURL.home.path, places.compactMap(\.changedAt).max())
        add(SiteURL.openData.path, places.compactMap(\.changedAt).max())
        for place in places {
            let query = [("m", place.code), ("year", String(place.year))] as [(String, String?)]
            add(SiteURL.home.link(query), place.changedAt)
            add(SiteURL.programs.link(query), place.changedAt)
        }
        for sheet in sheets.prefix(limit - 2 - places.count * 2) { add(SiteURL.program(sheet.programId).path, sheet.changedAt) }
        xml += "</urlset>\n"
        let response = Response(status: .ok, body: .init(string: xml))
        response.headers.replaceOrAdd(name: .contentType, value: "application/xml; charset=utf-8")
        return response
    }

    /// Everything public may be crawled; the staff side may not (it answers only signed-in staff anyway).
    @Sendable static func robots(req: Request) async throws -> Response {
        let base = req.application.hyoka.publicURL ?? "http://\(req.headers.first(name: .host) ?? "localhost")"
        let text = "User-agent: *\nDisallow: /admin\nDisallow: /login\nSitemap: \(base)\(SiteURL.sitemap.path)\n"
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.replaceOrAdd(name: .contentType, value: "text/plain; charset=utf-8")
        return response
    }
}
