import Fluent
import Foundation
import HyokaCore
import HyokaImport
import Testing
import Vapor
import VaporTesting
@testable import HyokaApp

extension DatabaseTests {
    /// Sign-in, sessions, form tokens and the throttle, through the app.
    @Suite struct SignInTests {
        let password = "correct horse battery"

        func makeUser(_ app: Application, login: String = "plan", disabled: Bool = false) async throws {
            if try await Municipality.query(on: app.db).filter(\.$code == "401005").first() == nil {
                var dataset = Dataset()
                dataset.municipalities = [MunicipalityRecord(code: "401005", name: "北九州市", nameEnglish: "Kitakyushu", prefecture: "福岡県")]
                try await TestDatabase.store(dataset, in: app, origin: "test")
            }
            let city = try #require(try await Municipality.query(on: app.db).filter(\.$code == "401005").first())
            let user = User()
            user.login = login
            user.displayName = "企画 花子"
            user.role = Role.planner.rawValue
            user.passwordHash = try Bcrypt.hash(password, cost: 4)
            user.isDisabled = disabled
            user.$municipality.id = try city.requireID()
            try await user.create(on: app.db)
        }

        /// The session cookie and form token a sign-in page hands out.
        func loginPage(_ app: Application) async throws -> (cookie: String, token: String) {
            var cookie = "", token = ""
            try await app.testing().test(.GET, SiteURL.login.path) { response in
                #expect(response.status == .ok)
                let setCookie = response.headers.first(name: .setCookie) ?? ""
                #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax"))
                cookie = String(setCookie.split(separator: ";")[0])
                token = try #require(response.body.string.firstMatch(of: /name="_csrf" value="([0-9a-f]{64})"/)).1.description
            }
            return (cookie, token)
        }

        func post(_ app: Application, _ path: String, cookie: String, form: [String: String], check: (TestingHTTPResponse) throws -> Void) async throws {
            let body = form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            try await app.testing().test(.POST, path, headers: ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"],
                                         body: ByteBuffer(string: body)) { response in try check(response) }
        }

        @Test func signInRotatesTheSessionAndOpensTheStaffPages() async throws {
            try await TestDatabase.withApp { app in
                try await makeUser(app)
                // Without a session /admin sends the user to sign in, and comes back after.
                try await app.testing().test(.GET, SiteURL.admin.path) { response in
                    #expect(response.status == .seeOther || response.status == .found)
                    #expect(response.headers.first(name: .location) == "/login?next=/admin")
                }
                let (cookie, token) = try await loginPage(app)
                var signedIn = ""
                try await post(app, SiteURL.login.path, cookie: cookie, form: ["_csrf": token, "login": "plan", "password": password, "next": "/admin"]) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers.first(name: .location) == "/admin")
                    signedIn = String((response.headers.first(name: .setCookie) ?? "").split(separator: ";")[0])
                }
                #expect(!signedIn.isEmpty && signedIn != cookie, "a new session id after sign-in")
                try await app.testing().test(.GET, SiteURL.admin.path, headers: ["Cookie": signedIn]) { response in
                    #expect(response.status == .ok)
                    #expect(response.body.string.contains("企画 花子"))
                    #expect(response.headers.cacheControl?.noStore == true)
                }
                // The id handed out before sign-in is worth nothing.
                try await app.testing().test(.GET, SiteURL.admin.path, headers: ["Cookie": cookie]) { response in
                    #expect(response.status != .ok)
                }
                // Sign out needs the token too, and ends the session.
                try await post(app, SiteURL.logout.path, cookie: signedIn, form: [:]) { response in
                    #expect(response.status == .forbidden)
                }
                var adminToken = ""
                try await app.testing().test(.GET, SiteURL.login.path, headers: ["Cookie": signedIn]) { response in
                    adminToken = try #require(response.body.string.firstMatch(of: /name="_csrf" value="([0-9a-f]{64})"/)).1.description
                }
                try await post(app, SiteURL.logout.path, cookie: signedIn, form: ["_csrf": adminToken]) { response in
                    #expect(response.status == .seeOther)
                }
                try await app.testing().test(.GET, SiteURL.admin.path, headers: ["Cookie": signedIn]) { response in
                    #expect(response.status != .ok)
                }
            }
        }

        @Test func aFormWithoutTheTokenIsRefused() async throws {
            try await TestDatabase.withApp { app in
                try await makeUser(app)
                let (cookie, _) = try await loginPage(app)
                try await post(app, SiteURL.login.path, cookie: cookie, form: ["_csrf": String(repeating: "0", count: 64), "login": "plan", "password": password]) { response in
                    #expect(response.status == .forbidden)
                    #expect(response.body.string.contains("読み込み直して"))
                }
                try await post(app, SiteURL.login.path, cookie: "", form: ["login": "plan", "password": password]) { response in
                    #expect(response.status == .forbidden)
                }
            }
        }

        @Test func wrongPasswordsAreThrottledAndDisabledAccountsCannotSignIn() async throws {
            try await TestDatabase.withApp { app in
                try await makeUser(app)
                try await makeUser(app, login: "gone", disabled: true)
                let (cookie, token) = try await loginPage(app)
                try await post(app, SiteURL.login.path, cookie: cookie, form: ["_csrf": token, "login": "gone", "password": password]) { response in
                    #expect(response.status == .unauthorized)
                }
                for _ in 1...5 {
                    try await post(app, SiteURL.login.path, cookie: cookie, form: ["_csrf": token, "login": "plan", "password": "guess"]) { response in
                        #expect(response.status == .unauthorized)
                        #expect(response.body.string.contains("ログイン名またはパスワードが違います"))
                    }
                }
                // Locked for this account now, even with the right password.
                try await post(app, SiteURL.login.path, cookie: cookie, form: ["_csrf": token, "login": "plan", "password": password]) { response in
                    #expect(response.status == .tooManyRequests)
                    #expect(response.body.string.contains("分ほど受け付けません"))
                }
            }
        }

        @Test func thePortalSetsNoCookieAndNextStaysOnTheSite() async throws {
            try await TestDatabase.withApp { app in
                try await app.testing().test(.GET, "/") { response in
                    #expect(response.headers.first(name: .setCookie) == nil)
                }
                #expect(LoginController.safeNext("/admin?x=1") == "/admin?x=1")
                #expect(LoginController.safeNext("//evil.example/") == nil)
                #expect(LoginController.safeNext("https://evil.example/") == nil)
            }
        }
    }
}

@Suite struct LoginThrottleTests {
    @Test func anOfficeSharingAnAddressGetsMoreRoomThanOneAccount() async {
        let throttle = LoginThrottle(limit: 2, window: 60)
        let now = Date()
        await throttle.failed(LoginThrottle.keys(login: "a", address: "10.0.0.1"), now: now)
        #expect(await throttle.wait(for: LoginThrottle.keys(login: "a", address: "10.0.0.1"), now: now) == nil)
        await throttle.failed(LoginThrottle.keys(login: "a", address: "10.0.0.1"), now: now)
        #expect(await throttle.wait(for: LoginThrottle.keys(login: "A", address: "10.0.0.2"), now: now) != nil)
        // Another account from the same address is still allowed (2 of 8 used).
        #expect(await throttle.wait(for: LoginThrottle.keys(login: "b", address: "10.0.0.1"), now: now) == nil)
        // After the window, the account may try again.
        #expect(await throttle.wait(for: LoginThrottle.keys(login: "a", address: "10.0.0.1"), now: now.addingTimeInterval(61)) == nil)
    }
}
