import Fluent
import Foundation
import HyokaCore
import HyokaImport
import Testing
import Vapor
import VaporTesting
@testable import HyokaApp

/// The findings of the security probe (issue 15), each as it was found: a script in a
/// search, in a sign-in address or in a stored value; a redirect off the site; a file read
/// through the PDF; a guess race; a formula in a download; a phase race; a session that
/// outlived its password.
extension DatabaseTests {
    @Suite struct SecurityTests {
        static let payload = #""><script>alert(1)</script><img src=x onerror=alert(2)>'"#

        /// No element or attribute made by the payload: its `<` is always `&lt;` and its `"` never
        /// ends an attribute (which would leave `onerror=` as an attribute of its own).
        static func expectInert(_ html: String, _ context: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
            #expect(!html.contains("<script>alert(1)"), "a script element from \(context)", sourceLocation: sourceLocation)
            #expect(!html.contains("<img src=x"), "an element from \(context)", sourceLocation: sourceLocation)
            #expect(!html.contains("\"><script"), "an attribute ended by \(context)", sourceLocation: sourceLocation)
            // A tag of the page with an event handler in it (the payload's own, escaped, is text).
            // Attribute values are dropped first: `"` inside them is always `&quot;`, so each
            // quoted value ends where the attribute ends.
            let tags = html.replacing(/="[^"]*"/, with: "=\"\"")
            #expect(tags.firstMatch(of: /<[a-zA-Z][^<>]*\son[a-z]+=/) == nil, "an event handler from \(context)", sourceLocation: sourceLocation)
        }

        @Test func aSearchOrASignInAddressCannotRunAScript() async throws {
            try await TestDatabase.withApp { app in
                try await TestDatabase.store(StaffFixture.dataset(), in: app)
                let query = Self.payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                for path in ["/programs?q=\(query)", "/programs?q=\(query)&lang=en", "/login?next=/\(query)", "/login?next=\(query)",
                             "/programs/\(query)", "/plans?node=\(query)", "/collaboration?partner=\(query)"] {
                    try await app.testing().test(.GET, path, headers: ["Accept": "text/html"], afterResponse: { response in
                        #expect(response.status.code < 500, "\(path)")
                        Self.expectInert(response.body.string, path)
                    })
                }
                try await app.testing().test(.GET, "/programs?q=\(query)") { response in
                    // The search is shown back, escaped, in the field and in the language link.
                    #expect(response.body.string.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
                }
            }
        }

        @Test func storedValuesAreEscapedInTextAttributesAndMetaTags() async throws {
            try await TestDatabase.withApp { app in
                var dataset = StaffFixture.dataset()
                dataset.municipalities[0].name = "北九州市" + Self.payload
                let index = try #require(dataset.programs.firstIndex { $0.name == StaffFixture.Place.ownSection.program })
                let name = dataset.programs[index].name
                func rename(_ text: String) -> String { text == name ? name + Self.payload : text }
                dataset.programs[index].name = rename(name)
                dataset.programs[index].summary = Self.payload
                dataset.sheets = dataset.sheets.map { var s = $0; s.program = rename(s.program); return s }
                dataset.budgets = dataset.budgets.map { var b = $0; b.program = rename(b.program); return b }
                dataset.evaluations = dataset.evaluations.map { var e = $0; if case let .program(p) = e.subject { e.subject = .program(name: rename(p)) }; return e }
                dataset.indicators = dataset.indicators.map { var i = $0; if case let .program(p) = i.owner { i.owner = .program(name: rename(p)) }; return i }
                dataset.indicatorValues = dataset.indicatorValues.map { var v = $0
                    if case let .program(p) = v.owner { v.owner = .program(name: rename(p)) }
                    v.targetRaw += Self.payload
                    return v }
                try await TestDatabase.store(dataset, in: app)
                let program = try #require(try await Program.query(on: app.db).filter(\.$name == name + Self.payload).first())
                for path in ["/", "/programs", SiteURL.program(try program.requireID()).path, "/programs?lang=en"] {
                    try await app.testing().test(.GET, path + (path.contains("?") ? "&" : "?") + "m=\(StaffFixture.cityCode)") { response in
                        let body = response.body.string
                        Self.expectInert(body, path)
                        if path.hasPrefix("/programs/") {
                            #expect(response.status == .ok)
                            // The program's name reaches the title and the meta tags intact, as text.
                            #expect(body.contains("<meta property=\"og:title\" content=\"\(StaffFixture.Place.ownSection.program)&quot;&gt;&lt;script&gt;"), "\(body.prefix(800))")
                        }
                    }
                }
                // The staff sheet form writes the KPI values into value="…": escaped, and whole.
                let fixtureSession = try await StaffFixture(app: app).signInPlanner(app)
                try await app.testing().test(.GET, SiteURL.adminSheets.path, headers: fixtureSession) { response in
                    Self.expectInert(response.body.string, "the sheet list")
                }
                let sheets = try await SheetStatus.query(on: app.db).filter(\.$program.$id == program.requireID()).all()
                #expect(!sheets.isEmpty)
                for sheet in sheets {
                    try await app.testing().test(.GET, SiteURL.adminSheet(try sheet.requireID()).path, headers: fixtureSession) { response in
                        #expect(response.status == .ok)
                        let body = response.body.string
                        Self.expectInert(body, "the sheet form")
                        #expect(body.contains("&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&#39;\""), "the whole value, quote included, is in the field")
                    }
                }
            }
        }

