import Fluent
import Foundation
import HyokaCore
import Vapor

/// Signed-in staff: the session holds the account id, when it was last used, and the
/// form token (CSRF). Only `/login`, `/logout` and `/admin` use sessions; the public portal
/// sets no cookie.
enum StaffSession {
    static let userKey = "user"
    static let lastSeenKey = "seen"
    static let csrfKey = "csrf"
    static let startedKey = "started"
    /// A session unused this long has to sign in again.
    static let idleLimit: TimeInterval = 8 * 60 * 60
    /// A session, however busy, ends this long after sign-in (ASVS 3.3.2): a browser left
    /// signed in on a shared desk does not stay signed in for days.
    static let absoluteLimit: TimeInterval = 12 * 60 * 60

    /// The form token of this session, made on first use: 32 random bytes, hex.
    static func csrfToken(_ req: Request) -> String {
        if let token = req.session.data[csrfKey] { return token }
        var generator = SystemRandomNumberGenerator()
        let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        req.session.data[csrfKey] = token
        return token
    }

    /// Starts a signed-in session under a new id, so that an id handed out before sign-in
    /// (session fixation) is worth nothing afterwards.
    static func signIn(_ user: User, req: Request) async throws {
        // `destroy()` would end the session for this response; instead the old record is
        // deleted and the id cleared, so the middleware stores the data under a new id.
        if let old = req.session.id {
            try await req.application.sessions.driver.deleteSession(old, for: req).get()
            req.session.id = nil
        }
        req.session.data = SessionData()
        req.session.data[userKey] = try user.requireID().uuidString
        req.session.data[lastSeenKey] = String(HyokaClock.date.timeIntervalSince1970)
        req.session.data[startedKey] = String(HyokaClock.date.timeIntervalSince1970)
        _ = csrfToken(req)
    }

    /// Ends every signed-in session of an account and revokes its API tokens (ASVS 3.3.3):
    /// after a password reset whoever held the old password, or a cookie or token obtained
    /// with it, holds nothing. Runs in the caller's transaction. Returns what was ended.
    static func endEverything(for user: User, actor: String, on db: any Database) async throws -> (sessions: Int, tokens: Int) {
        let id = try user.requireID().uuidString
        // Sessions are few (one per signed-in browser); their account is inside the data.
        let sessions = try await SessionRecord.query(on: db).all().filter { $0.data[userKey] == id }
        for session in sessions { try await session.delete(on: db) }
        let tokens = try await APIToken.query(on: db).filter(\.$user.$id == user.requireID()).filter(\.$revokedAt == nil).all()
        let now = HyokaClock.date
        for token in tokens {
            token.revokedAt = now
            try await token.save(on: db)
            try await Audit(actor: actor, userID: nil, source: "command").record(
                on: db, municipalityID: user.$municipality.id, entity: "api_tokens", id: token.id, label: "\(user.login) \(token.label)",
                [.init(field: "revoked_at", before: nil, after: ISO8601DateFormatter().string(from: now))])
        }
        return (sessions.count, tokens.count)
    }

    static func cookieSettings(secure: Bool) -> SessionsConfiguration {
        // A session cookie (no expiry): it ends with the browser; the server also ends it
        // after `idleLimit`. Secure when served over HTTPS (HYOKA_SECURE_COOKIES=1).
        SessionsConfiguration(cookieName: "hyoka-session") { id in
            HTTPCookies.Value(string: id.string, isSecure: secure, isHTTPOnly: true, sameSite: .lax)
        }
    }
}

extension Request {
    private struct StaffKey: StorageKey { typealias Value = User }

    /// The signed-in account on `/admin` pages (set by `RequireStaff`).
    var staff: User? {
        get { storage[StaffKey.self] }
        set { storage[StaffKey.self] = newValue }
    }
}

/// `/admin`: only for a signed-in, enabled account whose session is not idle. A page
/// request without one goes to the sign-in page and comes back after.
struct RequireStaff: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let id = request.session.data[StaffSession.userKey].flatMap(UUID.init(uuidString:)),
           let seen = request.session.data[StaffSession.lastSeenKey].flatMap(Double.init),
           let started = request.session.data[StaffSession.startedKey].flatMap(Double.init),
           HyokaClock.date.timeIntervalSince1970 - seen < StaffSession.idleLimit,
           HyokaClock.date.timeIntervalSince1970 - started < StaffSession.absoluteLimit,
           let user = try await User.find(id, on: request.db), !user.isDisabled {
            request.staff = user
            request.session.data[StaffSession.lastSeenKey] = String(HyokaClock.date.timeIntervalSince1970)
            return try await next.respond(to: request)
        }
        request.session.destroy()
        if request.method == .GET {
            return request.redirect(to: SiteURL.login.link([("next", request.url.string)]))
        }
        throw Abort(.unauthorized, reason: "ログインしてください (please sign in)")
    }
}

