import Fluent
import Foundation
import HyokaCore
import HyokaImport
import PropertyBased
import Testing
import Vapor
import VaporTesting
@testable import HyokaApp

extension DatabaseTests {
    /// No request may end the process: generated form data (long, empty, negative,
    /// full-width, other units, other scripts, hostile, huge, missing fields) posted to every
    /// staff route and every staff API route, as every role. A trap anywhere ends this test
    /// process, so the run finishing is the first assertion; the second is that no answer is
    /// a server error, and the third that the server still answers afterwards.
    @Suite struct StaffFuzzTests {
        /// Texts a form field may receive, chosen by `seed`.
        static func value(_ seed: Int) -> String {
            let n = seed.magnitude
            let pick = { (choices: [String]) in choices[Int(n / 16 % UInt(choices.count))] }
            switch n % 16 {
            case 0: return ""
            case 1: return StaffRealInputTests.japaneseText(Int(n / 16 % 12_001))
            case 2: return pick(["-500", "△500", "▲1.5億", "-0", "−1,200", "-9999999999999"])
            case 3: return pick(["１２３，４５６", "４，２２１千円", "８７団体", "１．２億"])
            case 4: return pick(["87件", "1.2億", "350万円", "12%", "0.81", "4,221千円", "87団体87団体", "abc", "1,2,3", "1.2.3", "5百万", "22,8億円"])
            case 5: return pick(["😀👨‍👩‍👧", "مرحبا بالعالم", "नमस्ते", "e\u{301}\u{301}\u{301}", "\u{202E}abc", "x\u{0000}y", "\u{FEFF}", "한국어"])
            case 6: return pick(["\"><script>alert(1)</script>", "=HYPERLINK(\"http://example.invalid\")", "'; DROP TABLE sheet_statuses;--", "../../etc/passwd", "%00", "{{7*7}}", "<img src=x onerror=alert(1)>", "@SUM(1+1)"])
            case 7: return pick([String(repeating: "9", count: 40), "1e308", "-9223372036854775808", "9223372036854775807000", "NaN", "inf"])
            case 8: return pick(["2025-02-30", "0000-00-00", "99999-01-01", "2025-13-01", "令和99年度", "平成37年度", "1900-01-01", "2100-12-31"])
            case 9: return pick([UUID().uuidString, "not-a-uuid", "00000000-0000-0000-0000-000000000000"])
            case 10: return pick(["   ", "\n\r\t", "\r\n\r\n", "　"])
            case 11: return pick(["2025", "-1", "99999999999999999999", "R7", "0", "2101", "1999"])
            case 12: return pick(["順調", "大変順調", "継続", "拡充", "廃止", "X", "順調 "])
            case 13: return pick(["preparation", "input", "review", "finalized", "published", "nonsense", "1"])
            case 14: return String(repeating: "あ", count: Int(n / 16 % 300_000))
            default: return String(Int(truncatingIfNeeded: seed))
            }
        }

        /// Every field a staff form or the API knows, and some it does not; the first ones are
        /// present in most cases.
        static func fieldNames(indicator: UUID) -> [String] {
            ["version", "target.\(indicator.uuidString)", "actual.\(indicator.uuidString)", "target.\(UUID().uuidString)", "actual.garbage",
             "budget", "settlement", "personnelCost", "grade", "direction", "comment", "improvement", "reason", "correctionReason",
             "fiscalYear", "inputDeadline", "reviewDeadline", "from", "confirm", "override", "department", "workbook", "versions",
             "title", "figures", "result", "saving", "viewpoints", "note", "unknown_field", "_csrf_extra"]
        }

        struct Place {
            var sheets: [UUID]
            var cycles: [UUID]
            var records: [String]
            var department: UUID
            var indicator: UUID
        }

        @Test func generatedFormsOnEveryStaffRouteNeverEndTheServer() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                try await fixture.openInput()
                try await StaffExchangeTests.records(app, fixture)
                // A KPI added after the year was opened: no value for the year yet (the path
                // that once ended the process on the first save).
                let added = Indicator()
                added.$program.id = try await fixture.program(.ownSection).requireID()
                added.name = "相談件数"; added.kind = "outcome"; added.unit = "件"; added.direction = IndicatorDirection.higherIsBetter.rawValue
                added.directionSource = "stated"; added.baselineRaw = ""; added.finalTargetRaw = ""; added.sortOrder = 9
                try await added.create(on: app.db)
                var sheets: [UUID] = [], records: [String] = []
                for place in StaffFixture.Place.allCases {
                    sheets.append(try await fixture.sheet(place, year: 2025).requireID())
                    sheets.append(try await fixture.sheet(place, year: 2024).requireID())
                }
                for node in try await PlanNode.query(on: app.db).all() { records.append(SiteURL.adminPlanNode(try node.requireID()).path) }
                for goal in try await ManifestoGoal.query(on: app.db).all() { records.append(SiteURL.adminManifestoGoal(try goal.requireID()).path) }
                for project in try await CollaborationProject.query(on: app.db).all() { records.append(SiteURL.adminCollaboration(try project.requireID()).path) }
                for review in try await InventoryReview.query(on: app.db).all() { records.append(SiteURL.adminReview(try review.requireID()).path) }
                let place = Place(sheets: sheets + [UUID()], cycles: try await Cycle.query(on: app.db).all().compactMap(\.id) + [UUID()], records: records,
                                  department: try await fixture.department("こども局").requireID(), indicator: try added.requireID())
                let roles: [Role?] = Role.allCases + [nil]
                var tokens: [Role: String] = [:]
                for role in Role.allCases { tokens[role] = try await APITokens.create(login: role.rawValue, label: "fuzz", actor: "test", on: app.db).token }
                // A real workbook of the department, to upload with generated cells.
                let contents = try await DepartmentWorkbook.sheets(department: try await fixture.department("こども局"), on: app.db)
                let baseTables = DepartmentWorkbook.tables(contents)
                let counter = Counter()

