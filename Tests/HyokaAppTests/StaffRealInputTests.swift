import Fluent
import Foundation
import HyokaCore
import Testing
import Vapor
import VaporTesting
@testable import HyokaApp

extension DatabaseTests {
    /// The staff side with what a section really types: long texts over a real network
    /// connection, partial drafts, submissions, negative and mistyped amounts, values that do
    /// not fit their KPI, and a KPI that has no value for the year yet.
    @Suite struct StaffRealInputTests {
        typealias Place = StaffFixture.Place

        /// A self-evaluation of `count` characters, as a section writes one.
        static func japaneseText(_ count: Int) -> String {
            let sentences = "子育て広場の利用者は前年度から増加し、特に未就学児のいる転入世帯の利用が伸びた。" +
                "一方で、平日午後の時間帯は定員を超える日があり、予約制の導入と出張広場の開催で分散を図った。" +
                "相談件数も増えており、保健師との連携を強めて、必要な家庭を早期に支援につなげる体制を整えた。"
            return String(String(repeating: sentences, count: count / sentences.count + 1).prefix(count))
        }

        /// Posts over a real HTTP connection: a body larger than one network read arrives as
        /// a stream, which the in-memory tester never produces. The client follows the
        /// redirect after a save, so a success is the page it leads to.
        static func postLive(_ app: Application, _ path: String, _ session: StaffFixture.Session, _ form: [String: String]) async throws -> (HTTPResponseStatus, String) {
            var form = form
            form["_csrf"] = session.csrf
            var result: (HTTPResponseStatus, String) = (.ok, "")
            try await app.testing(method: .running(hostname: "127.0.0.1", port: 0))
                .test(.POST, path, headers: session.headers, body: ByteBuffer(string: StaffFixture.encode(form))) { result = ($0.status, $0.body.string) }
            return result
        }

        @Test func longTextsAreSavedOverTheNetworkAndOversizedBodiesGet413() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                try await fixture.openInput()
                let sheetID = try await fixture.sheet(.ownSection, year: 2025).requireID()
                let session = try #require(fixture.sessions[.editor])
                let comment = Self.japaneseText(3_000), improvement = Self.japaneseText(1_000)
                // 3,000 characters are about 27 kB URL-encoded: far more than one read.
                let saved = try await Self.postLive(app, SiteURL.adminSheet(sheetID).path, session,
                                                    ["version": "0", "comment": comment, "improvement": improvement, "grade": "順調"])
                #expect(saved.0 == .ok && saved.1.contains("保存しました"), "a 3,000-character self-evaluation: \(saved.0) \(saved.1.prefix(300))")
                let evaluation = try #require(try await Evaluation.query(on: app.db).filter(\.$program.$id == fixture.program(.ownSection).requireID())
                    .filter(\.$fiscalYear == 2025).first())
                #expect(evaluation.comment == comment && evaluation.improvement == improvement)

                // A body over the form limit: 413 with what to do, not an expired form.
                let huge = try await Self.postLive(app, SiteURL.adminSheet(sheetID).path, session,
                                                   ["version": "1", "comment": String(repeating: "あ", count: 150_000)])
                #expect(huge.0 == .payloadTooLarge)
                #expect(huge.1.contains("送信された内容が大きすぎます") && !huge.1.contains("有効期限"))

