import Fluent
import Foundation
import HyokaCore
import HyokaImport
import Plot
import Vapor

/// `/open-data`: the bundles of each municipality (one per published fiscal year and one
/// for all years), the licence, and where the API and the feed are. Bundles are made from
/// the public view of the database when asked for.
enum OpenDataController {
    @Sendable static func index(req: Request) async throws -> Response {
        let l = PortalLanguage(req)
        let catalog = req.catalog
        let licence = req.application.hyoka.openDataLicence
        var sections: [(Municipality, [Int])] = []
        for m in try await catalog.municipalities() { sections.append((m, try await catalog.years(m))) }
        let layout = Layout(language: l, title: l("オープンデータ", "Open data"),
                            breadcrumbs: [(l("トップ", "Home"), SiteURL.home.link([("lang", l == .en ? "en" : nil)])), (l("オープンデータ", "Open data"), nil)],
                            scope: [], currentQuery: [], currentPath: SiteURL.openData.path)
        func name(_ m: Municipality) -> String { l == .ja ? m.name : (m.nameEnglish ?? m.name) }
        return layout.render(
            .h1(.text(l("オープンデータ", "Open data"))),
            .p(.text(l("公表された評価サイクルのデータを、ワークブックの表（CSV）と JSON でまとめて提供しています。CSV は UTF-8（BOM 付き、Excel でそのまま開けます）と Shift_JIS（CP932）の両方を入れています。列の意味はデータ項目定義書（data_dictionary.csv）にあります。",
                       "The data of published evaluation cycles, as the workbook's tables (CSV) and JSON. The CSV files come in UTF-8 with a byte-order mark (they open in Excel as they are) and in Shift_JIS (CP932). The data dictionary (data_dictionary.csv) explains every column."))),
            .p(.text(l("ライセンス: ", "Licence: ")), .a(.href(licence.url), .text(licence.name)),
               .text(l("。利用するときは出典（団体名と「行政評価オープンデータ」）を記載してください。", ". Credit the source (the municipality and “performance evaluation open data”)."))),
            .if(sections.isEmpty, .p(.class("empty"), .text(l("公表されたデータはまだありません。", "Nothing has been published yet.")))),
            .forEach(sections) { m, years in
                .section(
                    .h2(.text("\(name(m))（\(m.code)）")),
                    .ul(
                        .li(.a(.href(SiteURL.openDataBundle(OpenDataBundle.fileName(municipalityCode: m.code, year: nil)).path),
                               .text(l("全年度", "All years") + " — " + OpenDataBundle.fileName(municipalityCode: m.code, year: nil)))),
                        .forEach(years) { year in
                            .li(.a(.href(SiteURL.openDataBundle(OpenDataBundle.fileName(municipalityCode: m.code, year: year)).path),
                                   .text((l == .ja ? FiscalYear(year).both : "FY\(year)") + " — " + OpenDataBundle.fileName(municipalityCode: m.code, year: year))))
                        }
                    ),
                    .p(.class("muted"), .text("API: "), .a(.href("\(APIRoutes.base)/municipalities/\(m.code)/programs"), .text("\(APIRoutes.base)/municipalities/\(m.code)/programs")))
                )
            },
            .h2(.text("API")),
            .p(.text(l("同じデータを JSON API でも提供しています（認証不要、CORS 可）。仕様は OpenAPI 3.1 の文書にあります。",
                       "The same data is available from the JSON API (no authentication, CORS allowed); it is described by an OpenAPI 3.1 document.")),
               .text(" "), .a(.href(APIRoutes.documentPath), .text(APIRoutes.documentPath))),
            .h2(.text(l("更新情報", "Updates"))),
            .p(.text(l("評価サイクルの公表を Atom フィードでお知らせします: ", "Each published cycle is announced in an Atom feed: ")), .a(.href(SiteURL.feed.path), .text(SiteURL.feed.path)))
        )
    }

    /// `/open-data/hyoka-401005-2024.zip`, `/open-data/hyoka-401005-all.zip`.
    @Sendable static func bundle(req: Request) async throws -> Response {
        let file = req.parameters.get("file") ?? ""
        guard let match = file.firstMatch(of: /^hyoka-([0-9]{6})-([0-9]{4}|all)\.zip$/) else { throw Abort(.notFound) }
        let code = String(match.1), year = Int(match.2)
        let catalog = req.catalog
        guard let municipality = try await catalog.municipalities().first(where: { $0.code == code }) else { throw Abort(.notFound) }
        if let year, !(try await catalog.years(municipality)).contains(year) {
            throw Abort(.notFound, reason: "\(year)年度の公表データはありません (nothing published for FY\(year))")
        }
        let data = try await makeBundle(code: code, publisher: municipality.name, year: year, on: req.db, licence: req.application.hyoka.openDataLicence,
                                        siteURL: req.application.hyoka.publicURL)
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = .zip
        response.headers.contentDisposition = .init(.attachment, filename: file)
        response.headers.add(name: "Access-Control-Allow-Origin", value: "*")
        return response
    }