        @Test(arguments: [
            ("/admin/sheets?state=submitted", true), ("/admin", true), ("/", true),
            ("/x\r\nSet-Cookie: injected=1", false), ("/\t/example.invalid/phish", false), ("/%09/example.invalid", true),
            ("//example.invalid", false), ("/\\example.invalid", false), ("https://example.invalid/", false), ("javascript:alert(1)", false),
            ("/\u{3000}/example.invalid", false), ("", false), ("admin", false), ("/\u{0}", false),
        ])
        func onlyAPathOnThisSiteIsAPlaceToReturnTo(next: String, accepted: Bool) {
            #expect((LoginController.safeNext(next) != nil) == accepted, "\(next.debugDescription)")
        }

        @Test func signingInWithAHostileNextStaysOnTheSite() async throws {
            try await TestDatabase.withApp { app in
                let signIn = SignInTests()
                try await signIn.makeUser(app)
                for next in ["/x\r\nSet-Cookie: injected=1\r\n\r\nbody", "/\t/example.invalid/phish", "//example.invalid"] {
                    let (cookie, token) = try await signIn.loginPage(app)
                    try await signIn.post(app, SiteURL.login.path, cookie: cookie, form: ["_csrf": token, "login": "plan", "password": signIn.password, "next": next]) { response in
                        #expect(response.status == .seeOther)
                        #expect(response.headers.first(name: .location) == "/admin", "\(next.debugDescription)")
                        #expect(!response.headers.contains(name: "injected"))
                        #expect(!(response.headers.first(name: .setCookie) ?? "").contains("injected"))
                    }
                }
            }
        }