                // A long return reason, over the network too.
                #expect(try await fixture.post(SiteURL.adminSheet(sheetID).path, as: .editor, Self.complete(fixture, version: 1)).status == .seeOther)
                #expect(try await fixture.post(SiteURL.adminSheetStep(sheetID, "submit").path, as: .editor, ["version": "2"]).status == .seeOther)
                let reason = Self.japaneseText(300)
                let returned = try await Self.postLive(app, SiteURL.adminSheetStep(sheetID, "return").path, try #require(fixture.sessions[.approver]),
                                                       ["version": "3", "reason": reason])
                #expect(returned.0 == .ok && returned.1.contains("差戻ししました"))
                #expect(try await SheetStatus.find(sheetID, on: app.db)?.returnReason == reason)
            }
        }

        /// Every field a submission needs, for the own section's sheet.
        static func complete(_ fixture: StaffFixture, version: Int) async throws -> [String: String] {
            let indicatorID = try await fixture.indicator(.ownSection).requireID()
            return ["version": String(version), "target.\(indicatorID.uuidString)": "200", "actual.\(indicatorID.uuidString)": "190",
                    "budget": "4,221", "settlement": "4,000", "grade": "概ね順調", "direction": "継続", "comment": japaneseText(400)]
        }

        @Test func aKPIWithNoValueForTheYearIsSavedWithoutEndingTheProcess() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                try await fixture.openInput()
                // A KPI added after the year was opened (as `hyoka import` does): no 2025 value.
                let program = try await fixture.program(.ownSection)
                let added = Indicator()
                added.$program.id = try program.requireID()
                added.name = "相談件数"
                added.kind = "outcome"
                added.unit = "件"
                added.direction = IndicatorDirection.higherIsBetter.rawValue
                added.directionSource = "stated"
                added.baselineRaw = ""
                added.finalTargetRaw = ""
                added.sortOrder = 2
                try await added.create(on: app.db)
                let addedID = try added.requireID()
                let sheetID = try await fixture.sheet(.ownSection, year: 2025).requireID()
                let form = try await fixture.get(SiteURL.adminSheet(sheetID).path, as: .editor)
                #expect(form.status == .ok && form.body.contains("actual.\(addedID.uuidString)"))
                let saved = try await fixture.post(SiteURL.adminSheet(sheetID).path, as: .editor,
                                                   ["version": "0", "target.\(addedID.uuidString)": "120件", "actual.\(addedID.uuidString)": "132件"])
                #expect(saved.status == .seeOther)
                let value = try #require(try await IndicatorValue.query(on: app.db).filter(\.$indicator.$id == addedID).filter(\.$fiscalYear == 2025).first())
                #expect(value.targetRaw == "120件" && value.actualRaw == "132件" && value.actualValue == "132")
                // The audit entry of a new value has no "before".
                let entry = try #require(try await AuditEntry.query(on: app.db).filter(\.$entityID == value.requireID()).filter(\.$field == "actual_raw").first())
                #expect(entry.before == nil && entry.after == "132件")
                // The live rates of the form, for the new KPI.
                let live = try await fixture.get(SiteURL.adminSheetRates(sheetID).path + "?target.\(addedID.uuidString)=120&actual.\(addedID.uuidString)=132", as: .editor)
                #expect(live.status == .ok && live.body.contains("110.0%"))
            }
        }

        @Test func partialDraftsSaveAndSubmissionNeedsEverythingAndKeepsWhatWasTyped() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                try await fixture.openInput()
                let sheet = try await fixture.sheet(.ownSection, year: 2025)
                let sheetID = try sheet.requireID()
                let indicatorID = try await fixture.indicator(.ownSection).requireID()

                // Submitting the untouched sheet is refused, with each missing field named.
                let empty = try await fixture.post(SiteURL.adminSheetStep(sheetID, "submit").path, as: .editor, ["version": "0"])
                #expect(empty.status == .unprocessableEntity)
                #expect(empty.body.contains("提出の前に実績を入力してください") && empty.body.contains("提出の前に評価を選んでください"))
                #expect(try await SheetStatus.find(sheetID, on: app.db)?.status == SheetState.draft.rawValue)

                // A partial draft (a comment, no grade or direction) saves.
                let partial = try await fixture.post(SiteURL.adminSheet(sheetID).path, as: .editor, ["version": "0", "comment": "途中まで書いた評価"])
                #expect(partial.status == .seeOther)

                // 提出 from inside the form with one thing missing: what was typed is saved as
                // a draft, the submission is refused and says what is missing.
                var typed = try await Self.complete(fixture, version: 1)
                typed["direction"] = ""
                let refused = try await fixture.post(SiteURL.adminSheetStep(sheetID, "submit").path, as: .editor, typed)
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.contains("下書きとして保存しました") && refused.body.contains("提出の前に今後の方向性を選んでください"))
                let value = try #require(try await IndicatorValue.query(on: app.db).filter(\.$indicator.$id == indicatorID).filter(\.$fiscalYear == 2025).first())
                #expect(value.actualRaw == "190")
                #expect(try await SheetStatus.find(sheetID, on: app.db)?.status == SheetState.draft.rawValue)

                // Complete: saved and submitted in one post.
                typed = try await Self.complete(fixture, version: 2)
                #expect(try await fixture.post(SiteURL.adminSheetStep(sheetID, "submit").path, as: .editor, typed).status == .seeOther)
                let submitted = try #require(try await SheetStatus.find(sheetID, on: app.db))
                #expect(submitted.status == SheetState.submitted.rawValue)

                // Withdrawn before review: a draft again, editable.
                #expect(try await fixture.post(SiteURL.adminSheetStep(sheetID, "withdraw").path, as: .editor, ["version": String(submitted.version)]).status == .seeOther)
                let withdrawn = try #require(try await SheetStatus.find(sheetID, on: app.db))
                #expect(withdrawn.status == SheetState.draft.rawValue)
                // Once approved it cannot be withdrawn.
                #expect(try await fixture.post(SiteURL.adminSheetStep(sheetID, "submit").path, as: .editor, ["version": String(withdrawn.version)]).status == .seeOther)
                #expect(try await fixture.post(SiteURL.adminSheetStep(sheetID, "approve").path, as: .approver, ["version": String(withdrawn.version + 1)]).status == .seeOther)
                let approved = try #require(try await SheetStatus.find(sheetID, on: app.db))
                let late = try await fixture.post(SiteURL.adminSheetStep(sheetID, "withdraw").path, as: .editor, ["version": String(approved.version)])
                #expect(late.status == .conflict && late.body.contains("承認済みのシートは引戻しできません"))
                #expect(try await SheetStatus.find(sheetID, on: app.db)?.status == SheetState.approved.rawValue)
                // A return without a reason shows the sheet again with the refusal, not an error page.
                let noReason = try await fixture.post(SiteURL.adminSheetStep(sheetID, "return").path, as: .approver, ["version": String(approved.version), "reason": ""])
                #expect(noReason.status == .unprocessableEntity && noReason.body.contains("id=\"step-refused\"") && noReason.body.contains("差戻しの理由を書いてください"))
            }
        }

        @Test func amountsKeepTheirSignAndUnitsAndSuspiciousValuesAreShown() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                try await fixture.openInput()
                let sheetID = try await fixture.sheet(.ownSection, year: 2025).requireID()
                let programID = try await fixture.program(.ownSection).requireID()
                let indicator = try await fixture.indicator(.ownSection)
                indicator.unit = "団体"
                try await indicator.save(on: app.db)
                let indicatorID = try indicator.requireID()

                let saved = try await fixture.post(SiteURL.adminSheet(sheetID).path, as: .editor,
                                                   ["version": "0", "budget": "1.2億", "settlement": "△500", "personnelCost": "-1,200",
                                                    "target.\(indicatorID.uuidString)": "87件", "actual.\(indicatorID.uuidString)": "abc"])
                #expect(saved.status == .seeOther)
                let line = try #require(try await BudgetLine.query(on: app.db).filter(\.$program.$id == programID).filter(\.$fiscalYear == 2025).first())
                #expect(line.budgetYen == 120_000_000)
                #expect(line.settlementYen == -500_000)
                #expect(line.personnelCostYen == -1_200_000)
                let page = try await fixture.get(SiteURL.adminSheet(sheetID).path, as: .editor)
                #expect(page.body.contains("単位「件」が指標の単位「団体」と違います"))
                #expect(page.body.contains("数値として読めないため"))
                #expect(page.body.contains("負の金額です"))
                // The form shows what is stored, sign included.
                #expect(page.body.contains("value=\"-500\"") && page.body.contains("value=\"120000\""))

                // The same warnings while typing, before anything is saved (the live endpoint
                // the form asks as the section types).
                let typing = try await fixture.get(SiteURL.adminSheetRates(sheetID).path + "?actual.\(indicatorID.uuidString)=87%E4%BB%B6&settlement=%E2%96%B3500", as: .editor)
                #expect(typing.status == .ok && typing.body.contains("\"actual.\(indicatorID.uuidString)\"") && typing.body.contains("負の金額です"))

                // A settlement 1,000 times the budget: the checks flag it as an error, and a
                // warning asks about the unit.
                #expect(try await fixture.post(SiteURL.adminSheet(sheetID).path, as: .editor,
                                               ["version": "1", "budget": "4,000", "settlement": "4,000,000",
                                                "target.\(indicatorID.uuidString)": "87", "actual.\(indicatorID.uuidString)": "80団体"]).status == .seeOther)
                let flagged = try await fixture.get(SiteURL.adminSheet(sheetID).path, as: .editor)
                #expect(flagged.body.contains("決算額が予算額の1,000倍です"))
                #expect(flagged.body.contains("id=\"sheet-checks\"") && flagged.body.contains("決算額が予算額を超えている"))
                #expect(!flagged.body.contains("単位「団体」が指標の単位"))
                // Text that is not an amount is refused with what to type.
                let refused = try await fixture.post(SiteURL.adminSheet(sheetID).path, as: .editor, ["version": "2", "budget": "87団体"])
                #expect(refused.status == .unprocessableEntity && refused.body.contains("減額は -500 または △500"))
            }
        }

        /// What real sheets hold, typed in the form: 延べ業務時間 and 従事人数 (人件費 computed
        /// from the hours at the city's hourly cost when left blank), 期待成果, and the city's
        /// checklist of viewpoints with real-length reasons and hostile text; a bad count is
        /// refused with what to type.
        @Test func hoursExpectedResultsAndTheChecklistAreSavedAndAudited() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                let city = try await fixture.municipality(StaffFixture.cityCode)
                city.personnelCostPerHourYen = 4_000
                city.evaluationViewpoints = "政策体系との整合性\n事業費の削減余地"
                try await city.save(on: app.db)
                try await fixture.openInput()
                let sheetID = try await fixture.sheet(.ownSection, year: 2025).requireID()
                let programID = try await fixture.program(.ownSection).requireID()
                let page = try await fixture.get(SiteURL.adminSheet(sheetID).path, as: .editor)
                #expect(page.body.contains("name=\"viewpoint.0.judgement\"") && page.body.contains("事業費の削減余地（理由）"))
                #expect(page.body.contains("時間 × 4000 円で計算します"))
                // An unchosen select posts an empty value, not its label (a browser posts the
                // option's text when it has no value attribute: the workflow test found it).
                #expect(page.body.contains("<option value selected=\"selected\">（未選択）</option>"))

                let reason = Self.japaneseText(1_000)
                let saved = try await fixture.post(SiteURL.adminSheet(sheetID).path, as: .editor,
                                                   ["version": "0", "budget": "3,089", "workHours": "２８０", "staffCount": "1.5", "personnelCost": "",
                                                    "expectedOutcome": "向上", "expectedCost": "維持",
                                                    "viewpoint.0.judgement": "結びついている", "viewpoint.0.reason": reason,
                                                    "viewpoint.1.judgement": "\"><script>alert(1)</script>", "viewpoint.1.reason": "=HYPERLINK(\"x\")",
                                                    "purposeIntent": reason, "budgetAccounts": "01-04-01-03-1200\r\n01-04-02-01-0600", "category": "Ｅ 一般"])
                #expect(saved.status == .seeOther)
                // The program's texts are the program's: saved on it and audited by field.
                let program = try #require(try await Program.find(programID, on: app.db))
                #expect(program.purposeIntent == reason && program.budgetAccounts == "01-04-01-03-1200\n01-04-02-01-0600" && program.category == "Ｅ 一般")
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityID == programID).filter(\.$field == "purpose_intent").count() == 1)
                let line = try #require(try await BudgetLine.query(on: app.db).filter(\.$program.$id == programID).filter(\.$fiscalYear == 2025).first())
                #expect(line.workHours == "280" && line.staffCount == "1.5")
                #expect(line.personnelCostYen == 1_120_000, "280 hours × 4,000 円")
                let evaluation = try #require(try await Evaluation.query(on: app.db).filter(\.$program.$id == programID).filter(\.$fiscalYear == 2025).first())
                #expect(evaluation.expectedOutcome == "向上" && evaluation.expectedCost == "維持")
                let rows = try await EvaluationViewpoint.query(on: app.db).filter(\.$evaluation.$id == evaluation.requireID()).sort(\.$position).all()
                #expect(rows.map(\.viewpoint) == ["政策体系との整合性", "事業費の削減余地"])
                #expect(rows.first?.reason == reason && rows.last?.judgement == "\"><script>alert(1)</script>")
                let audited = try await AuditEntry.query(on: app.db).filter(\.$entityID == evaluation.requireID()).filter(\.$field == "viewpoints").count()
                #expect(audited == 1)
                let shown = try await fixture.get(SiteURL.adminSheet(sheetID).path, as: .editor)
                #expect(!shown.body.contains("<script>alert(1)") && shown.body.contains("&lt;script&gt;alert(1)"))

                // Saving the same again changes nothing and audits nothing more.
                #expect(try await fixture.post(SiteURL.adminSheet(sheetID).path, as: .editor,
                                               ["version": "1", "budget": "3,089", "workHours": "280", "staffCount": "1.5", "personnelCost": "",
                                                "expectedOutcome": "向上", "expectedCost": "維持",
                                                "viewpoint.0.judgement": "結びついている", "viewpoint.0.reason": reason,
                                                "viewpoint.1.judgement": "\"><script>alert(1)</script>", "viewpoint.1.reason": "=HYPERLINK(\"x\")"]).status == .seeOther)
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityID == evaluation.requireID()).filter(\.$field == "viewpoints").count() == 1)

                // Hours that are not a number, and a choice not on the list, are refused.
                let refused = try await fixture.post(SiteURL.adminSheet(sheetID).path, as: .editor,
                                                     ["version": "2", "workHours": "たくさん", "staffCount": "99999999999999999999999999", "expectedOutcome": "最高",
                                                      "category": Self.japaneseText(300)])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.contains("200字以内で書いてください"))
                #expect(refused.body.contains("0 以上 1 億以下の数で書いてください") && refused.body.contains("期待成果（成果）は一覧から選んでください"))
                #expect(refused.body.components(separatedBy: "0 以上 1 億以下の数で書いてください").count == 3, "hours and the staff count beyond any sheet's")
            }
        }

        /// Plot writes attribute values as given: what a person typed into a KPI value, a
        /// search or a `next` address comes back escaped, never as markup (issue 15, the
        /// staff forms' part).
        @Test func hostileTextInAttributeValuesIsEscaped() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                try await fixture.openInput()
                let sheetID = try await fixture.sheet(.ownSection, year: 2025).requireID()
                let indicatorID = try await fixture.indicator(.ownSection).requireID()
                let hostile = "\"><script>alert(1)</script>"
                #expect(try await fixture.post(SiteURL.adminSheet(sheetID).path, as: .editor,
                                               ["version": "0", "actual.\(indicatorID.uuidString)": hostile, "target.\(indicatorID.uuidString)": "a&b 'x'"]).status == .seeOther)
                let form = try await fixture.get(SiteURL.adminSheet(sheetID).path, as: .editor).body
                #expect(!form.contains("<script>alert(1)</script>"))
                #expect(form.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"") && form.contains("value=\"a&amp;b &#39;x&#39;\""))
                // The value is kept as typed.
                #expect(try await IndicatorValue.query(on: app.db).filter(\.$indicator.$id == indicatorID).filter(\.$fiscalYear == 2025).first()?.actualRaw == hostile)
                // A search on the sheet list, and the sign-in page's next address.
                let list = try await fixture.get(SiteURL.adminSheets.path + "?q=%22%3E%3Cscript%3Ealert(2)%3C/script%3E", as: .planner).body
                #expect(!list.contains("<script>alert(2)</script>") && list.contains("&quot;&gt;&lt;script&gt;alert(2)"))
                let login = try await fixture.get(SiteURL.login.path + "?next=/admin%22%3E%3Cscript%3Ealert(3)%3C/script%3E").body
                #expect(!login.contains("<script>alert(3)</script>"))
            }
        }
    }
}
