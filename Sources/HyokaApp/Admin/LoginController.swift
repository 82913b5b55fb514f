import Fluent
import Foundation
import HyokaCore
import Plot
import Vapor

/// `/login` and `/logout`.
enum LoginController {
    struct Form: Content {
        var login: String?
        var password: String?
        var next: String?
    }

    @Sendable static func show(req: Request) async throws -> Response {
        try page(req, login: "", next: try? req.query.get(String.self, at: "next"), error: nil)
    }

    static func page(_ req: Request, login: String, next: String?, error: String?, status: HTTPResponseStatus = .ok) throws -> Response {
        let l = PortalLanguage(req)
        let layout = StaffLayout(language: l, title: l("職員ログイン", "Staff sign-in"), user: nil, csrf: StaffSession.csrfToken(req))
        let response = layout.render(
            .h1(.text(l("職員ログイン", "Staff sign-in"))),
            .form(.method(.post), .action(SiteURL.login.path), .class("staff"),
                .input(.type(.hidden), .name("_csrf"), .value(StaffSession.csrfToken(req))),
                .unwrap(next.flatMap(safeNext)) { .input(.type(.hidden), .name("next"), .value($0)) },
                .unwrap(error) { .p(.class("error"), .id("login-error"), .attribute(named: "role", value: "alert"), .text($0)) },
                .label(.for("login"), .text(l("ログイン名", "Login"))),
                .input(.type(.text), .name("login"), .id("login"), .value(login), .attribute(named: "autocomplete", value: "username"), .required(true),
                       .unwrap(error) { _ in .attribute(named: "aria-describedby", value: "login-error") }),
                .label(.for("password"), .text(l("パスワード", "Password"))),
                .input(.type(.password), .name("password"), .id("password"), .attribute(named: "autocomplete", value: "current-password"), .required(true)),
                .button(.type(.submit), .text(l("ログイン", "Sign in")))
            ),
            .p(.class("muted"), .text(l("アカウントはシステム管理者が `hyoka user add` で作成します。パスワードを忘れたときは管理者に連絡してください。",
                                       "Accounts are created by the operator with `hyoka user add`; ask them if you forgot your password.")))
        )
        response.status = status
        return response
    }

    /// Only a path on this site: never an absolute URL someone could send a user to.
    /// Where to go after signing in, only when it is a path on this site. Browsers drop tabs
    /// and newlines from addresses and read `\\` as `/`, so `/\t/evil.example` and
    /// `/\\evil.example` would leave the site, and a CR LF would end the `Location` header:
    /// only visible ASCII (what `request.url` holds, percent-encoded) is accepted, and the
    /// parsed address must have no scheme, no host and a path that starts with one `/`.
    static func safeNext(_ next: String) -> String? {
        guard !next.isEmpty, next.utf8.count <= 2_000,
              next.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) && $0 != "\\" }),
              next.hasPrefix("/"), !next.hasPrefix("//"),
              let parsed = URLComponents(string: next), parsed.scheme == nil, parsed.host == nil,
              parsed.percentEncodedPath.hasPrefix("/"), !parsed.percentEncodedPath.hasPrefix("//")
        else { return nil }
        return next
    }

    @Sendable static func signIn(req: Request) async throws -> Response {
        let l = PortalLanguage(req)
        let form = try req.content.decode(Form.self)
        let login = (form.login ?? "").trimmingCharacters(in: .whitespaces)
        let keys = LoginThrottle.keys(login: login, address: req.remoteAddress?.ipAddress)
        if let wait = await req.application.loginThrottle.reserve(keys) {
            let minutes = Int((wait / 60).rounded(.up))
            return try page(req, login: login, next: form.next, error: l(
                "ログインの失敗が続いたため、\(minutes)分ほど受け付けません。時間をおいてから試すか、管理者に連絡してください。",
                "Too many failed sign-ins: try again in about \(minutes) minutes, or ask the operator."), status: .tooManyRequests)
        }
        // A login holding a NUL names no account (and PostgreSQL refuses the character in a query).
        let user = login.contains("\u{0}") ? nil : try await User.query(on: req.db).filter(\.$login == login).first()
        // Bcrypt runs even for an unknown login, so the answer takes as long either way.
        let hash = user?.passwordHash ?? "$2b$12$C6UzMDM.H6dfI/f/IKxGhu9FHPSkYp0n3l4o2oJRbhx1fAB2zN6Vy"
        let matches = (try? await req.password.async.verify(form.password ?? "", created: hash)) ?? false
        guard let user, matches, !user.isDisabled else {
            return try page(req, login: login, next: form.next, error: l("ログイン名またはパスワードが違います。", "Wrong login or password."), status: .unauthorized)
        }
        await req.application.loginThrottle.succeeded(keys)
        try await StaffSession.signIn(user, req: req)
        return req.redirect(to: form.next.flatMap(safeNext) ?? SiteURL.admin.path, redirectType: .normal)
    }

    @Sendable static func signOut(req: Request) async throws -> Response {
        req.session.destroy()
        return req.redirect(to: SiteURL.login.path, redirectType: .normal)
    }
}
