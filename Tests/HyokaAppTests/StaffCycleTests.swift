import Fluent
import Foundation
import HyokaCore
import HyokaImport
import Testing
import Vapor
import VaporTesting
@testable import HyokaApp

extension DatabaseTests {
    /// The cycle as a 行政経営課 runs it: refused forms keep their input, a new year carries
    /// every running program, phases go back with a reason, publication is confirmed after the
    /// checks and gated by their errors, and published sheets are corrected publicly.
    @Suite struct StaffCycleTests {
        typealias Place = StaffFixture.Place

        @Test func aRefusedCycleFormShowsTheStaffPageWithTheInputKept() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                let refused = try await fixture.post(SiteURL.adminCycles.path, as: .planner,
                                                     ["fiscalYear": "2025", "inputDeadline": "2025-07-31", "reviewDeadline": "2025-06-30"])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.contains("id=\"cycle-error\"") && refused.body.contains("審査の期限は入力の期限より後にしてください"))
                #expect(refused.body.contains("value=\"2025-07-31\"") && refused.body.contains("value=\"2025-06-30\""))
                #expect(!refused.body.contains("エラーが発生しました"))
                #expect(try await Cycle.query(on: app.db).filter(\.$fiscalYear == 2025).count() == 0)

                // Opened: the page says so, with the number of sheets created.
                let opened = try await fixture.post(SiteURL.adminCycles.path, as: .planner, ["fiscalYear": "2025", "inputDeadline": "2025-06-30"])
                #expect(opened.status == .seeOther)
                let page = try await fixture.get(SiteURL.adminCycles.path + "?notice=opened&year=2025&sheets=3", as: .planner)
                #expect(page.body.contains("シートを3件作成しました"))
                // Deadlines in the wrong order on an existing cycle: the same.
                let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$fiscalYear == 2025).first())
                let deadlines = try await fixture.post(SiteURL.adminCycleDeadlines(cycle.requireID()).path, as: .planner,
                                                       ["inputDeadline": "2025-09-30", "reviewDeadline": "2025-08-01"])
                #expect(deadlines.status == .unprocessableEntity && deadlines.body.contains("value=\"2025-09-30\"") && deadlines.body.contains("id=\"cycle-error\""))
                let bad = try await fixture.post(SiteURL.adminCycleDeadlines(cycle.requireID()).path, as: .planner, ["inputDeadline": "来週"])
                #expect(bad.status == .unprocessableEntity && bad.body.contains("日付は 2026-06-30 の形で入力してください"))
            }
        }

        @Test func openingAYearCarriesEveryRunningProgramNotOnlyLastCyclesSheets() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                // The FY2024 cycle holds one of the city's three programs (a pilot).
                let cycle2024 = try #require(try await Cycle.query(on: app.db).filter(\.$fiscalYear == 2024)
                    .filter(\.$municipality.$id == fixture.municipality(StaffFixture.cityCode).requireID()).first())
                for place in [Place.sameBureau, .otherBureau] {
                    try await SheetStatus.query(on: app.db).filter(\.$cycle.$id == cycle2024.requireID())
                        .filter(\.$program.$id == fixture.program(place).requireID()).delete()
                }
                // A program that ended before 2025 is left out.
                let ended = try await fixture.program(.otherBureau)
                ended.endFiscalYear = 2024
                try await ended.save(on: app.db)
                try await fixture.openInput()
                let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$fiscalYear == 2025).first())
                let sheets = try await SheetStatus.query(on: app.db).filter(\.$cycle.$id == cycle.requireID()).all()
                #expect(Set(sheets.map(\.$program.id)) == Set([try await fixture.program(.ownSection).requireID(), try await fixture.program(.sameBureau).requireID()]))
            }
        }

        @Test func aKPIWhoseLastValueIsOlderThanLastYearCarriesThatTarget() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                // The same-bureau KPI was last measured in FY2022 (a survey every few years).
                let indicator = try await fixture.indicator(.sameBureau)
                try await IndicatorValue.query(on: app.db).filter(\.$indicator.$id == indicator.requireID()).delete()
                let old = IndicatorValue()
                old.$indicator.id = try indicator.requireID()
                old.fiscalYear = 2022
                old.targetRaw = "75%以上"
                old.actualRaw = "71.2%"
                try await old.create(on: app.db)
                try await fixture.openInput()
                let carried = try #require(try await IndicatorValue.query(on: app.db).filter(\.$indicator.$id == indicator.requireID()).filter(\.$fiscalYear == 2025).first())
                #expect(carried.targetRaw == "75%以上" && carried.targetValue == "75" && carried.actualRaw == "")
                // The others carry FY2024's.
                let own = try #require(try await IndicatorValue.query(on: app.db).filter(\.$indicator.$id == fixture.indicator(.ownSection).requireID()).filter(\.$fiscalYear == 2025).first())
                #expect(own.targetRaw == "200")
            }
        }

        @Test func phasesGoBackWithAReasonAndAPublishedCycleDoesNot() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                try await fixture.openInput()
                let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$fiscalYear == 2025).first())
                let id = try cycle.requireID()
                #expect(try await fixture.post(SiteURL.adminCycleAdvance(id).path, as: .planner, ["from": "input"]).status == .seeOther)
                // Without a reason: the page again, nothing moved.
                let noReason = try await fixture.post(SiteURL.adminCycleBack(id).path, as: .planner, ["from": "review", "reason": " "])
                #expect(noReason.status == .unprocessableEntity && noReason.body.contains("段階を戻す理由を書いてください"))
                #expect(try await Cycle.find(id, on: app.db)?.phase == CyclePhase.review.rawValue)
                // With one: back to 入力, audited with the reason; sections edit again.
                #expect(try await fixture.post(SiteURL.adminCycleBack(id).path, as: .planner, ["from": "review", "reason": "保育課から修正の申し出"]).status == .seeOther)
                #expect(try await Cycle.find(id, on: app.db)?.phase == CyclePhase.input.rawValue)
                let audited = try await AuditEntry.query(on: app.db).filter(\.$entityID == id).filter(\.$field == "phase_back_reason").first()
                #expect(audited?.after == "保育課から修正の申し出")
                // An editor may not move the cycle.
                #expect(try await fixture.post(SiteURL.adminCycleBack(id).path, as: .editor, ["from": "input", "reason": "x"]).status == .forbidden)
                // A published cycle does not go back.
                let published = try #require(try await Cycle.query(on: app.db).filter(\.$fiscalYear == 2024)
                    .filter(\.$municipality.$id == fixture.municipality(StaffFixture.cityCode).requireID()).first())
                let refused = try await fixture.post(SiteURL.adminCycleBack(published.requireID()).path, as: .planner, ["from": "published", "reason": "誤り"])
                #expect(refused.status == .conflict && refused.body.contains("訂正"))
            }
        }

        /// Every sheet of FY2025 filled and approved, one with a settlement over its budget.
        static func finalizeWithOneError(_ fixture: StaffFixture) async throws -> UUID {
            try await fixture.openInput()
            let cycle = try #require(try await Cycle.query(on: fixture.app.db).filter(\.$fiscalYear == 2025).first())
            for place in [Place.ownSection, .sameBureau, .otherBureau] {
                let sheet = try await fixture.sheet(place, year: 2025)
                let indicator = try await fixture.indicator(place).requireID()
                let settlement = place == .ownSection ? "5,000" : "3,900"
                #expect(try await fixture.post(SiteURL.adminSheetStep(sheet.requireID(), "submit").path, as: .planner,
                                               ["version": "0", "target.\(indicator.uuidString)": "200", "actual.\(indicator.uuidString)": "190", "budget": "4,000",
                                                "settlement": settlement, "grade": "概ね順調", "direction": "継続", "comment": "計画どおり進んだ"]).status == .seeOther)
                #expect(try await fixture.post(SiteURL.adminSheetStep(sheet.requireID(), "approve").path, as: .planner, ["version": "2"]).status == .seeOther)
            }
            let id = try cycle.requireID()
            #expect(try await fixture.post(SiteURL.adminCycleAdvance(id).path, as: .planner, ["from": "input"]).status == .seeOther)
            #expect(try await fixture.post(SiteURL.adminCycleAdvance(id).path, as: .planner, ["from": "review"]).status == .seeOther)
            return id
        }

        @Test func publicationIsConfirmedAfterTheChecksAndErrorsNeedAnAuditedReason() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                let id = try await Self.finalizeWithOneError(fixture)
                // The publish button leads to the confirmation, which lists the error.
                let unconfirmed = try await fixture.post(SiteURL.adminCycleAdvance(id).path, as: .planner, ["from": "finalized"])
                #expect(unconfirmed.status == .seeOther)
                #expect(try await Cycle.find(id, on: app.db)?.phase == CyclePhase.finalized.rawValue)
                let confirm = try await fixture.get(SiteURL.adminCyclePublish(id).path, as: .planner)
                #expect(confirm.status == .ok && confirm.body.contains("id=\"publish-findings\"") && confirm.body.contains("決算額が予算額を超えている"))
                #expect(confirm.body.contains(Place.ownSection.program) && confirm.body.contains("エラー 1件"))
                // Confirmed but with the error and no reason: refused on the same page.
                let refused = try await fixture.post(SiteURL.adminCycleAdvance(id).path, as: .planner, ["from": "finalized", "confirm": "1"])
                #expect(refused.status == .conflict && refused.body.contains("id=\"publish-error\"") && refused.body.contains("エラーが1件残っています"))
                #expect(try await Cycle.find(id, on: app.db)?.phase == CyclePhase.finalized.rawValue)
                // The editor sees the checks on the sheet too.
                let sheet = try await fixture.get(SiteURL.adminSheet(fixture.sheet(.ownSection, year: 2025).requireID()).path, as: .editor)
                #expect(sheet.body.contains("id=\"sheet-checks\"") && sheet.body.contains("決算額が予算額を超えている"))
                // With a reason: published, the reason audited.
                let published = try await fixture.post(SiteURL.adminCycleAdvance(id).path, as: .planner,
                                                       ["from": "finalized", "confirm": "1", "override": "補正予算の流用分を含むため（注記済み）"])
                #expect(published.status == .seeOther)
                #expect(try await Cycle.find(id, on: app.db)?.phase == CyclePhase.published.rawValue)
                let override = try await AuditEntry.query(on: app.db).filter(\.$entityID == id).filter(\.$field == "publication_override").first()
                #expect(override?.after?.contains("補正予算の流用分を含むため") == true && override?.actor == "planner")
            }
        }

        @Test func aPublishedSheetIsCorrectedWithADateAndReasonShownPublicly() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                let id = try await Self.finalizeWithOneError(fixture)
                #expect(try await fixture.post(SiteURL.adminCycleAdvance(id).path, as: .planner,
                                               ["from": "finalized", "confirm": "1", "override": "確認済み"]).status == .seeOther)
                let sheet = try await fixture.sheet(.ownSection, year: 2025)
                let sheetID = try sheet.requireID()
                let indicator = try await fixture.indicator(.ownSection).requireID()
                var form = ["version": String(sheet.version), "target.\(indicator.uuidString)": "200", "actual.\(indicator.uuidString)": "195",
                            "budget": "4,000", "settlement": "3,950", "grade": "概ね順調", "direction": "継続", "comment": "計画どおり進んだ"]
                // The editor cannot correct; the planner needs a reason.
                #expect(try await fixture.post(SiteURL.adminSheetCorrection(sheetID).path, as: .editor, form.merging(["correctionReason": "x"]) { $1 }).status == .forbidden)
                let noReason = try await fixture.post(SiteURL.adminSheetCorrection(sheetID).path, as: .planner, form)
                #expect(noReason.status == .unprocessableEntity && noReason.body.contains("訂正の理由を書いてください"))
                form["correctionReason"] = "決算額の転記誤り（5,000千円 → 3,950千円）を訂正しました"
                #expect(try await fixture.post(SiteURL.adminSheetCorrection(sheetID).path, as: .planner, form).status == .seeOther)
                let line = try #require(try await BudgetLine.query(on: app.db).filter(\.$program.$id == sheet.$program.id).filter(\.$fiscalYear == 2025).first())
                #expect(line.settlementYen == 3_950_000)
                #expect(try await SheetCorrection.query(on: app.db).count() == 1)
                #expect(try await AuditEntry.query(on: app.db).filter(\.$source == "correction").filter(\.$field == "settlement_yen").count() == 1)
                // The public sheet shows the correction, its date and reason, and the new figures.
                let path = SiteURL.program(sheet.$program.id).link([("m", StaffFixture.cityCode), ("year", "2025")])
                let page = try await fixture.get(path)
                #expect(page.status == .ok && page.body.contains("id=\"corrections\""))
                #expect(page.body.contains("決算額の転記誤り") && page.body.contains(StaffForm.today()))
                #expect(page.body.contains("3,950") && page.body.contains("195"))
            }
        }
    }
}