        /// 40 wrong passwords at the same moment get at most the limit of real checks.
        @Test func parallelGuessesAreThrottledBeforeThePasswordIsChecked() async throws {
            try await TestDatabase.withApp { app in
                let signIn = SignInTests()
                try await signIn.makeUser(app)
                let (cookie, token) = try await signIn.loginPage(app)
                let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                    for attempt in 0..<40 {
                        group.addTask {
                            var status: UInt = 0
                            try await signIn.post(app, SiteURL.login.path, cookie: cookie, form: ["_csrf": token, "login": "plan", "password": "wrong \(attempt)"]) { status = $0.status.code }
                            return status
                        }
                    }
                    return try await group.reduce(into: [UInt]()) { $0.append($1) }
                }
                let checked = statuses.filter { $0 == 401 }.count
                #expect(checked <= 5 && checked >= 1, "\(checked) password checks")
                #expect(statuses.filter { $0 == 429 }.count == 40 - checked, "\(statuses)")
                #expect(!statuses.contains { $0 >= 500 })
            }
        }

        @Test func aPasswordResetEndsEverySessionAndToken() async throws {
            try await TestDatabase.withApp { app in
                var fixture = try await StaffFixture.make(app, signIn: false)
                fixture.sessions[.planner] = try await fixture.signIn("planner")
                let planner = try #require(fixture.users[.planner])
                let token = try await APITokens.create(login: "planner", label: "test", actor: "test", on: app.db).token
                #expect(try await fixture.get(SiteURL.admin.path, as: .planner).status == .ok)
                let probe = "/api/v1/staff/sheets/\(UUID().uuidString.lowercased())"
                try await app.testing().test(.PATCH, probe, headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"], body: ByteBuffer(string: "{}")) { response in
                    #expect(response.status != .unauthorized)
                }
                let ended = try await app.db.transaction { db in try await StaffSession.endEverything(for: planner, actor: "test", on: db) }
                #expect(ended.sessions >= 1 && ended.tokens == 1)
                #expect(try await fixture.get(SiteURL.admin.path, as: .planner).status != .ok)
                try await app.testing().test(.PATCH, probe, headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"], body: ByteBuffer(string: "{}")) { response in
                    #expect(response.status == .unauthorized)
                }
            }
        }

        @Test func everyResponseCarriesTheSecurityHeaders() async throws {
            try await TestDatabase.withApp { app in
                for path in ["/", "/programs", "/login", "/admin", "/no-such-page", "/api/v1/municipalities", SiteURL.stylesheet.path] {
                    try await app.testing().test(.GET, path) { response in
                        #expect(response.headers.first(name: "Content-Security-Policy")?.contains("script-src 'self'") == true, "\(path)")
                        #expect(response.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true, "\(path)")
                        #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(path)")
                        #expect(response.headers.first(name: "X-Frame-Options") == "DENY", "\(path)")
                        #expect(response.headers.first(name: "Referrer-Policy") != nil, "\(path)")
                    }
                }
            }
        }

        @Test func downloadsNeutraliseFormulasAndKeepNumbers() async throws {
            for (cell, written) in [("=HYPERLINK(\"http://evil.example\",\"x\")", "'=HYPERLINK(\"http://evil.example\",\"x\")"), ("+3-1", "'+3-1"),
                                    ("@SUM(A1)", "'@SUM(A1)"), ("-2+3", "'-2+3"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("＝1+1", "'＝1+1"),
                                    ("'=1", "''=1"), ("-1200", "-1200"), ("+3.5", "+3.5"), ("事業", "事業"), ("", "")] {
                #expect(WorkbookTable.neutralised(cell) == written, "\(cell.debugDescription)")
            }
            try await TestDatabase.withApp { app in
                var dataset = StaffFixture.dataset()
                let index = try #require(dataset.programs.firstIndex { $0.name == StaffFixture.Place.ownSection.program })
                let name = dataset.programs[index].name
                let hostile = "=HYPERLINK(\"http://evil.example\",\"\(name)\")"
                dataset.programs[index].name = hostile
                dataset.sheets = dataset.sheets.map { var s = $0; if s.program == name { s.program = hostile }; return s }
                dataset.budgets = dataset.budgets.map { var b = $0; if b.program == name { b.program = hostile }; return b }
                try await TestDatabase.store(dataset, in: app)
                try await app.testing().test(.GET, "/programs.csv?m=\(StaffFixture.cityCode)") { response in
                    #expect(response.status == .ok)
                    let text = response.body.string
                    #expect(text.contains("'=HYPERLINK("), "\(text.prefix(600))")
                    #expect(!text.contains(",=HYPERLINK("))
                }
            }
        }

        /// The staff API for another municipality's 施策 said 409 "no cycle open", which told a
        /// planner of one city whether another city had opened its year.
        @Test func anotherMunicipalitysRecordIsForbiddenAndSaysNothingMore() async throws {
            try await TestDatabase.withApp { app in
                _ = try await StaffFixture.make(app, signIn: false)
                var other = Dataset()
                other.plans = [PlanRecord(municipalityCode: StaffFixture.otherCityCode, name: "久留米市総合計画")]
                other.planNodes = [PlanNodeRecord(municipalityCode: StaffFixture.otherCityCode, plan: "久留米市総合計画", code: "1", title: "子育て", level: "施策")]
                try await TestDatabase.store(other, in: app)
                let node = try #require(try await PlanNode.query(on: app.db).filter(\.$code == "1").first()).requireID().uuidString.lowercased()
                let token = try await APITokens.create(login: "planner", label: "test", actor: "test", on: app.db).token
                let path = "/api/v1/staff/plan-nodes/\(node)/evaluation"
                try await app.testing().test(.GET, path, headers: ["Authorization": "Bearer \(token)"]) { response in
                    #expect(response.status == .forbidden, "\(response.body.string)")
                    #expect(!response.body.string.contains("サイクル"))
                }
                try await app.testing().test(.PATCH, path, headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
                                             body: ByteBuffer(string: #"{"version": 0, "fields": {"comment": "x"}}"#)) { response in
                    #expect(response.status == .forbidden, "\(response.body.string)")
                }
            }
        }

        /// A `+` in a name reached links as `+`, which a server reads as a space: the facet
        /// link for 「…課+SUM(1+1)」 found nothing (found by Tests/browser/hostile.py).
        @Test func linksEncodeEveryReservedCharacter() {
            #expect(SiteURL.programs.link([("department", "農林課+SUM(1+1)"), ("q", "a b&c=d#e"), ("page", nil), ("sort", "")])
                    == "/programs?department=%E8%BE%B2%E6%9E%97%E8%AA%B2%2BSUM%281%2B1%29&q=a%20b%26c%3Dd%23e")
            #expect(SiteURL.programs.link([]) == "/programs")
        }

        /// Expensive anonymous work waits for a turn, and beyond the queue gets 503 with
        /// Retry-After at once; what was made is kept for the data version.
        @Test func expensiveDownloadsAreKeptAndBounded() async throws {
            let gate = WorkGate(limit: 1, queueLimit: 1)
            try await gate.enter()
            let waiting = Task { try await gate.enter() }
            try await Task.sleep(for: .milliseconds(50))
            do {
                try await gate.enter()
                Issue.record("a third request joined a full queue")
            } catch let error as Abort {
                #expect(error.status == .serviceUnavailable && error.headers.first(name: "Retry-After") == "10")
            }
            await gate.leave()
            try await waiting.value
            #expect(await gate.load == (1, 0))
            await gate.leave()

            try await TestDatabase.withApp { app in
                try await TestDatabase.store(StaffFixture.dataset(), in: app)
                let bundle = SiteURL.openDataBundle("hyoka-\(StaffFixture.cityCode)-2024.zip").path
                try await app.testing().test(.GET, bundle) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers.first(name: "X-Hyoka-Cache") == nil)
                }
                try await app.testing().test(.GET, bundle) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers.first(name: "X-Hyoka-Cache") == "hit")
                }
                // A full gate: a bundle not made yet is refused at once, with when to come back.
                app.downloadGate = WorkGate(limit: 0, queueLimit: 0)
                for path in [SiteURL.openDataBundle("hyoka-\(StaffFixture.cityCode)-all.zip").path, "/programs.csv?m=\(StaffFixture.cityCode)"] {
                    try await app.testing().test(.GET, path, headers: ["Accept": "text/html"]) { response in
                        #expect(response.status == .serviceUnavailable, "\(path)")
                        #expect(response.headers.first(name: "Retry-After") == "10", "\(path)")
                        #expect(response.body.string.contains("混み合っています"))
                    }
                }
                // What was made before is still served.
                try await app.testing().test(.GET, bundle) { response in
                    #expect(response.status == .ok)
                }
            }
        }

        /// Runs `body` `count` times at once: "ok", or the status of the staff error it threw
        /// (any other error fails the test).
        static func race(_ count: Int, _ body: @escaping @Sendable () async throws -> Void) async throws -> [String] {
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<count {
                    group.addTask {
                        do {
                            try await body()
                            return "ok"
                        } catch let error as StaffError {
                            return "\(error.status.code)"
                        }
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
        }

        /// 20 planners move the same cycle on at once: one transition, one audit row, and
        /// the others are told it moved (409), never an error.
        @Test func concurrentPhaseChangesMoveTheCycleOnce() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app, signIn: false)
                let planner = try #require(fixture.users[.planner])
                let city = try await fixture.municipality(StaffFixture.cityCode)
                let cityID = try city.requireID()
                let opened = try await Self.race(20) {
                    _ = try await CycleService.open(municipalityID: cityID, fiscalYear: 2026, inputDeadline: nil, reviewDeadline: nil, by: planner, on: app.db)
                }
                #expect(opened.filter { $0 == "ok" }.count == 1, "\(opened)")
                #expect(opened.filter { $0 == "409" }.count == 19, "\(opened)")
                let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$fiscalYear == 2026).filter(\.$municipality.$id == city.requireID()).first())
                let cycleID = try cycle.requireID()
                let advanced = try await Self.race(20) {
                    _ = try await CycleService.advance(cycleID, from: .preparation, by: planner, on: app.db)
                }
                #expect(advanced.filter { $0 == "ok" }.count == 1, "\(advanced)")
                #expect(advanced.filter { $0 == "409" }.count == 19, "\(advanced)")
                let phaseRows = try await AuditEntry.query(on: app.db).filter(\.$entity == "cycles").filter(\.$entityID == cycle.requireID())
                    .filter(\.$field == "phase").all()
                #expect(phaseRows.count == 2, "created and one advance: \(phaseRows.map { "\($0.before ?? "nil")→\($0.after ?? "nil")" })")
                #expect(try await Cycle.find(cycle.requireID(), on: app.db)?.phase == CyclePhase.input.rawValue)
            }
        }
    }
}

