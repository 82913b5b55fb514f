import Plot
import Vapor

/// Errors on portal pages as a page a person can use: what happened, in their language,
/// and where to go next. `/healthz` and non-HTML clients keep Vapor's JSON errors.
struct PortalErrorMiddleware: AsyncMiddleware {
    let json = ErrorMiddleware.default(environment: .production)

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let wantsHTML = request.headers.accept.mediaTypes.contains(.html) || request.headers.accept.isEmpty
            guard wantsHTML, !request.url.path.hasPrefix(SiteURL.healthz.path), !request.url.path.hasPrefix("/assets") else {
                return try await json.respond(to: request, chainingTo: ThrowingResponder(error: error)).get()
            }
            let status = (error as? any AbortError)?.status ?? .internalServerError
            if status == .internalServerError { request.logger.report(error: error) }
            let response = ErrorPage.render(status: status, reason: (error as? any AbortError)?.reason, language: PortalLanguage(request))
            // What the error asks of the client (Retry-After on 503) stays with the page.
            for (name, value) in (error as? any AbortError)?.headers ?? [:] where name.lowercased() != "content-type" {
                response.headers.replaceOrAdd(name: name, value: value)
            }
            return response
        }
    }

    struct ThrowingResponder: AsyncResponder {
        let error: any Error
        func respond(to request: Request) async throws -> Response { throw error }
    }
}

enum ErrorPage {
    static func render(status: HTTPResponseStatus, reason: String?, language l: PortalLanguage) -> Response {
        let notFound = status == .notFound
        let title = notFound ? l("ページが見つかりません", "Page not found") : l("エラーが発生しました", "Something went wrong")
        let layout = Layout(language: l, title: title, breadcrumbs: [(l("トップ", "Home"), SiteURL.home.path), (title, nil)],
                            scope: [], currentQuery: [], currentPath: SiteURL.home.path)
        let response = layout.render(
            .h1(.text(title)),
            .p(.class("empty"), .text(notFound
                ? l("お探しのページ・事業・年度は公表されていないか、アドレスが変わった可能性があります。", "The page, program or year you asked for is not published, or its address has changed.")
                : l("時間をおいてもう一度お試しください。続く場合は管理者にお知らせください。", "Please try again later; if it persists, tell the site's operator."))),
            .unwrap(status == .internalServerError ? nil : reason) { .p(.class("muted"), .text($0)) },
            .ul(.li(.a(.href(SiteURL.home.link([("lang", l == .en ? "en" : nil)])), .text(l("トップページへ", "Go to the home page")))),
                .li(.a(.href(SiteURL.programs.link([("lang", l == .en ? "en" : nil)])), .text(l("事業をさがす", "Search programs")))))
        )
        response.status = status
        return response
    }
}
