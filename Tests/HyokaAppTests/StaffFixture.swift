import Fluent
import Foundation
import HyokaCore
import HyokaImport
import Testing
import Vapor
import VaporTesting
@testable import HyokaApp

/// A small city for staff tests: one bureau (局) with two sections (課), another bureau with
/// one section, and a second city. Each section has one program with one KPI and a
/// published FY2024 sheet; the second city has one too. One account per role, signed in
/// through `/login` like a browser.
struct StaffFixture {
    static let cityCode = "401005", otherCityCode = "402036"
    static let password = "correct horse battery"

    /// Where a record sits relative to an editor of 子育て支援課 and an approver of こども局.
    enum Place: String, CaseIterable, Sendable {
        case ownSection, sameBureau, otherBureau, otherMunicipality

        var program: String {
            switch self {
            case .ownSection: "子育て応援事業"
            case .sameBureau: "保育所整備事業"
            case .otherBureau: "道路維持事業"
            case .otherMunicipality: "他市の事業"
            }
        }
    }

    struct Session {
        var cookie: String
        var csrf: String
        var headers: HTTPHeaders {
            ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"]
        }
    }

    let app: Application
    var users: [Role: User] = [:]
    var sessions: [Role: Session] = [:]

    static func dataset() -> Dataset {
        var d = Dataset()
        d.municipalities = [MunicipalityRecord(code: cityCode, name: "北九州市", prefecture: "福岡県"),
                            MunicipalityRecord(code: otherCityCode, name: "久留米市", prefecture: "福岡県")]
        d.departments = [
            DepartmentRecord(municipalityCode: cityCode, name: "こども局", level: .bureau),
            DepartmentRecord(municipalityCode: cityCode, name: "子育て支援課", parentName: "こども局", level: .section),
            DepartmentRecord(municipalityCode: cityCode, name: "保育課", parentName: "こども局", level: .section),
            DepartmentRecord(municipalityCode: cityCode, name: "建設局", level: .bureau),
            DepartmentRecord(municipalityCode: cityCode, name: "道路課", parentName: "建設局", level: .section),
            DepartmentRecord(municipalityCode: otherCityCode, name: "市民課", level: .section),
        ]
        let programs: [(Place, String, String)] = [(.ownSection, cityCode, "子育て支援課"), (.sameBureau, cityCode, "保育課"),
                                                   (.otherBureau, cityCode, "道路課"), (.otherMunicipality, otherCityCode, "市民課")]
        for (place, code, department) in programs {
            d.programs.append(ProgramRecord(municipalityCode: code, name: place.program, department: department, summary: "\(place.program)の概要"))
            d.indicators.append(IndicatorRecord(municipalityCode: code, owner: .program(name: place.program), name: "利用者数",
                                                direction: .higherIsBetter, directionSource: .stated))
            var value = IndicatorValueRecord(municipalityCode: code, owner: .program(name: place.program), indicatorName: "利用者数", fiscalYear: 2024)
            value.targetRaw = "200"
            value.actualRaw = "180"
            d.indicatorValues.append(value)
            d.sheets.append(SheetRecord(municipalityCode: code, fiscalYear: 2024, program: place.program, status: .published))
        }
        d.cycles = [CycleRecord(municipalityCode: cityCode, fiscalYear: 2024, phase: .published),
                    CycleRecord(municipalityCode: otherCityCode, fiscalYear: 2024, phase: .published)]
        return d
    }

    /// Stores the city and makes one account per role (editor of 子育て支援課, approver of
    /// こども局, planner, reviewer, admin), signed in.
    static func make(_ app: Application, signIn: Bool = true) async throws -> StaffFixture {
        try await TestDatabase.store(dataset(), in: app)
        var fixture = StaffFixture(app: app)
        let city = try await fixture.municipality(cityCode)
        let accounts: [(Role, String?)] = [(.editor, "子育て支援課"), (.approver, "こども局"), (.planner, nil), (.reviewer, nil), (.admin, nil)]
        for (role, department) in accounts {
            let user = User()
            user.login = role.rawValue
            user.displayName = "\(role.japanese)の職員"
            user.role = role.rawValue
            user.passwordHash = try Bcrypt.hash(password, cost: 4)
            user.isDisabled = false
            user.$municipality.id = role == .admin ? nil : try city.requireID()
            if let department { user.$department.id = try await fixture.department(department).requireID() }
            try await user.create(on: app.db)
            fixture.users[role] = user
            if signIn { fixture.sessions[role] = try await fixture.signIn(role.rawValue) }
        }
        return fixture
    }