extension StaffFixture {
    /// Signs the fixture's planner in on a database that already has the fixture's data.
    func signInPlanner(_ app: Application) async throws -> HTTPHeaders {
        let city = try await municipality(Self.cityCode)
        let user = User()
        user.login = "planner"
        user.displayName = "企画の職員"
        user.role = Role.planner.rawValue
        user.passwordHash = try Bcrypt.hash(Self.password, cost: 4)
        user.isDisabled = false
        user.$municipality.id = try city.requireID()
        try await user.create(on: app.db)
        let session = try await signIn("planner")
        return ["Cookie": session.cookie, "Accept": "text/html"]
    }
}

/// The sheet PDF is printed by Chromium from a local file. A page that carried markup by
/// mistake must still not read a file into the PDF, run a script or reach the network.
@Suite(.enabled(if: ChromiumPDF.locate() != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext")))
struct PDFConfinementTests {
    func text(of pdf: Data) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-pdftext-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.pdf"), output = directory.appendingPathComponent("out.txt")
        try pdf.write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        process.arguments = ["-layout", input.path, output.path]
        try process.run()
        process.waitUntilExit()
        return try String(contentsOf: output, encoding: .utf8)
    }

    @Test func aPageWithFramesScriptsAndFileLinksPrintsOnlyItself() async throws {
        let chromium = try #require(ChromiumPDF.locate())
        let html = """
            <!DOCTYPE html><html><head><meta charset="UTF-8"><title>t</title></head><body>
            <p>評価シート本文 SHEET-TEXT</p>
            <iframe src="file:///etc/passwd" width="800" height="400"></iframe>
            <object data="file:///etc/hostname" width="800" height="200"></object>
            <embed src="file:///etc/passwd" width="800" height="200">
            <script>document.write('SCRIPT-' + 'RAN')</script>
            <img src="file:///usr/share/pixmaps/debian-logo.png">
            <img src="http://127.0.0.1:9/beacon.png">
            </body></html>
            """
        let pdf = try await chromium.render(html: html)
        let text = try text(of: pdf)
        #expect(text.contains("SHEET-TEXT"), "the page itself is printed: \(text)")
        #expect(!text.contains("root:"), "a file was read into the PDF: \(text)")
        #expect(!text.contains("SCRIPT-RAN"), "a script ran: \(text)")
    }
}

extension DatabaseTests.SecurityTests {
    /// A NUL in a form field, a JSON body or a login is refused with a 4xx naming what to do,
    /// on both engines (PostgreSQL refuses the character; the save was a server error).
    @Test func aNulCharacterIsRefusedNotAServerError() async throws {
        try await TestDatabase.withApp { app in
            let fixture = try await StaffFixture.make(app)
            try await fixture.openInput()
            let sheet = try await fixture.sheet(.ownSection, year: 2025)
            let indicator = try await fixture.indicator(.ownSection).requireID().uuidString
            let saved = try await fixture.post(SiteURL.adminSheet(try sheet.requireID()).path, as: .editor,
                                               ["version": String(sheet.version), "actual.\(indicator)": "x\u{0}y", "comment": "NUL"])
            #expect(saved.status == .unprocessableEntity && saved.body.contains("制御文字"), "\(saved.status)")
            let token = try await APITokens.create(login: "editor", label: "nul", actor: "test", on: app.db).token
            var status: HTTPResponseStatus = .ok
            try await app.testing().test(.PATCH, "/api/v1/staff/sheets/\(try sheet.requireID().uuidString.lowercased())",
                                         headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
                                         body: ByteBuffer(string: #"{"version": 0, "comment": "a\u0000b"}"#)) { status = $0.status }
            #expect(status == .unprocessableEntity)
            try await app.testing().test(.POST, SiteURL.login.path, headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: "login=edi%00tor&password=x")) { response in
                #expect(response.status.code < 500, "\(response.status)")
            }
        }
    }
}
