import Foundation
import HyokaCore
import Plot
import Vapor

/// The page shell: language, title, header with navigation and language switch, breadcrumbs,
/// main content and footer. Every page of the portal is rendered through it.
struct Layout {
    var language: PortalLanguage
    var title: String
    var breadcrumbs: [(label: String, href: String?)]
    /// Query kept on links (municipality, year); `lang` is added by the layout.
    var scope: [(String, String?)]
    /// The query of this page, for the language switch.
    var currentQuery: [(String, String?)]
    var currentPath: String
    /// A class on `<body>`, for page-specific print rules.
    var bodyClass: String? = nil
    /// The stylesheet inside the page rather than linked, for rendering from a file (PDF).
    var inlineStylesheet = false
    /// The municipality and year the page shows: with it, the page carries the switcher to
    /// the other published municipalities and years.
    var place: PagePlace? = nil
    /// Where the switcher sends a reader to another municipality, when this page's own
    /// address means nothing there (a 施策's page names a node of this municipality's plan:
    /// another municipality's reader lands on its 施策体系).
    var otherMunicipalityPath: String? = nil

    func render(_ content: Node<HTML.BodyContext>...) -> Response {
        let response = Response(status: .ok, body: .init(string: html(.group(content))))
        response.headers.contentType = .html
        return response
    }

    /// The page's HTML; `indented` writes one element per line, for snapshot tests whose
    /// diffs a person reads (served pages stay on one line).
    func html(_ content: Node<HTML.BodyContext>, indented: Bool = false) -> String {
        let l = language
        let siteName = l("Hyoka 行政評価ポータル", "Hyoka evaluation portal")
        let html = HTML(
            .lang(l == .ja ? .japanese : .english),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .title("\(title) | \(siteName)"),
                .link(.rel(.alternate), .type("application/atom+xml"), .href(SiteURL.feed.path), .attribute(named: "title", value: l("更新情報", "Updates"))),
                inlineStylesheet ? .raw("<style>\(Stylesheet.css)</style>") : .link(.rel(.stylesheet), .href(SiteURL.stylesheet.path))
            ),
            .body(
                .unwrap(bodyClass) { .class($0) },
                .a(.class("skip"), .href("#main"), .text(l("本文へ移動", "Skip to content"))),
                .header(.class("site"),
                    .a(.class("brand"), .href(link(.home)), .text(siteName)),
                    // On a phone the menu folds behind 「メニュー」 (seven links took 210 px);
                    // on a wide screen the stylesheet shows it open without the toggle.
                    .details(.class("menu"),
                      .summary(.text(l("メニュー", "Menu"))),
                      .nav(.attribute(named: "aria-label", value: l("メインメニュー", "Main menu")),
                        .ul(
                            .li(.a(.href(link(.home)), .text(l("概要", "Overview")))),
                            .li(.a(.href(link(.programs)), .text(l("事業をさがす", "Programs")))),
                            .li(.a(.href(link(.plans)), .text(l("施策体系", "Policy measures")))),
                            .li(.a(.href(link(.collaboration)), .text(l("連携中枢都市圏", "Regional collaboration")))),
                            .li(.a(.href(link(.manifestos)), .text(l("部局マニフェスト", "Manifestos")))),
                            .li(.a(.href(link(.reviews)), .text(l("棚卸し", "Inventory review")))),
                            .li(.a(.href(link(.openData)), .text(l("オープンデータ", "Open data"))))
                        )
                      )
                    ),
                    .a(.class("lang"), .href(switchLink), .attribute(named: "lang", value: l.other.rawValue), .text(l.switchLabel))
                ),
                .nav(.class("breadcrumbs"), .attribute(named: "aria-label", value: l("現在地", "Breadcrumbs")),
                    .ol(.forEach(breadcrumbs.enumerated()) { index, crumb in
                        let last = index == breadcrumbs.count - 1
                        return .li(.unwrap(last ? nil : crumb.href, { .a(.href($0), .text(crumb.label)) }, else: .if(last,
                            .span(.attribute(named: "aria-current", value: "page"), .text(crumb.label)), else: .text(crumb.label))))
                    })
                ),
                .unwrap(place) { switcher($0) },
                .main(.id("main"), .group(content)),
                .footer(.class("site"),
                    .p(.text(l("公表された評価サイクルのデータのみを掲載しています。", "Only data of published evaluation cycles is shown.")),
                       .unwrap(place) { place in
                           .text(" " + l("このページ: \(place.municipalityName) \(FiscalYear(place.year).both)の評価", "This page: \(place.municipalityName), FY\(place.year) evaluation")
                                 + l("（\(place.provenance)）", " (\(place.provenance))"))
                       }),
                    .p(.a(.href(link(.guide)), .text(l("評価の見方", "How to read the figures"))), .text(" · "),
                       .a(.href(link(.openData)), .text(l("オープンデータ・API", "Open data and API"))), .text(" · "),
                       .a(.href(SiteURL.feed.path), .text(l("更新情報（Atom）", "Updates (Atom feed)")))),
                    .p(.text("Hyoka \(HyokaConfiguration.version)"))
                )
            )
        )
        return indented ? html.render(indentedBy: .spaces(1)) : html.render()
    }

    /// Municipality and year, as links (works without JavaScript): the same page for another
    /// municipality or year.
    func switcher(_ place: PagePlace) -> Node<HTML.BodyContext> {
        let l = language
        let lang: (String, String?) = ("lang", l == .en ? "en" : nil)
        let name = { (m: PagePlace.Municipality) in l == .ja ? m.name : (m.nameEnglish ?? m.name) }
        let yearLabel = { (year: Int) in l == .ja ? FiscalYear(year).both : "FY\(year)" }
        guard place.municipalities.count > 1 || place.years.count > 1 else { return .empty }
        return .nav(.class("scope"), .attribute(named: "aria-label", value: l("団体と年度", "Municipality and year")),
            .if(place.municipalities.count > 1, .div(.text(l("団体: ", "Municipality: ")), .ul(.forEach(place.municipalities) { m in
                .li(m.code == place.municipalityCode
                    ? .strong(.attribute(named: "aria-current", value: "true"), .text(name(m)))
                    : .a(.href(SiteURL.address(otherMunicipalityPath ?? currentPath, [("m", m.code), lang])), .text(name(m))))
            }))),
            .if(place.years.count > 1, .div(.text(l("年度: ", "Fiscal year: ")), .ul(.forEach(place.years) { year in
                .li(year == place.year
                    ? .strong(.attribute(named: "aria-current", value: "true"), .text(yearLabel(year)))
                    : .a(.href(SiteURL.address(currentPath, [("m", place.municipalityCode), ("year", String(year)), lang])), .text(yearLabel(year))))
            })))
        )
    }

    func link(_ url: SiteURL, _ extra: [(String, String?)] = []) -> String {
        url.link(scope + extra + [("lang", language == .en ? "en" : nil)])
    }

    var switchLink: String {
        SiteURL.address(currentPath, currentQuery.filter { $0.0 != "lang" } + [("lang", language.other == .en ? "en" : nil)])
    }
}
