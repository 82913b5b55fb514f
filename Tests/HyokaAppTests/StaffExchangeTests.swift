import Fluent
import Foundation
import HyokaCore
import HyokaImport
import Testing
import Vapor
import VaporTesting
@testable import HyokaApp

extension DatabaseTests {
    /// The Excel round trip and the route-level authorization matrix.
    @Suite struct StaffExchangeTests {
        typealias Place = StaffFixture.Place

        /// Runs python3 with openpyxl (.ci/run installs it).
        static func python(_ script: String, _ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script] + arguments
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            process.waitUntilExit()
            let message = String(data: errors.fileHandleForReading.readDataToEndOfFile(), encoding: .utf8) ?? ""
            try #require(process.terminationStatus == 0, "python3 with openpyxl is needed (pip install openpyxl): \(message)")
        }

        static func multipart(_ fields: [(String, String)], file: Data, boundary: String) -> ByteBuffer {
            var body = ""
            for (name, value) in fields { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n" }
            var buffer = ByteBuffer(string: body + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"filled.xlsx\"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n")
            buffer.writeBytes(file)
            buffer.writeString("\r\n--\(boundary)--\r\n")
            return buffer
        }

        @Test func openpyxlChangesOneCellAndTheUploadAppliesExactlyThat() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                try await fixture.openInput()
                let bureau = try await fixture.department("こども局").requireID()
                let session = try #require(fixture.sessions[.planner])

                // Download the bureau's workbook (both of its sections' sheets).
                var downloaded = Data()
                try await app.testing().test(.GET, SiteURL.adminWorkbookDownload.link([("department", bureau.uuidString)]), headers: ["Cookie": session.cookie]) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers.contentType?.subType.contains("spreadsheetml") == true)
                    downloaded = Data(buffer: response.body)
                }
                let original = FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-dl-\(UUID().uuidString).xlsx")
                let edited = FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-edited-\(UUID().uuidString).xlsx")
                defer { for file in [original, edited] { try? FileManager.default.removeItem(at: file) } }
                try downloaded.write(to: original)

                // In "Excel": the 実績値 of 保育所整備事業's KPI becomes 190, as a number.
                try Self.python("""
                    import sys, openpyxl
                    wb = openpyxl.load_workbook(sys.argv[1])
                    ws = wb["指標"]
                    header = [c.value for c in ws[1]]
                    rows = [r for r in ws.iter_rows(min_row=2) if r[header.index("事業名")].value == "保育所整備事業"]
                    assert len(rows) == 1, rows
                    rows[0][header.index("実績値")].value = 190
                    wb.save(sys.argv[2])
                    """, [original.path, edited.path])
                let file = try Data(contentsOf: edited)

                // Preview: exactly one changed cell, no error, nothing written yet.
                let boundary = "hyoka-\(UUID().uuidString)"
                var page = ""
                try await app.testing().test(.POST, SiteURL.adminWorkbookPreview.path,
                                             headers: ["Cookie": session.cookie, "Content-Type": "multipart/form-data; boundary=\(boundary)", "Accept": "text/html"],
                                             body: Self.multipart([("_csrf", session.csrf), ("department", bureau.uuidString)], file: file, boundary: boundary)) { response in
                    #expect(response.status == .ok)
                    page = response.body.string
                }
                #expect(page.contains("変更されるセル 1件、エラー 0件"))
                #expect(page.contains("指標!G3") || page.contains("指標!G2"))
                let indicatorID = try await fixture.indicator(.sameBureau).requireID()
                let stored = { try await IndicatorValue.query(on: app.db).filter(\.$indicator.$id == indicatorID).filter(\.$fiscalYear == 2025).first()?.actualRaw }
                #expect(try await stored() == "")
                let before = try await AuditEntry.query(on: app.db).count()

                // Apply what the preview offered.
                let workbook = try #require(page.firstMatch(of: /name="workbook" value="([^"]+)"/)).1.description
                let versions = try #require(page.firstMatch(of: /name="versions" value="([^"]*)"/)).1.description
                let applied = try await fixture.post(SiteURL.adminWorkbookApply.path, as: .planner,
                                                     ["department": bureau.uuidString, "workbook": workbook, "versions": versions])
                #expect(applied.status == .ok && applied.body.contains("セル 1件の変更を反映しました"))

                // Exactly that change: the one actual, one version step, nothing else.
                #expect(try await stored() == "190")
                let own = try await IndicatorValue.query(on: app.db).filter(\.$indicator.$id == fixture.indicator(.ownSection).requireID()).filter(\.$fiscalYear == 2025).first()
                #expect(own?.actualRaw == "" && own?.targetRaw == "200")
                let entries = try await AuditEntry.query(on: app.db).sort(\.$at).all().dropFirst(before)
                #expect(entries.map(\.field).sorted() == ["actual_raw", "version"])
                #expect(entries.allSatisfy { $0.source == "workbook" && $0.actor == "planner" })
                #expect(try await fixture.sheet(.sameBureau, year: 2025).version == 1)
                #expect(try await fixture.sheet(.ownSection, year: 2025).version == 0)

                // The same apply again is refused: the sheet moved on since that preview.
                let again = try await fixture.post(SiteURL.adminWorkbookApply.path, as: .planner,
                                                   ["department": bureau.uuidString, "workbook": workbook, "versions": versions])
                #expect(again.status == .conflict)
            }
        }

        @Test func aWorkbookWithErrorsIsRefusedWhole() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                try await fixture.openInput()
                let bureau = try await fixture.department("こども局")
                let contents = try await DepartmentWorkbook.sheets(department: bureau, on: app.db)
                var tables = DepartmentWorkbook.tables(contents)
                tables[0].rows[0][6] = "150"                  // a good change
                tables[1].rows[1][3] = "たくさん"             // not an amount
                tables[0].rows.append(["00000000-0000-0000-0000-000000000000", "x", "x", "", "2025", "1", "1"])  // not a row of this department
                let plan = DepartmentWorkbook.plan(tables, contents: contents)
                #expect(plan.changes.count == 2)
                #expect(plan.problems.count == 2)
                #expect(plan.problems.contains { $0.cell == "指標!A4" })
                await #expect(throws: StaffError.self) { _ = try await DepartmentWorkbook.apply(plan, by: try #require(fixture.users[.planner]), on: app.db) }
                #expect(try await IndicatorValue.query(on: app.db).filter(\.$actualRaw == "150").count() == 0)
            }
        }

        @Test func theYearColumnMustBeTheCyclesYearAndEveryErrorNamesItsCell() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                try await fixture.openInput()
                let bureau = try await fixture.department("こども局")
                let contents = try await DepartmentWorkbook.sheets(department: bureau, on: app.db)
                var tables = DepartmentWorkbook.tables(contents)
                // The forms of FY2025 pass; another year, or an era past its end, does not.
                tables[0].rows[0][4] = "令和7年度"
                tables[0].rows[1][4] = "令和6年度"
                tables[1].rows[0][2] = "平成37年度"
                tables[2].rows[0][2] = "R7"
                tables[2].rows[1][2] = "2026"
                tables[1].rows[1][3] = "87団体"          // not an amount: refused at its cell
                tables[1].rows[1][4] = "△500"            // negative: applied, with a warning at its cell
                let plan = DepartmentWorkbook.plan(tables, contents: contents)
                let cells = Set(plan.problems.map(\.cell))
                #expect(cells == ["指標!E3", "事業費!C2", "自己評価!C3", "事業費!D3"], "\(plan.problems.map { "\($0.cell) \($0.japanese)" })")
                #expect(plan.problems.first { $0.cell == "事業費!C2" }?.japanese.contains("平成37年度") == true)
                #expect(plan.problems.first { $0.cell == "事業費!D3" }?.japanese.contains("金額として読めません") == true)
                #expect(plan.warnings.contains { $0.cell == "事業費!E3" && $0.japanese.contains("負の金額です") })
            }
        }

        // MARK: the authorization matrix through the routes

        /// Every write route, with the policy action it needs.
        enum Route: String, CaseIterable {
            case saveSheet, submitSheet, returnSheet, approveSheet, openCycle, advanceCycle, cycleDeadlines
            case bureauEvaluation, manifestoGoal, collaboration, inventoryReview, workbookDownload, workbookPreview

            var action: Policy.Action {
                switch self {
                case .saveSheet: .editSheet
                case .submitSheet: .submitSheet
                case .returnSheet: .returnSheet
                case .approveSheet: .approveSheet
                case .openCycle, .advanceCycle, .cycleDeadlines: .manageCycle
                case .bureauEvaluation: .writeBureauEvaluation
                case .manifestoGoal: .editManifesto
                case .collaboration: .editCollaboration
                case .inventoryReview: .editInventoryReview
                case .workbookDownload, .workbookPreview: .exchangeWorkbook
                }
            }
        }

        /// Records of each place for every route: sheets, a plan node, a manifesto goal, a
        /// project and a review per place, in open FY2025 cycles of both cities.
        static func records(_ app: Application, _ fixture: StaffFixture) async throws {
            let other = try await fixture.municipality(StaffFixture.otherCityCode)
            // The other city's FY2025 cycle, opened by a planner of its own.
            let planner = User()
            planner.login = "other-planner"; planner.displayName = "他市"; planner.role = Role.planner.rawValue
            planner.passwordHash = "x"; planner.isDisabled = false; planner.$municipality.id = try other.requireID()
            try await planner.create(on: app.db)
            _ = try await CycleService.open(municipalityID: try other.requireID(), fiscalYear: 2025, inputDeadline: nil, reviewDeadline: nil, by: planner, on: app.db)
            var d = Dataset()
            for place in Place.allCases {
                let code = place == .otherMunicipality ? StaffFixture.otherCityCode : StaffFixture.cityCode
                let department = ["子育て支援課", "保育課", "道路課", "市民課"][Place.allCases.firstIndex(of: place)!]
                d.plans.append(PlanRecord(municipalityCode: code, name: "基本計画"))
                d.planNodes.append(PlanNodeRecord(municipalityCode: code, plan: "基本計画", code: "1-\(place.rawValue)", title: "施策 \(place.rawValue)", level: "施策"))
                d.planLinks.append(PlanLinkRecord(municipalityCode: code, plan: "基本計画", nodeCode: "1-\(place.rawValue)", program: place.program))
                d.manifestos.append(ManifestoRecord(municipalityCode: code, department: department, fiscalYear: 2025))
                d.manifestoGoals.append(ManifestoGoalRecord(municipalityCode: code, department: department, fiscalYear: 2025, number: 1, title: "目標 \(place.rawValue)"))
                d.inventoryReviews.append(InventoryReviewRecord(municipalityCode: code, program: place.program, fiscalYear: 2025, reviewRound: "第1回", result: .continue))
                d.regions.append(RegionRecord(municipalityCode: code, name: "圏域 \(code)", centralCity: "中心市"))
                d.collaborationProjects.append(CollaborationProjectRecord(municipalityCode: code, region: "圏域 \(code)", policyField: "(1)", agreementCategory: "a", name: "連携 \(place.rawValue)"))
            }
            try await TestDatabase.store(d, in: app)
        }

        @Test func everyRoleOnEveryWriteRouteAnswersAsThePolicySays() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                try await fixture.openInput()
                try await Self.records(app, fixture)
                let table = PolicyTests()
                func placeOf(_ place: Place) -> PolicyTests.Place {
                    switch place {
                    case .ownSection: .ownSection
                    case .sameBureau: .sameBureau
                    case .otherBureau: .otherBureau
                    case .otherMunicipality: .otherMunicipality
                    }
                }
                var checked = 0
                for role in Role.allCases {
                    for route in Route.allCases {
                        for place in Place.allCases {
                            // Opening a cycle acts on the user's own municipality only.
                            if route == .openCycle && place != .ownSection { continue }
                            let program = try await fixture.program(place)
                            let sheet = try await fixture.sheet(place, year: 2025)
                            let sheetPath = SiteURL.adminSheet(try sheet.requireID()).path
                            let version = String(sheet.version)
                            let cycle = try #require(try await Cycle.query(on: app.db).filter(\.$municipality.$id == program.$municipality.id).filter(\.$fiscalYear == 2025).first())
                            let node = try #require(try await PlanNode.query(on: app.db).filter(\.$code == "1-\(place.rawValue)").first())
                            let goal = try #require(try await ManifestoGoal.query(on: app.db).filter(\.$title == "目標 \(place.rawValue)").first())
                            let project = try #require(try await CollaborationProject.query(on: app.db).filter(\.$name == "連携 \(place.rawValue)").first())
                            let review = try #require(try await InventoryReview.query(on: app.db).filter(\.$program.$id == program.requireID()).first())
                            let department = try #require(program.$department.id)
                            let result: (status: HTTPResponseStatus, body: String)
                            switch route {
                            case .saveSheet: result = try await fixture.post(sheetPath, as: role, ["version": version, "comment": "\(role)"])
                            case .submitSheet: result = try await fixture.post(SiteURL.adminSheetStep(sheet.id!, "submit").path, as: role, ["version": version])
                            case .returnSheet: result = try await fixture.post(SiteURL.adminSheetStep(sheet.id!, "return").path, as: role, ["version": version, "reason": "理由"])
                            case .approveSheet: result = try await fixture.post(SiteURL.adminSheetStep(sheet.id!, "approve").path, as: role, ["version": version])
                            case .openCycle: result = try await fixture.post(SiteURL.adminCycles.path, as: role, ["fiscalYear": "2030"])
                            case .advanceCycle: result = try await fixture.post(SiteURL.adminCycleAdvance(cycle.id!).path, as: role, ["from": "nonsense"])
                            case .cycleDeadlines: result = try await fixture.post(SiteURL.adminCycleDeadlines(cycle.id!).path, as: role, ["inputDeadline": "2025-07-01"])
                            case .bureauEvaluation: result = try await fixture.post(SiteURL.adminPlanNode(node.id!).path, as: role, ["version": "0", "comment": "\(role)"])
                            case .manifestoGoal: result = try await fixture.post(SiteURL.adminManifestoGoal(goal.id!).path, as: role, ["version": String(goal.version), "self_reason": "\(role)"])
                            case .collaboration: result = try await fixture.post(SiteURL.adminCollaboration(project.id!).path, as: role, ["version": String(project.version), "content": "\(role)"])
                            case .inventoryReview: result = try await fixture.post(SiteURL.adminReview(review.id!).path, as: role,
                                                                                   ["version": String(review.version), "viewpoints": "1", "result": "continue", "note": "\(role)"])
                            case .workbookDownload: result = try await fixture.get(SiteURL.adminWorkbookDownload.link([("department", department.uuidString)]), as: role)
                            case .workbookPreview: result = try await fixture.post(SiteURL.adminWorkbookPreview.path, as: role, ["department": department.uuidString])
                            }
                            // The policy's table, written out in PolicyTests; the opening of a
                            // cycle is always in the user's own municipality.
                            let expected = table.expected(role, route.action, placeOf(place))
                            if expected {
                                #expect(result.status != .forbidden && result.status.code < 500, "\(role) \(route) \(place): \(result.status) \(result.body.prefix(200))")
                            } else {
                                #expect(result.status == .forbidden, "\(role) \(route) \(place) should be refused: \(result.status)")
                            }
                            checked += 1
                        }
                    }
                }
                #expect(checked == Role.allCases.count * (Route.allCases.count - 1) * Place.allCases.count + Role.allCases.count)
            }
        }
    }
}