/// How large a staff request's body may be. A form with a 10,000-character comment is
/// about 90 kB URL-encoded; a department's workbook a few MB.
enum StaffBodyLimit {
    static let form: ByteCount = "1mb"
    static let upload: ByteCount = "20mb"

    static func describe(_ limit: ByteCount) -> String { "\(limit.value / (1 << 20)) MB" }
}

/// Every form post on staff pages carries the session's token in `_csrf`; a post without
/// the right one is refused, so another site cannot post on a signed-in user's behalf.
struct RequireCSRFToken: AsyncMiddleware {
    /// The body is read here, before the route would collect it: a body larger than one
    /// network read arrives as a stream, and `request.content` of a stream not yet collected
    /// is empty, which refused every long form and every upload as an expired form.
    var maxBody: ByteCount = StaffBodyLimit.form

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method == .POST || request.method == .PUT || request.method == .PATCH || request.method == .DELETE else {
            return try await next.respond(to: request)
        }
        if request.body.data == nil {
            do {
                _ = try await request.body.collect(max: maxBody.value).get()
            } catch let error as any AbortError where error.status == .payloadTooLarge {
                throw StaffError.tooLarge(maxBody)
            }
        }
        let sent = (try? request.content.get(String.self, at: "_csrf")) ?? request.headers.first(name: "X-CSRF-Token")
        guard let expected = request.session.data[StaffSession.csrfKey], let sent, Self.equal(Array(sent.utf8), Array(expected.utf8)) else {
            throw Abort(.forbidden, reason: "フォームの有効期限が切れました。ページを読み込み直してからもう一度送信してください (the form expired: reload the page and send it again)")
        }
        return try await next.respond(to: request)
    }

    /// Compares in time independent of where the first difference is.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Failed sign-ins per account and per address: after `limit` failures for one account (or
/// four times as many from one address, since a whole office may share one) within
/// `window`, further attempts are refused until the window has passed. Kept in memory: a
/// restart forgets, which is acceptable for slowing down guessing.
actor LoginThrottle {
    let limit: Int
    let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    init(limit: Int = 5, window: TimeInterval = 15 * 60) {
        self.limit = limit
        self.window = window
    }

    static func keys(login: String, address: String?) -> [String] {
        ["login:" + login.lowercased(), "address:" + (address ?? "unknown")]
    }

    /// Seconds to wait, or nil when an attempt is allowed.
    func wait(for keys: [String], now: Date = HyokaClock.date) -> TimeInterval? {
        var longest: TimeInterval?
        for key in keys {
            let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
            failures[key] = recent
            let allowed = key.hasPrefix("address:") ? limit * 4 : limit
            if recent.count >= allowed, let oldest = recent.first {
                longest = max(longest ?? 0, window - now.timeIntervalSince(oldest))
            }
        }
        return longest
    }

    /// Claims one attempt before the password is checked: the attempt counts as a failure
    /// at once and stops counting only when it succeeds. Checking and counting in one step
    /// of the actor means 40 guesses sent at the same moment get `limit` password checks,
    /// not 40 (the check takes a quarter of a second, long enough for all to pass a
    /// separate check first). Returns seconds to wait, or nil when the attempt may go on.
    func reserve(_ keys: [String], now: Date = HyokaClock.date) -> TimeInterval? {
        if let wait = wait(for: keys, now: now) { return wait }
        failed(keys, now: now)
        return nil
    }

    func failed(_ keys: [String], now: Date = HyokaClock.date) {
        for key in keys { failures[key, default: []].append(now) }
    }

    func succeeded(_ keys: [String]) {
        for key in keys { failures[key] = nil }
    }
}

extension Application {
    private struct LoginThrottleKey: StorageKey { typealias Value = LoginThrottle }

    /// Set by `configure`.
    var loginThrottle: LoginThrottle {
        get { storage[LoginThrottleKey.self] ?? LoginThrottle() }
        set { storage[LoginThrottleKey.self] = newValue }
    }
}
