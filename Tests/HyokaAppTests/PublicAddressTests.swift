import Fluent
import Foundation
import HyokaCore
import HyokaImport
import Testing
import Vapor
import VaporTesting
@testable import HyokaApp

extension DatabaseTests {
    /// Issue 16, first steps: a program's address needs no query, and writes that change
    /// nothing public leave the kept pages as they are.
    @Suite struct PublicAddressTests {
        @Test func aProgramAnswersAtItsBareAddress() async throws {
            try await TestDatabase.withApp { app in
                try await TestDatabase.store(StaffFixture.dataset(), in: app)
                // 久留米市's program: not the first municipality, so ?m= used to be needed.
                let program = try #require(try await Program.query(on: app.db).filter(\.$name == StaffFixture.Place.otherMunicipality.program).first())
                try await app.testing().test(.GET, SiteURL.program(try program.requireID()).path) { response in
                    #expect(response.status == .ok)
                    #expect(response.body.string.contains(StaffFixture.Place.otherMunicipality.program))
                    #expect(response.body.string.contains("久留米市"))
                }
                // A year it was not published in is still refused, and an unknown id too.
                try await app.testing().test(.GET, SiteURL.program(try program.requireID()).link([("year", "2019")])) { response in
                    #expect(response.status == .notFound)
                }
                try await app.testing().test(.GET, SiteURL.program(UUID()).path) { response in
                    #expect(response.status == .notFound)
                }
            }
        }

        @Test func accountsAndTokensLeaveKeptPagesAsTheyAre() async throws {
            try await TestDatabase.withApp { app in
                var fixture = try await StaffFixture.make(app, signIn: false)
                for role in [Role.planner, .editor] { fixture.sessions[role] = try await fixture.signIn(role.rawValue) }
                let path = "/programs?m=\(StaffFixture.cityCode)"
                var etag = ""
                try await app.testing().test(.GET, path) { response in
                    etag = response.headers.first(name: .eTag) ?? ""
                    #expect(etag.hasPrefix("W/\""))
                    #expect(response.headers.first(name: .cacheControl) == "public, no-cache")
                }
                try await app.testing().test(.GET, path) { response in
                    #expect(response.headers.first(name: "X-Hyoka-Cache") == "hit")
                    #expect(response.headers.first(name: .eTag) == etag)
                }
                // A browser that holds the page is told it has not changed.
                try await app.testing().test(.GET, path, headers: ["If-None-Match": etag]) { response in
                    #expect(response.status == .notModified)
                    #expect(response.body.readableBytes == 0)
                }
                // A token and an account, audited as the commands do, written behind the
                // server's back (the clock reads the version again after a second).
                _ = try await APITokens.create(login: "planner", label: "integration", actor: "hyoka token create", on: app.db)
                let planner = try #require(fixture.users[.planner])
                try await Audit(actor: "hyoka user add", userID: nil, source: "command").record(
                    on: app.db, municipalityID: planner.$municipality.id, entity: "users", id: planner.id, label: "planner",
                    [.init(field: "*", before: nil, after: "created")])
                try await Task.sleep(for: .milliseconds(1_100))
                try await app.testing().test(.GET, path) { response in
                    #expect(response.headers.first(name: "X-Hyoka-Cache") == "hit", "an account or a token made the portal render anew")
                    #expect(response.headers.first(name: .eTag) == etag)
                }
                // A day of draft saves in the 入力 phase leaves them too; publishing does not.
                try await fixture.openInput()
                try await app.testing().test(.GET, path) { _ in }
                let sheet = try await fixture.sheet(.ownSection, year: 2025)
                let indicator = try await fixture.indicator(.ownSection).requireID().uuidString
                let saved = try await fixture.post(SiteURL.adminSheet(try sheet.requireID()).path, as: .editor,
                                                   ["version": String(sheet.version), "actual.\(indicator)": "190", "comment": "下書き"])
                #expect(saved.status == .seeOther, "\(saved.body.prefix(300))")
                try await app.testing().test(.GET, path) { response in
                    #expect(response.headers.first(name: "X-Hyoka-Cache") == "hit", "a draft save made the portal render anew")
                }
                // A change the public sees does move it.
                var more = Dataset()
                more.programs = [ProgramRecord(municipalityCode: StaffFixture.cityCode, name: "新しい公開事業", summary: "追加")]
                more.sheets = [SheetRecord(municipalityCode: StaffFixture.cityCode, fiscalYear: 2024, program: "新しい公開事業", status: .published)]
                try await TestDatabase.storeBehindTheServer(more, in: app)
                try await Task.sleep(for: .milliseconds(1_100))
                try await app.testing().test(.GET, path, headers: ["If-None-Match": etag]) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers.first(name: "X-Hyoka-Cache") == nil)
                    #expect(response.headers.first(name: .eTag) != etag)
                    #expect(response.body.string.contains("新しい公開事業"))
                }
            }
        }
    }
}
