import Fluent
import Foundation
import HyokaCore
import HyokaImport
import Testing
import Vapor
import VaporTesting
@testable import HyokaApp

extension DatabaseTests {
    /// The progress board and the sheet list of a planner: several open years, overdue by
    /// phase and deadline, sections grouped by bureau with totals, filters and pages.
    @Suite struct StaffBoardTests {
        @Test func theBoardShowsEveryOpenYearGroupedByBureauWithOverdueByPhase() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                // FY2025 in 入力 with its input deadline passed; FY2026 opened in 準備 with a
                // past deadline too (nothing is due in 準備).
                #expect(try await fixture.post(SiteURL.adminCycles.path, as: .planner, ["fiscalYear": "2025", "inputDeadline": "2025-06-30", "reviewDeadline": "2025-07-31"]).status == .seeOther)
                let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$fiscalYear == 2025).first())
                #expect(try await fixture.post(SiteURL.adminCycleAdvance(cycle.requireID()).path, as: .planner, ["from": "preparation"]).status == .seeOther)
                #expect(try await fixture.post(SiteURL.adminCycles.path, as: .planner, ["fiscalYear": "2026", "inputDeadline": "2025-06-30"]).status == .seeOther)

                let board = try await fixture.get(SiteURL.admin.path, as: .planner).body
                #expect(board.contains("id=\"progress-2025\"") && board.contains("id=\"progress-2026\""))
                let fy2025 = try #require(board.range(of: "id=\"progress-2025\"")), fy2026 = try #require(board.range(of: "id=\"progress-2026\""))
                // The latest year first.
                #expect(fy2026.lowerBound < fy2025.lowerBound)
                let section2026 = String(board[fy2026.lowerBound..<fy2025.lowerBound])
                let section2025 = String(board[fy2025.lowerBound...])
                // 入力 past its deadline: the three draft sheets are overdue; 準備: none.
                #expect(section2025.contains("3件 超過"))
                #expect(!section2026.contains("超過</td>") && !section2026.contains("件 超過"))
                // Bureaus as row groups, a subtotal for a bureau of two sections, a total.
                #expect(board.contains("scope=\"rowgroup\"") && board.contains(">こども局<") && board.contains("こども局　計") && board.contains(">合計<"))
                #expect(board.contains("期限超過") && board.contains("点検エラー"))
                // The sheet list offers both open years and shows the one asked for.
                let list = try await fixture.get(SiteURL.adminSheets.path + "?year=2025", as: .planner).body
                #expect(list.contains("令和7年度") && list.contains("aria-current=\"true\"") && list.contains("3件"))
                #expect(list.contains("期限超過"))
            }
        }

        @Test func theListFiltersBySectionStateAndTextAndPagesALargeCity() async throws {
            try await TestDatabase.withApp { app in
                var d = StaffFixture.dataset()
                for n in 1...130 {
                    let name = String(format: "保育支援事業%03d", n)
                    d.programs.append(ProgramRecord(municipalityCode: StaffFixture.cityCode, name: name, number: String(format: "H%03d", n), department: "保育課"))
                }
                try await TestDatabase.store(d, in: app)
                var fixture = StaffFixture(app: app)
                for (role, department) in [(Role.planner, nil), (.editor, "子育て支援課")] as [(Role, String?)] {
                    let user = User()
                    user.login = role.rawValue
                    user.displayName = "\(role.japanese)の職員"
                    user.role = role.rawValue
                    user.passwordHash = try Bcrypt.hash(StaffFixture.password, cost: 4)
                    user.isDisabled = false
                    user.$municipality.id = try await fixture.municipality(StaffFixture.cityCode).requireID()
                    if let department { user.$department.id = try await fixture.department(department).requireID() }
                    try await user.create(on: app.db)
                    fixture.sessions[role] = try await fixture.signIn(role.rawValue)
                }
                try await fixture.openInput()

                // 133 sheets: two pages of 100.
                let first = try await fixture.get(SiteURL.adminSheets.path, as: .planner).body
                #expect(first.contains("133件（1 / 2ページ）"))
                #expect(first.components(separatedBy: "href=\"/admin/sheets/").count - 1 == 100)
                let second = try await fixture.get(SiteURL.adminSheets.path + "?page=2", as: .planner).body
                #expect(second.components(separatedBy: "href=\"/admin/sheets/").count - 1 == 33)
                // By section, by text, by state.
                let nursery = try await fixture.department("保育課").requireID().uuidString.lowercased()
                #expect(try await fixture.get(SiteURL.adminSheets.path + "?department=\(nursery)", as: .planner).body.contains("131件"))
                let text = try await fixture.get(SiteURL.adminSheets.path + "?q=%E4%BF%9D%E8%82%B2%E6%94%AF%E6%8F%B4%E4%BA%8B%E6%A5%AD012", as: .planner).body
                #expect(text.contains("1件") && text.contains("保育支援事業012"))
                #expect(try await fixture.get(SiteURL.adminSheets.path + "?state=submitted", as: .planner).body.contains("条件に合うシートはありません"))
                // An editor sees their own section only, whatever the filter asks.
                let own = try await fixture.get(SiteURL.adminSheets.path + "?department=\(nursery)", as: .editor).body
                #expect(own.contains("条件に合うシートはありません"))
                let editorList = try await fixture.get(SiteURL.adminSheets.path, as: .editor).body
                #expect(editorList.contains("1件") && editorList.contains(StaffFixture.Place.ownSection.program))
            }
        }
    }
}
