import Fluent
import HyokaCore
import Plot
import Vapor

/// `/`: a municipality's published year at a glance.
enum HomeController {
    @Sendable static func show(req: Request) async throws -> Response {
        let language = PortalLanguage(req)
        guard let scope = try await PortalScope.resolve(req) else {
            return Layout(language: language, title: language("公表データなし", "Nothing published"), breadcrumbs: [(language("トップ", "Home"), nil)],
                          scope: [], currentQuery: [], currentPath: SiteURL.home.path)
                .render(.h1(.text(language("公表されたデータはまだありません", "Nothing has been published yet"))),
                        .p(.class("empty"), .text(language("評価サイクルが公表されると、ここに事業の評価が表示されます。",
                                                           "Program evaluations appear here once an evaluation cycle is published."))))
        }
        let (layout, content) = HomeShow.view(try await HomeShow.query(scope: scope, req: req))
        return layout.render(content)
    }

    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.calendar = .japan
        formatter.timeZone = Calendar.japan.timeZone
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    static func card(_ label: String, _ value: String) -> Node<HTML.BodyContext> {
        .div(.class("card"), .div(.class("value"), .text(value)), .div(.class("label"), .text(label)))
    }

    /// `display` shows a stored value in the page's language; the link filters by the value.
    static func countTable(_ heading: String, _ counts: [(String, Int)], layout: Layout, key: String, l: PortalLanguage,
                           display: (String) -> String = { $0 }) -> Node<HTML.BodyContext> {
        .table(
            .tr(.th(.text(heading)), .th(.class("num"), .text(l("事業数", "Programs")))),
            .forEach(counts.filter { $0.1 > 0 }) { label, count in
                let unset = label == l("未設定", "Not set")
                return .tr(.td(.a(.href(layout.link(.programs, [(key, unset ? ProgramSearch.unset : label)])), .text(unset ? label : display(label)))),
                    .td(.class("num"), .text("\(count)")))
            }
        )
    }
}
