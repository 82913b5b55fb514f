import Foundation
import HyokaCore
import Plot
import Vapor

/// The shell of staff pages: who is signed in, sign-out, and no portal navigation.
struct StaffLayout {
    var language: PortalLanguage
    var title: String
    var user: User?
    var csrf: String

    func render(_ content: Node<HTML.BodyContext>...) -> Response {
        let l = language
        let html = HTML(
            .lang(l == .ja ? .japanese : .english),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .meta(.name("robots"), .content("noindex")),
                .title("\(title) | " + l("Hyoka 職員用", "Hyoka staff")),
                .link(.rel(.stylesheet), .href(SiteURL.stylesheet.path))
            ),
            .body(.class("staff"),
                .a(.class("skip"), .href("#main"), .text(l("本文へ移動", "Skip to content"))),
                .header(.class("site"),
                    .a(.class("brand"), .href(user == nil ? SiteURL.login.path : SiteURL.admin.path), .text(l("Hyoka 職員用", "Hyoka staff"))),
                    .unwrap(user) { user in
                        .form(.class("signout"), .method(.post), .action(SiteURL.logout.path),
                              .span(.text("\(user.displayName)（\(l(roleLabel(user).japanese, roleLabel(user).english))）")),
                              .input(.type(.hidden), .name("_csrf"), .value(csrf)),
                              .button(.type(.submit), .text(l("ログアウト", "Sign out"))))
                    },
                    .a(.class("lang"), .href(l == .ja ? "?lang=en" : "?"), .attribute(named: "lang", value: l.other.rawValue), .text(l.switchLabel))
                ),
                .main(.id("main"), .group(content))
            )
        )
        let response = Response(status: .ok, body: .init(string: html.render()))
        response.headers.contentType = .html
        // Staff pages are personal: never kept by a shared cache.
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

    private func roleLabel(_ user: User) -> (japanese: String, english: String) {
        guard let role = user.staffRole else { return (user.role, user.role) }
        return (role.japanese, role.english)
    }
}
