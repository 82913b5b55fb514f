import Fluent
import Foundation
import HyokaCore
import Testing
import Vapor
import VaporTesting
@testable import HyokaApp

extension DatabaseTests {
    /// The yearly cycle through the staff routes: opening a year, editing, the steps,
    /// publishing, conflicting saves and the audit trail.
    @Suite struct StaffWorkflowTests {
        typealias Place = StaffFixture.Place

        @Test func openingACycleCarriesLastYearForward() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                try await fixture.openInput()
                let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$fiscalYear == 2025).first())
                #expect(cycle.phase == CyclePhase.input.rawValue)
                #expect(StaffForm.day(cycle.inputDeadline) == "2025-06-30")
                // The city's three programs, not the other city's.
                let sheets = try await SheetStatus.query(on: app.db).filter(\.$cycle.$id == cycle.requireID()).all()
                #expect(sheets.count == 3)
                #expect(sheets.allSatisfy { $0.status == SheetState.draft.rawValue && $0.version == 0 })
                // Each KPI has a 2025 value holding last year's target and no actual.
                let indicator = try await fixture.indicator(.ownSection)
                let value = try #require(try await IndicatorValue.query(on: app.db).filter(\.$indicator.$id == indicator.requireID()).filter(\.$fiscalYear == 2025).first())
                #expect(value.targetRaw == "200" && value.actualRaw == "")
                // Opening the same year again is refused; the other city's planner-less data is untouched.
                #expect(try await fixture.post(SiteURL.adminCycles.path, as: .planner, ["fiscalYear": "2025"]).status == .conflict)
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entity == "sheets").filter(\.$field == "*").filter(\.$source == "form").count() == 3)
            }
        }

        @Test func editSubmitReturnResubmitApproveFinalizePublish() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                try await fixture.openInput()
                let sheet = try await fixture.sheet(.ownSection, year: 2025)
                let sheetID = try sheet.requireID()
                let indicatorID = try await fixture.indicator(.ownSection).requireID()
                let key = "actual.\(indicatorID.uuidString)"

                // The editor sees the form with the carried target.
                let form = try await fixture.get(SiteURL.adminSheet(sheetID).path, as: .editor)
                #expect(form.status == .ok)
                #expect(form.body.contains("name=\"target.\(indicatorID.uuidString)\"") && form.body.contains("value=\"200\""))

                // Invalid input: a message next to the field and nothing saved.
                let invalid = try await fixture.post(SiteURL.adminSheet(sheetID).path, as: .editor, ["version": "0", key: "190", "budget": "たくさん"])
                #expect(invalid.status == .unprocessableEntity)
                #expect(invalid.body.contains("千円単位の金額で書いてください"))
                #expect(try await IndicatorValue.query(on: app.db).filter(\.$indicator.$id == indicatorID).filter(\.$fiscalYear == 2025).first()?.actualRaw == "")

                // A valid save: the rate shows on the page, computed by HyokaCore (190 / 200).
                let saved = try await fixture.post(SiteURL.adminSheet(sheetID).path, as: .editor,
                                                   ["version": "0", "target.\(indicatorID.uuidString)": "200", key: "190", "budget": "4,221", "grade": "概ね順調", "direction": "継続",
                                                    "comment": "利用者は目標に近づいた"])
                #expect(saved.status == .seeOther)
                let afterSave = try await fixture.get(SiteURL.adminSheet(sheetID).path, as: .editor)
                #expect(afterSave.body.contains("95.0%"))
                #expect(try await BudgetLine.query(on: app.db).filter(\.$program.$id == sheet.$program.id).filter(\.$fiscalYear == 2025).first()?.budgetYen == 4_221_000)
                // The live rate endpoint answers the same for what is typed.
                let live = try await fixture.get(SiteURL.adminSheetRates(sheetID).path + "?\(key)=150&target.\(indicatorID.uuidString)=200", as: .editor)
                #expect(live.body.contains("75.0%") && live.body.contains("やや遅れ"))

                // Submit, then the approver returns it: a reason is required.
                #expect(try await fixture.post(SiteURL.adminSheetStep(sheetID, "submit").path, as: .editor, ["version": "1"]).status == .seeOther)
                #expect(try await fixture.post(SiteURL.adminSheetStep(sheetID, "return").path, as: .approver, ["version": "2", "reason": " "]).status == .unprocessableEntity)
                #expect(try await fixture.post(SiteURL.adminSheetStep(sheetID, "return").path, as: .approver, ["version": "2", "reason": "実績の根拠を追記してください"]).status == .seeOther)
                let returned = try await fixture.get(SiteURL.adminSheet(sheetID).path, as: .editor)
                #expect(returned.body.contains("差し戻されました") && returned.body.contains("実績の根拠を追記してください"))

                // Resubmit after an edit, approve.
                #expect(try await fixture.post(SiteURL.adminSheet(sheetID).path, as: .editor,
                                               ["version": "3", "target.\(indicatorID.uuidString)": "200", key: "231.5", "budget": "4,221", "grade": "大変順調", "direction": "継続",
                                                "comment": "目標を上回った"]).status == .seeOther)
                #expect(try await fixture.post(SiteURL.adminSheetStep(sheetID, "submit").path, as: .editor, ["version": "4"]).status == .seeOther)
                // The editor cannot approve their own sheet.
                #expect(try await fixture.post(SiteURL.adminSheetStep(sheetID, "approve").path, as: .editor, ["version": "5"]).status == .forbidden)
                #expect(try await fixture.post(SiteURL.adminSheetStep(sheetID, "approve").path, as: .approver, ["version": "5"]).status == .seeOther)

                // Not public before publishing.
                let city = try await fixture.municipality(StaffFixture.cityCode)
                let programID = try sheet.$program.id
                let publicPath = SiteURL.program(programID).link([("m", StaffFixture.cityCode), ("year", "2025")])
                #expect(try await fixture.get(publicPath).body.contains("231.5") == false)
                #expect(try await PublicCatalog(db: app.db).publishedProgramIDs(city, year: 2025).isEmpty)

                // Finalizing waits for every sheet; the planner approves the rest through the same route.
                let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$fiscalYear == 2025).first())
                #expect(try await fixture.post(SiteURL.adminCycleAdvance(cycle.requireID()).path, as: .planner, ["from": "input"]).status == .seeOther)
                let refused = try await fixture.post(SiteURL.adminCycleAdvance(cycle.requireID()).path, as: .planner, ["from": "review"])
                #expect(refused.status == .conflict && refused.body.contains("承認されていないシートが2件あります"))
                for place in [Place.sameBureau, .otherBureau] {
                    let other = try await fixture.sheet(place, year: 2025)
                    let otherIndicator = try await fixture.indicator(place).requireID()
                    #expect(try await fixture.post(SiteURL.adminSheetStep(other.requireID(), "submit").path, as: .planner,
                                                   ["version": "0", "actual.\(otherIndicator.uuidString)": "180", "grade": "順調", "direction": "継続", "comment": "計画どおり"]).status == .seeOther)
                    #expect(try await fixture.post(SiteURL.adminSheetStep(other.requireID(), "approve").path, as: .planner, ["version": "2"]).status == .seeOther)
                }
                #expect(try await fixture.post(SiteURL.adminCycleAdvance(cycle.requireID()).path, as: .planner, ["from": "review"]).status == .seeOther)
                // A stale button (the phase it names has passed) does not skip a phase.
                #expect(try await fixture.post(SiteURL.adminCycleAdvance(cycle.requireID()).path, as: .planner, ["from": "review"]).status == .conflict)
                #expect(try await fixture.get(publicPath).body.contains("231.5") == false)
                #expect(try await fixture.post(SiteURL.adminCycleAdvance(cycle.requireID()).path, as: .planner, ["from": "finalized", "confirm": "1"]).status == .seeOther)

                // Published: the public sheet shows the new actual and the grade.
                let published = try await fixture.get(publicPath)
                #expect(published.status == .ok)
                let rate = AchievementRate.format(AchievementRate.rate(target: 200, actual: Decimal(string: "231.5")!, direction: .higherIsBetter))
                #expect(published.body.contains("231.5") && published.body.contains(rate) && published.body.contains("目標を上回った"))
                #expect(try await fixture.sheet(.ownSection, year: 2025).status == SheetState.published.rawValue)

                // The history lists every step with who did it.
                let history = try await fixture.get(SiteURL.adminSheetHistory(sheetID).path, as: .editor)
                // People by name and fields by their labels, amounts in 千円: no database names.
                #expect(!history.body.contains("actual_raw") && !history.body.contains("budget_yen") && history.body.contains("予算額（千円）") && history.body.contains("4,221"))
                #expect(history.body.contains("実績の根拠を追記してください") && history.body.contains("承認者（部局長）の職員") && history.body.contains("実績値"))
            }
        }

        @Test func twoHundredConcurrentConflictingSavesLoseNothing() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                try await fixture.openInput()
                let sheetID = try await fixture.sheet(.ownSection, year: 2025).requireID()
                let indicatorID = try await fixture.indicator(.ownSection).requireID()
                let session = try #require(fixture.sessions[.editor])
                // 200 saves, all based on version 0, each with its own actual.
                let statuses = try await withThrowingTaskGroup(of: (Int, HTTPResponseStatus).self) { group in
                    for n in 1...200 {
                        group.addTask {
                            var status = HTTPResponseStatus.ok
                            try await fixture.post(SiteURL.adminSheet(sheetID).path, session,
                                                   ["version": "0", "target.\(indicatorID.uuidString)": "200", "actual.\(indicatorID.uuidString)": String(n)]) { status = $0.status }
                            return (n, status)
                        }
                    }
                    return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
                }
                let winners = statuses.filter { $0.value == .seeOther }.map(\.key)
                #expect(winners.count == 1, "exactly one save based on version 0 wins")
                #expect(statuses.filter { $0.value == .conflict }.count == 199, "every other save is refused as a conflict: \(Set(statuses.values))")
                // The stored value is the winner's, the sheet moved exactly one version, and
                // the audit trail has exactly one change of the actual.
                let value = try #require(try await IndicatorValue.query(on: app.db).filter(\.$indicator.$id == indicatorID).filter(\.$fiscalYear == 2025).first())
                #expect(winners.first.map(String.init) == value.actualRaw)
                #expect(try await SheetStatus.find(sheetID, on: app.db)?.version == 1)
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityID == value.requireID()).filter(\.$field == "actual_raw").count() == 1)

                // A refused save shows what changed meanwhile, and keeps what was typed.
                let stale = try await fixture.post(SiteURL.adminSheet(sheetID).path, as: .editor,
                                                   ["version": "0", "target.\(indicatorID.uuidString)": "200", "actual.\(indicatorID.uuidString)": "999"])
                #expect(stale.status == .conflict)
                #expect(stale.body.contains("ほかの人が先に変更しました") && stale.body.contains("value=\"999\"") && stale.body.contains("実績値") && !stale.body.contains("actual_raw"))
                #expect(stale.body.contains("name=\"version\" value=\"1\""), "the form now carries the current version")
            }
        }

        @Test func auditEntriesRecordEveryChangeAndCannotBeRewritten() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                try await fixture.openInput()
                let sheet = try await fixture.sheet(.ownSection, year: 2025)
                let indicatorID = try await fixture.indicator(.ownSection).requireID()
                #expect(try await fixture.post(SiteURL.adminSheet(sheet.requireID()).path, as: .editor,
                                               ["version": "0", "target.\(indicatorID.uuidString)": "200", "actual.\(indicatorID.uuidString)": "177", "comment": "順調に推移"]).status == .seeOther)
                let editor = try #require(fixture.users[.editor])
                let actual = try #require(try await AuditEntry.query(on: app.db).filter(\.$field == "actual_raw").filter(\.$source == "form").first())
                #expect(actual.actor == "editor" && actual.$user.id == editor.id && actual.before == "" && actual.after == "177")
                #expect(actual.entity == "indicator_values" && actual.entityLabel == "利用者数 2025")
                let comment = try #require(try await AuditEntry.query(on: app.db).filter(\.$field == "comment").first())
                #expect(comment.before == nil && comment.after == "順調に推移")
                // Imports are audited too (the fixture's data came in as an import).
                #expect(try await AuditEntry.query(on: app.db).filter(\.$source == "import").count() > 0)

                // The database refuses to change or delete an entry, on either engine.
                let count = try await AuditEntry.query(on: app.db).count()
                actual.after = "1"
                await #expect(throws: (any Error).self) { try await actual.save(on: app.db) }
                await #expect(throws: (any Error).self) { try await AuditEntry.query(on: app.db).filter(\.$field == "actual_raw").delete() }
                await #expect(throws: (any Error).self) { try await AuditEntry.query(on: app.db).set(\.$actor, to: "someone").update() }
                #expect(try await AuditEntry.query(on: app.db).count() == count)
                #expect(try await AuditEntry.query(on: app.db).filter(\.$field == "actual_raw").filter(\.$source == "form").first()?.after == "177")
            }
        }
    }
}
