import Vapor

/// Headers every response carries (ASVS 14.4), error pages and cached pages included, so
/// it runs outermost. The policy is strict because Hyoka's pages need nothing more: the
/// portal has no script, staff pages load one script file, styles come from one
/// stylesheet, charts are inline SVG. An injected `<script>` or inline handler would not
/// run even if a value ever escaped the escaping; no other site may frame a page
/// (clickjacking a planner's publish button); addresses with search words are not sent
/// to other sites.
struct SecurityHeaders: AsyncMiddleware {
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
        "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    /// HTTPS deployments (`HYOKA_SECURE_COOKIES=1`) also ask browsers to keep to HTTPS.
    var strictTransport: Bool

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let headers = response.headers
        func set(_ name: String, _ value: String) {
            if !headers.contains(name: name) { response.headers.replaceOrAdd(name: name, value: value) }
        }
        set("Content-Security-Policy", Self.contentSecurityPolicy)
        set("X-Content-Type-Options", "nosniff")
        set("X-Frame-Options", "DENY")
        set("Referrer-Policy", "strict-origin-when-cross-origin")
        set("Cross-Origin-Opener-Policy", "same-origin")
        set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        if strictTransport { set("Strict-Transport-Security", "max-age=31536000") }
        return response
    }
}