                // Twenty numbers per case: which route, role and fields, and each field's text.
                await propertyCheck(count: 200, input: Gen.int(in: 0...Int.max).array(of: 24)) { numbers in
                    let pick = { (i: Int, count: Int) in Int(numbers[i].magnitude % UInt(max(count, 1))) }
                    // Half the cases act where writes succeed (the own section's open sheet, as
                    // its editor or the planner), so that generated input reaches the save paths.
                    let role = numbers[0] % 2 == 0 ? [Role.editor, .planner][pick(1, 2)] : roles[pick(0, roles.count)]
                    let sheet = numbers[2] % 2 == 0 ? place.sheets[0] : place.sheets[pick(1, place.sheets.count)]
                    let cycle = place.cycles[pick(2, place.cycles.count)]
                    var form: [String: String] = [:]
                    let names = Self.fieldNames(indicator: place.indicator)
                    for (offset, name) in names.enumerated() where numbers[3] >> (offset % 60) & 1 == 1 {
                        form[name] = Self.value(numbers[4 + offset % 20] &+ offset)
                    }
                    // Half the forms are plausible (KPI values, a comment, valid lengths), so that
                    // they pass validation and reach the writes; the rest stay wild.
                    if numbers[15] % 2 == 0 {
                        form = form.filter { $0.key.hasPrefix("target.") || $0.key.hasPrefix("actual.") || $0.key == "comment" }
                            .mapValues { String($0.prefix(150)) }
                        form["actual.\(place.indicator.uuidString)"] = Self.value(numbers[16] | 4)
                    }
                    // Often the sheet's current version, so that saves get past the version claim.
                    if numbers[5] % 3 != 0 { form["version"] = String(try await SheetStatus.find(sheet, on: app.db)?.version ?? numbers[6] % 12) }
                    if numbers[7] % 4 == 0 { form["department"] = place.department.uuidString }
                    let step = ["submit", "return", "approve", "withdraw", "publish", "nonsense", "correction", "history", "rates"][pick(8, 9)]
                    let routes: [(HTTPMethod, String)] = [
                        (.POST, SiteURL.adminSheet(sheet).path), (.POST, SiteURL.adminSheetStep(sheet, step).path),
                        (.POST, SiteURL.adminSheetCorrection(sheet).path), (.GET, SiteURL.adminSheet(sheet).path),
                        (.GET, SiteURL.adminSheetRates(sheet).path), (.GET, SiteURL.adminSheetHistory(sheet).path),
                        (.POST, SiteURL.adminCycles.path), (.POST, SiteURL.adminCycleAdvance(cycle).path), (.POST, SiteURL.adminCycleBack(cycle).path),
                        (.POST, SiteURL.adminCycleDeadlines(cycle).path), (.GET, SiteURL.adminCyclePublish(cycle).path),
                        (.GET, SiteURL.adminSheets.path), (.GET, SiteURL.admin.path), (.GET, SiteURL.adminCycles.path), (.GET, SiteURL.adminWorkbook.path),
                        (.GET, SiteURL.adminWorkbookDownload.path), (.POST, SiteURL.adminWorkbookPreview.path), (.POST, SiteURL.adminWorkbookApply.path),
                        (.POST, place.records[pick(9, place.records.count)]), (.GET, place.records[pick(9, place.records.count)]),
                        (.PATCH, "/api/v1/staff/sheets/\(sheet.uuidString.lowercased())"),
                        (.POST, "/api/v1/staff/sheets/\(sheet.uuidString.lowercased())/\(["submit", "return", "approve", "withdraw"][pick(10, 4)])"),
                        (.GET, "/api/v1/staff/sheets/\(sheet.uuidString.lowercased())"), (.GET, "/api/v1/staff/me"),
                        (.PATCH, "/api/v1/staff" + place.records[pick(9, place.records.count)].replacingOccurrences(of: "/admin", with: "")
                            .replacingOccurrences(of: "plans/", with: "plan-nodes/").replacingOccurrences(of: "manifesto-goals/", with: "manifesto-goals/")),
                    ]
                    for choice in [11, 12, 13] {
                    let (method, path) = routes[pick(choice, routes.count)]
                    var query = ""
                    if method == .GET {
                        let params = form.prefix(6).map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
                        query = params.isEmpty ? "" : "?" + params.joined(separator: "&")
                        if query.count > 8_000 { query = String(query.prefix(8_000)) }
                    }
                    var headers: HTTPHeaders = ["Accept": numbers[12] % 2 == 0 ? "text/html" : "application/json"]
                    var body: ByteBuffer?
                    if path.hasPrefix("/api/") {
                        if let role, numbers[13] % 5 != 0, let token = tokens[role] { headers.add(name: .authorization, value: "Bearer \(token)") }
                        headers.replaceOrAdd(name: .contentType, value: "application/json")
                        body = ByteBuffer(string: Self.json(form, numbers: numbers, indicator: place.indicator))
                    } else {
                        if let role, let session = fixture.sessions[role] {
                            headers.replaceOrAdd(name: .cookie, value: session.cookie)
                            if numbers[14] % 7 != 0 { form["_csrf"] = session.csrf }
                        }
                        if path == SiteURL.adminWorkbookPreview.path {
                            let boundary = "fuzz\(numbers[15] % 1000)"
                            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                            body = StaffExchangeTests.multipart(form.map { ($0.key, $0.value) }, file: Self.upload(baseTables, numbers: numbers), boundary: boundary)
                        } else {
                            headers.replaceOrAdd(name: .contentType, value: "application/x-www-form-urlencoded")
                            body = ByteBuffer(string: StaffFixture.encode(form))
                        }
                    }
                    try await app.testing().test(method, path + query, headers: headers, body: body) { response in
                        await counter.add(response.status)
                        #expect(response.status.code < 500, "\(method) \(path) as \(role?.rawValue ?? "anonymous") answered \(response.status): \(response.body.string.prefix(300))")
                    }
                    }
                }
                // Still serving, with its database.
                try await app.testing().test(.GET, SiteURL.healthz.path) { #expect($0.status == .ok) }
                let statuses = await counter.statuses
                print("staff fuzz (\(TestDatabase.kind)): \(statuses.values.reduce(0, +)) requests; " + statuses.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))
                // The cases reached the routes' logic, not only the doors: saves and refusals of input.
                #expect(statuses.keys.contains { (200..<400).contains($0) } && statuses.keys.contains(422))
            }
        }

        actor Counter {
            var statuses: [UInt: Int] = [:]
            func add(_ status: HTTPResponseStatus) { statuses[status.code, default: 0] += 1 }
        }

        /// A JSON body for the staff API from the generated fields: right and wrong types.
        static func json(_ form: [String: String], numbers: [Int], indicator: UUID) -> String {
            func quoted(_ text: String) -> String {
                let data = (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8)
                return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
            }
            var members: [String] = []
            switch numbers[16] % 4 {
            case 0: members.append("\"version\": \(numbers[17] % 10)")
            case 1: members.append("\"version\": \(quoted(form["version"] ?? "x"))")
            case 2: members.append("\"version\": 99999999999999999999999")
            default: break
            }
            for (name, text) in form where !name.hasPrefix("target.") && !name.hasPrefix("actual.") && name != "version" {
                members.append("\(quoted(name)): \(numbers[18] % 5 == 0 ? "[1, {\"a\": null}]" : quoted(text))")
            }
            let indicatorID = numbers[19] % 3 == 0 ? "not-a-uuid" : indicator.uuidString.lowercased()
            members.append("\"indicators\": [{\"id\": \(quoted(indicatorID)), \"target\": \(quoted(form["budget"] ?? "1")), \"actual\": \(quoted(form["comment"] ?? "2"))}]")
            members.append("\"fields\": {\(form.prefix(4).map { "\(quoted($0.key)): \(quoted($0.value))" }.joined(separator: ", "))}")
            return numbers[20] % 11 == 0 ? "{\"version\": " : "{" + members.joined(separator: ", ") + "}"
        }

        /// An upload: garbage bytes, an empty file, or the department's workbook with
        /// generated cells.
        static func upload(_ tables: [WorkbookTable], numbers: [Int]) -> Data {
            switch numbers[21] % 4 {
            case 0: return Data((0..<(numbers[22] % 4_096)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ numbers[23]) })
            case 1: return Data()
            default:
                var tables = tables
                for (t, table) in tables.enumerated() {
                    for (r, row) in table.rows.enumerated() {
                        for c in row.indices where (numbers[(t + r + c) % 24] >> c) & 1 == 1 {
                            tables[t].rows[r][c] = value(numbers[(t * 7 + r * 3 + c) % 24] &+ c)
                        }
                    }
                }
                let url = FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-fuzz-\(UUID().uuidString).xlsx")
                defer { try? FileManager.default.removeItem(at: url) }
                guard (try? XLSX.write(tables, to: url)) != nil, let data = try? Data(contentsOf: url) else { return Data() }
                return data
            }
        }
    }
}