    /// The bundle's bytes, made in a temporary folder.
    static func makeBundle(code: String, publisher: String, year: Int?, on db: any Database, licence: OpenDataBundle.Licence,
                           siteURL: String? = nil) async throws -> Data {
        let publicData = PublicView.of(try await DatasetLoader.load(on: db, municipalityCode: code, fiscalYear: year))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-bundle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent(OpenDataBundle.fileName(municipalityCode: code, year: year))
        try OpenDataBundle.write(publicData, publisher: publisher, year: year, licence: licence, asOf: try await asOf(code, on: db),
                                 siteURL: siteURL, to: url)
        return try Data(contentsOf: url)
    }

    /// When the municipality's public data last changed (its data version), as the bundle's date.
    static func asOf(_ code: String?, on db: any Database) async throws -> String {
        let version = try await PortalCache.DataVersion.current(on: db)
        let changedAt: Int64?
        if let code {
            changedAt = try await Municipality.query(on: db).filter(\.$code == code).first()?.id.flatMap { version.municipalities[$0]?.changedAt }
        } else {
            changedAt = version.municipalities.values.map(\.changedAt).max()
        }
        guard let changedAt else { return "-" }
        let latest = Date(timeIntervalSince1970: Double(changedAt) / 1_000_000)
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withFullDate]
        format.timeZone = TimeZone(identifier: "Asia/Tokyo")
        return format.string(from: latest)
    }
}

/// `/feed.atom`: each published evaluation cycle as an entry, newest first.
enum FeedController {
    @Sendable static func atom(req: Request) async throws -> Response {
        let cycles = try await Cycle.query(on: req.db).filter(\.$phase == CyclePhase.published.rawValue).with(\.$municipality)
            .sort(\.$publishedAt, .descending).sort(\.$fiscalYear, .descending).range(..<50).all()
        let base = req.application.hyoka.publicURL ?? "http://\(req.headers.first(name: .host) ?? "localhost")"
        let format = ISO8601DateFormatter()
        let escape = HTMLEscaping.escape
        var entries = ""
        var newest: Date?
        for cycle in cycles {
            let m = cycle.municipality, year = cycle.fiscalYear
            let updated = cycle.publishedAt ?? cycle.updatedAt ?? Date(timeIntervalSince1970: 0)
            newest = max(newest ?? updated, updated)
            let count = try await req.catalog.publishedProgramIDs(m, year: year).count
            let page = base + SiteURL.home.link([("m", m.code), ("year", String(year))])
            let bundle = base + SiteURL.openDataBundle(OpenDataBundle.fileName(municipalityCode: m.code, year: year)).path
            let title = "\(m.name) \(FiscalYear(year).both)の行政評価を公表しました"
            entries += """
              <entry>
                <title>\(escape(title))</title>
                <id>\(escape(page))</id>
                <link rel="alternate" type="text/html" href="\(escape(page))"/>
                <link rel="enclosure" type="application/zip" href="\(escape(bundle))"/>
                <updated>\(format.string(from: updated))</updated>
                <summary>\(escape("事務事業 \(count) 件の評価シートを公表しました。オープンデータ: \(bundle) (\(m.nameEnglish ?? m.name): FY\(year) evaluations published, \(count) programs)"))</summary>
              </entry>

            """
        }
        let feed = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ja">
          <title>Hyoka 行政評価ポータル 更新情報</title>
          <subtitle>公表された評価サイクル / published evaluation cycles</subtitle>
          <id>\(escape(base + SiteURL.feed.path))</id>
          <link rel="self" type="application/atom+xml" href="\(escape(base + SiteURL.feed.path))"/>
          <link rel="alternate" type="text/html" href="\(escape(base + "/"))"/>
          <updated>\(format.string(from: newest ?? Date(timeIntervalSince1970: 0)))</updated>
          <author><name>Hyoka</name></author>
        \(entries)</feed>

        """
        let response = Response(status: .ok, body: .init(string: feed))
        response.headers.replaceOrAdd(name: .contentType, value: "application/atom+xml; charset=utf-8")
        return response
    }
}
