import Fluent
import HyokaCore
import Vapor

/// Which municipality and fiscal year a portal page shows: `?m=401005&year=2024`, else the
/// first municipality with a published cycle and its latest published year.
struct PortalScope {
    var municipality: Municipality
    var municipalities: [Municipality]
    var year: Int
    var years: [Int]
    var language: PortalLanguage
    /// When the year's cycle was published: every page of it says so.
    var publishedAt: Date? = nil
    /// The document the year's data was imported from, if it was.
    var sourceDocument: String? = nil

    /// nil when nothing is published yet (the page then says so). `defaultCode` stands in
    /// for a missing `?m=` (a program's page knows its municipality), `defaultYear` for a
    /// missing `?year=`.
    static func resolve(_ req: Request, defaultCode: String? = nil, defaultYear: (@Sendable (Municipality) async throws -> Int?)? = nil) async throws -> PortalScope? {
        let catalog = req.catalog
        let municipalities = try await catalog.municipalities()
        let code = (try? req.query.get(String.self, at: "m")) ?? defaultCode
        if let code, !municipalities.contains(where: { $0.code == code }) {
            throw Abort(.notFound, reason: "団体コード \(code) の公表データはありません (nothing published for municipality \(code))")
        }
        guard let municipality = municipalities.first(where: { $0.code == code }) ?? municipalities.first else { return nil }
        let years = try await catalog.years(municipality)
        let requested = try? req.query.get(Int.self, at: "year")
        if let requested, !years.contains(requested) {
            throw Abort(.notFound, reason: "\(requested)年度の公表データはありません (nothing published for FY\(requested))")
        }
        let fallback = requested == nil ? try await defaultYear?(municipality) : nil
        guard let year = requested ?? fallback.flatMap({ years.contains($0) ? $0 : nil }) ?? years.first else { return nil }
        // The page shows this municipality's data: the page cache and the ETag follow its
        // data version alone, so another municipality's publication leaves it kept.
        req.pageMunicipality = municipality.id
        let cycle = try await Cycle.query(on: req.db).filter(\.$municipality.$id == municipality.requireID()).filter(\.$fiscalYear == year)
            .filter(\.$phase == CyclePhase.published.rawValue).first()
        return PortalScope(municipality: municipality, municipalities: municipalities, year: year, years: years, language: PortalLanguage(req),
                           publishedAt: cycle?.publishedAt, sourceDocument: cycle?.sourceDocument)
    }

    /// The query that keeps this scope on links.
    var query: [(String, String?)] { [("m", municipality.code), ("year", String(year))] }

    var municipalityName: String { language == .ja ? municipality.name : (municipality.nameEnglish ?? municipality.name) }

    /// `令和6年度（2024年度）` or `FY2024`.
    var yearLabel: String { language == .ja ? FiscalYearLabel.both(year) : "FY\(year)" }
}

enum FiscalYearLabel {
    static func both(_ year: Int) -> String { FiscalYear(year).both }
}