    func municipality(_ code: String) async throws -> Municipality {
        try #require(try await Municipality.query(on: app.db).filter(\.$code == code).first())
    }

    func department(_ name: String) async throws -> Department {
        try #require(try await Department.query(on: app.db).filter(\.$name == name).first())
    }

    func program(_ place: Place) async throws -> Program {
        try #require(try await Program.query(on: app.db).filter(\.$name == place.program).first())
    }

    func indicator(_ place: Place) async throws -> Indicator {
        let programID = try await program(place).requireID()
        return try #require(try await Indicator.query(on: app.db).filter(\.$program.$id == programID).first())
    }

    /// The sheet of a program in the cycle of `year`.
    func sheet(_ place: Place, year: Int) async throws -> SheetStatus {
        let program = try await program(place)
        let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$municipality.$id == program.$municipality.id).filter(\.$fiscalYear == year).first())
        return try #require(try await SheetStatus.query(on: app.db).filter(\.$cycle.$id == cycle.requireID()).filter(\.$program.$id == program.requireID()).first())
    }

    func signIn(_ login: String) async throws -> Session {
        var cookie = "", token = ""
        try await app.testing().test(.GET, SiteURL.login.path) { response in
            cookie = String((response.headers.first(name: .setCookie) ?? "").split(separator: ";")[0])
            token = try #require(response.body.string.firstMatch(of: /name="_csrf" value="([0-9a-f]{64})"/)).1.description
        }
        var signedIn = ""
        try await post(SiteURL.login.path, Session(cookie: cookie, csrf: token), ["login": login, "password": Self.password]) { response in
            #expect(response.status == .seeOther, "sign-in of \(login)")
            signedIn = String((response.headers.first(name: .setCookie) ?? "").split(separator: ";")[0])
        }
        var csrf = ""
        try await app.testing().test(.GET, SiteURL.admin.path, headers: ["Cookie": signedIn]) { response in
            csrf = try #require(response.body.string.firstMatch(of: /name="_csrf" value="([0-9a-f]{64})"/)).1.description
        }
        return Session(cookie: signedIn, csrf: csrf)
    }

    static func encode(_ form: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return form.map { "\($0.key.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&")
    }

    /// A form post with the session's token added.
    func post(_ path: String, _ session: Session, _ form: [String: String], check: (TestingHTTPResponse) throws -> Void) async throws {
        var form = form
        form["_csrf"] = session.csrf
        try await app.testing().test(.POST, path, headers: session.headers, body: ByteBuffer(string: Self.encode(form))) { try check($0) }
    }

    func post(_ path: String, as role: Role, _ form: [String: String] = [:]) async throws -> (status: HTTPResponseStatus, body: String) {
        var result: (HTTPResponseStatus, String) = (.ok, "")
        try await post(path, try #require(sessions[role]), form) { result = ($0.status, $0.body.string) }
        return result
    }

    func get(_ path: String, as role: Role? = nil) async throws -> (status: HTTPResponseStatus, body: String) {
        var result: (HTTPResponseStatus, String) = (.ok, "")
        let headers: HTTPHeaders = role.flatMap { sessions[$0] }.map { ["Cookie": $0.cookie, "Accept": "text/html"] } ?? ["Accept": "text/html"]
        try await app.testing().test(.GET, path, headers: headers) { result = ($0.status, $0.body.string) }
        return result
    }

    /// Opens FY2025 for the city as the planner and moves it to 入力.
    func openInput() async throws {
        #expect(try await post(SiteURL.adminCycles.path, as: .planner, ["fiscalYear": "2025", "inputDeadline": "2025-06-30"]).status == .seeOther)
        let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$fiscalYear == 2025).first())
        #expect(try await post(SiteURL.adminCycleAdvance(cycle.requireID()).path, as: .planner, ["from": "preparation"]).status == .seeOther)
    }
}
