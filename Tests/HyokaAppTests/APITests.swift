import Fluent
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HyokaCore
import HyokaImport
import Testing
import Vapor
import VaporTesting
@testable import HyokaApp

extension DatabaseTests {
    /// The JSON API through HTTP: every route, answers checked against the OpenAPI
    /// document, no draft ever in an answer, tokens and the policy on the write routes.
    @Suite struct APITests {
        /// The five seeds as 北九州市 (published), and a draft FY2025 cycle with a program
        /// and values that must never appear.
        func seed(_ app: Application) async throws {
            for document in DemoCommand.seedDocuments {
                let outcome = try await Importer.run(Seeds.url(document.file), layout: nil, options: ReadOptions(municipalityCode: document.municipality, fiscalYear: document.fiscalYear),
                                                     dryRun: false, on: app.db, actor: "test")
                #expect(outcome.succeeded, "\(document.file)")
            }
            var draft = Dataset()
            draft.programs = [ProgramRecord(municipalityCode: "401005", name: "下書きだけの秘密事業", summary: "まだ公表されていない事業")]
            draft.cycles = [CycleRecord(municipalityCode: "401005", fiscalYear: 2025, phase: .input)]
            draft.sheets = [SheetRecord(municipalityCode: "401005", fiscalYear: 2025, program: "下書きだけの秘密事業", status: .draft),
                            SheetRecord(municipalityCode: "401005", fiscalYear: 2025, program: "防犯カメラ運用事業", status: .draft)]
            var secretBudget = BudgetRecord(municipalityCode: "401005", program: "防犯カメラ運用事業", fiscalYear: 2025)
            secretBudget.budget = Money(yen: 987_654_321_000)
            draft.budgets = [secretBudget]
            var secretGoal = ManifestoGoalRecord(municipalityCode: "401005", department: "下書き局", fiscalYear: 2025, number: 1, title: "未公表の目標")
            secretGoal.selfReason = "まだ公表されていない理由"
            draft.departments = [DepartmentRecord(municipalityCode: "401005", name: "下書き局", level: .bureau)]
            draft.manifestos = [ManifestoRecord(municipalityCode: "401005", department: "下書き局", fiscalYear: 2025)]
            draft.manifestoGoals = [secretGoal]
            try await TestDatabase.store(draft, in: app, origin: "draft")
        }

        static let secrets = ["下書きだけの秘密事業", "まだ公表されていない", "987654321000", "未公表の目標"]

        func get(_ app: Application, _ path: String, headers: HTTPHeaders = [:]) async throws -> (status: HTTPResponseStatus, headers: HTTPHeaders, body: String) {
            var result: (HTTPResponseStatus, HTTPHeaders, String) = (.ok, [:], "")
            try await app.testing().test(.GET, path, headers: headers) { result = ($0.status, $0.headers, $0.body.string) }
            return result
        }

        func json(_ text: String) throws -> Any {
            try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        }

        @Test func everyPublicRouteAnswersAsTheDocumentSaysAndNoDraftAppears() async throws {
            try await TestDatabase.withApp { app in
                try await seed(app)
                let document = try #require(try json(try await get(app, APIRoutes.documentPath).body) as? [String: Any])
                let validator = SchemaValidator(document: document)
                let program = try #require(try await Program.query(on: app.db).filter(\.$name == "防犯カメラ運用事業").first())
                let secret = try #require(try await Program.query(on: app.db).filter(\.$name == "下書きだけの秘密事業").first())

                var checked = 0
                for route in APIRoutes.all where route.tag != "staff" {
                    let path = route.path.replacingOccurrences(of: "{code}", with: "401005")
                        .replacingOccurrences(of: "{id}", with: try program.requireID().uuidString.lowercased())
                    let answer = try await get(app, path)
                    #expect(answer.status == .ok, "\(path): \(answer.body.prefix(300))")
                    #expect(answer.headers.first(name: .contentType)?.hasPrefix("application/json") == true, "\(path)")
                    if route.tag != "document" {
                        #expect(answer.headers.first(name: "Access-Control-Allow-Origin") == "*", "\(path) allows CORS")
                        for text in Self.secrets {
                            #expect(!answer.body.contains(text), "\(path) shows draft data: \(text)")
                        }
                    }
                    let problems = validator.validate(try json(answer.body), against: validator.responseSchema(route.path, route.method.rawValue.lowercased()))
                    #expect(problems.isEmpty, "\(path) does not match the document: \(problems.prefix(5))")
                    checked += 1
                }
                #expect(checked == APIRoutes.all.filter { $0.tag != "staff" }.count)

                // Unpublished things are simply not there.
                #expect(try await get(app, "/api/v1/programs/\(try secret.requireID().uuidString.lowercased())").status == .notFound)
                #expect(try await get(app, "/api/v1/municipalities/401005/programs?fiscal_year=2025").status == .notFound)
                let unknown = try await get(app, "/api/v1/municipalities/402036")
                #expect(unknown.status == .notFound)
                #expect(unknown.headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true)
                let problem = try #require(try json(unknown.body) as? [String: Any])
                #expect((problem["detail"] as? String)?.contains("402036") == true && problem["detail_en"] is String && problem["title_en"] as? String == "Not Found")
                #expect(validator.validate(problem, against: ["$ref": "#/components/schemas/Problem"]).isEmpty)
                // A parameter the document does not allow is refused, naming it.
                let bad = try await get(app, "/api/v1/municipalities/401005/programs?sdg=18")
                #expect(bad.status == .badRequest && bad.body.contains("sdg"))

                // Facet filters as on the portal: 防犯 finds the program, and counts add up.
                let search = try #require(try json(try await get(app, "/api/v1/municipalities/401005/programs?q=%E9%98%B2%E7%8A%AF").body) as? [String: Any])
                let items = try #require(search["items"] as? [[String: Any]])
                #expect(items.contains { $0["name"] as? String == "防犯カメラ運用事業" })
                let facets = try #require(search["facets"] as? [String: [[String: Any]]])
                #expect(facets["grade"]?.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == search["total"] as? Int)
            }
        }

        @Test func routesAndDocumentNameTheSameOperations() async throws {
            try await TestDatabase.withApp(migrated: false) { app in
                let registered = Set(app.routes.all.filter { $0.path.first?.description == "api" }.map { route in
                    "\(route.method.rawValue.lowercased()) /" + route.path.map { component in
                        if case let .parameter(name) = component { return "{\(name)}" }
                        return component.description
                    }.joined(separator: "/")
                })
                let document = try #require(try json(OpenAPIDocument.build().serialized) as? [String: Any])
                let paths = try #require(document["paths"] as? [String: [String: Any]])
                let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0) \(path)" } })
                #expect(registered == documented)
                #expect(documented.count == APIRoutes.all.count)
            }
        }

        @Test func cursorsWalkEveryRowOnceAndETagsAnswer304() async throws {
            try await TestDatabase.withApp { app in
                try await seed(app)
                var seen: [String] = [], cursor: String? = nil, total = 0, pages = 0
                repeat {
                    let answer = try await get(app, "/api/v1/municipalities/401005/data/indicator_values?limit=7" + (cursor.map { "&cursor=\($0)" } ?? ""))
                    #expect(answer.status == .ok)
                    let page = try #require(try json(answer.body) as? [String: Any])
                    total = page["total"] as? Int ?? -1
                    for item in page["items"] as? [[String: Any]] ?? [] {
                        seen.append(String(data: try JSONSerialization.data(withJSONObject: item, options: .sortedKeys), encoding: .utf8) ?? "")
                    }
                    cursor = page["next_cursor"] as? String
                    if cursor != nil { #expect(answer.headers.first(name: "Link")?.contains("rel=\"next\"") == true) }
                    pages += 1
                } while cursor != nil && pages < 100
                #expect(total > 14)
                #expect(seen.count == total && Set(seen).count == total)

                let first = try await get(app, "/api/v1/municipalities/401005/programs")
                let etag = try #require(first.headers.first(name: .eTag))
                let again = try await get(app, "/api/v1/municipalities/401005/programs", headers: ["If-None-Match": etag])
                #expect(again.status == .notModified && again.body.isEmpty)
                #expect(try await get(app, "/api/v1/municipalities/401005/programs", headers: ["If-None-Match": "\"other\""]).status == .ok)
                #expect(try await get(app, "/api/v1/municipalities?cursor=garbage").status == .badRequest)
                try await app.testing().test(.OPTIONS, "/api/v1/municipalities", headers: ["Origin": "https://example.jp", "Access-Control-Request-Method": "GET"]) { response in
                    #expect(response.status == .noContent)
                    #expect(response.headers.first(name: "Access-Control-Allow-Methods")?.contains("PATCH") == false)
                }
            }
        }

        // MARK: writes

        /// The staff fixture, with records for the four record forms.
        func staff(_ app: Application) async throws -> StaffFixture {
            let fixture = try await StaffFixture.make(app, signIn: true)
            var extra = Dataset()
            let code = StaffFixture.cityCode
            extra.plans = [PlanRecord(municipalityCode: code, name: "基本計画")]
            extra.planNodes = [PlanNodeRecord(municipalityCode: code, plan: "基本計画", code: "1-1", title: "子育て支援", level: "施策")]
            extra.planLinks = [PlanLinkRecord(municipalityCode: code, plan: "基本計画", nodeCode: "1-1", program: StaffFixture.Place.ownSection.program)]
            extra.regions = [RegionRecord(municipalityCode: code, name: "連携圏", centralCity: "北九州市")]
            extra.collaborationProjects = [CollaborationProjectRecord(municipalityCode: code, region: "連携圏", policyField: "子育て", agreementCategory: "ア", name: "広域子育て事業")]
            extra.manifestos = [ManifestoRecord(municipalityCode: code, department: "こども局", fiscalYear: 2025)]
            extra.manifestoGoals = [ManifestoGoalRecord(municipalityCode: code, department: "こども局", fiscalYear: 2025, number: 1, title: "待機児童ゼロ")]
            extra.inventoryReviews = [InventoryReviewRecord(municipalityCode: code, program: StaffFixture.Place.ownSection.program, fiscalYear: 2025, reviewRound: "2025", result: .continue)]
            try await TestDatabase.store(extra, in: app)
            try await fixture.openInput()
            return fixture
        }

        func send(_ app: Application, _ method: HTTPMethod, _ path: String, token: String?, _ body: String = "{}") async throws -> (status: HTTPResponseStatus, body: String) {
            var headers: HTTPHeaders = ["Content-Type": "application/json"]
            if let token { headers.add(name: .authorization, value: "Bearer \(token)") }
            var result: (HTTPResponseStatus, String) = (.ok, "")
            try await app.testing().test(method, path, headers: headers, body: ByteBuffer(string: body)) { result = ($0.status, $0.body.string) }
            return result
        }

        /// The fields real sheets hold go through the API as through the form: hours (人件費
        /// computed from them), 期待成果 and the municipality's checklist by position.
        @Test func theSheetAPICarriesHoursExpectedResultsAndTheChecklist() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await staff(app)
                let city = try await fixture.municipality(StaffFixture.cityCode)
                city.personnelCostPerHourYen = 4_000
                city.evaluationViewpoints = "必要性\n有効性"
                try await city.save(on: app.db)
                let editor = try await APITokens.create(login: "editor", label: "test", actor: "test", on: app.db).token
                let own = try await fixture.sheet(.ownSection, year: 2025).requireID().uuidString.lowercased()
                let read = try await send(app, .GET, "/api/v1/staff/sheets/\(own)", token: editor)
                #expect(read.status == .ok && read.body.contains("\"viewpoint\":\"有効性\""), "\(read.body)")
                let body = #"{"version": 0, "work_hours": "280", "purpose_target": "市民", "expected_outcome": "向上", "expected_cost": "削減", "viewpoints": [{"position": 1, "judgement": "成果が上がっている", "reason": "利用者が増えた。"}]}"#
                let saved = try await send(app, .PATCH, "/api/v1/staff/sheets/\(own)", token: editor, body)
                #expect(saved.status == .ok, "\(saved.body)")
                let sheet = try #require(try json(saved.body) as? [String: Any])
                #expect(sheet["work_hours"] as? String == "280" && sheet["expected_cost"] as? String == "削減" && sheet["purpose_target"] as? String == "市民")
                #expect(sheet["personnel_cost"] as? String == "1120", "280 hours × 4,000 円 = 1,120 千円")
                let viewpoints = try #require(sheet["viewpoints"] as? [[String: Any]])
                #expect(viewpoints.count == 2 && viewpoints[1]["judgement"] as? String == "成果が上がっている" && viewpoints[0]["judgement"] as? String == "")
                // A position the municipality does not ask is refused, naming the field.
                let wrong = try await send(app, .PATCH, "/api/v1/staff/sheets/\(own)", token: editor, #"{"version": 1, "viewpoints": [{"position": 7, "judgement": "x"}]}"#)
                #expect(wrong.status == .unprocessableEntity && wrong.body.contains("viewpoints"), "\(wrong.body)")
            }
        }

        @Test func writeRoutesNeedATokenOfTheRightDepartmentAndAreAudited() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await staff(app)
                let editor = try await APITokens.create(login: "editor", label: "test", actor: "test", on: app.db).token
                let planner = try await APITokens.create(login: "planner", label: "test", actor: "test", on: app.db).token
                let approver = try await APITokens.create(login: "approver", label: "test", actor: "test", on: app.db).token
                let own = try await fixture.sheet(.ownSection, year: 2025).requireID().uuidString.lowercased()
                let otherBureau = try await fixture.sheet(.otherBureau, year: 2025).requireID().uuidString.lowercased()
                let indicator = try await fixture.indicator(.ownSection).requireID().uuidString.lowercased()
                let save = #"{"version": 0, "indicators": [{"id": "\#(indicator)", "actual": "231"}], "comment": "APIから", "grade": "順調", "direction": "継続"}"#

                // Without a token, with a wrong one: 401 as a problem document, nothing written.
                let anonymous = try await send(app, .PATCH, "/api/v1/staff/sheets/\(own)", token: nil, save)
                #expect(anonymous.status == .unauthorized && anonymous.body.contains("detail_en"))
                #expect(try await send(app, .PATCH, "/api/v1/staff/sheets/\(own)", token: "hyoka_notatoken", save).status == .unauthorized)
                // Another department's sheet: the policy says no.
                let foreign = try await send(app, .PATCH, "/api/v1/staff/sheets/\(otherBureau)", token: editor, save)
                #expect(foreign.status == .forbidden, "\(foreign.body)")
                #expect(try await AuditEntry.query(on: app.db).filter(\.$source == "api").count() == 0)

                // The own sheet: saved, rate computed by HyokaCore, audited as api.
                let saved = try await send(app, .PATCH, "/api/v1/staff/sheets/\(own)", token: editor, save)
                #expect(saved.status == .ok, "\(saved.body)")
                let sheet = try #require(try json(saved.body) as? [String: Any])
                #expect(sheet["version"] as? Int == 1 && sheet["comment"] as? String == "APIから")
                let row = try #require((sheet["indicators"] as? [[String: Any]])?.first)
                #expect(row["actual"] as? String == "231" && row["target"] as? String == "200")
                #expect((row["achievement_rate"] as? NSNumber)?.doubleValue == 115.5)
                let audited = try await AuditEntry.query(on: app.db).filter(\.$source == "api").filter(\.$field == "actual_raw").all()
                #expect(audited.map(\.after) == ["231"] && audited.first?.actor == "editor")

                // Stale version: 409 with what changed; bad value: 422 naming the field.
                let stale = try await send(app, .PATCH, "/api/v1/staff/sheets/\(own)", token: editor, save)
                #expect(stale.status == .conflict && stale.body.contains("\"changes\"") && stale.body.contains("231"))
                let invalid = try await send(app, .PATCH, "/api/v1/staff/sheets/\(own)", token: editor, #"{"version": 1, "budget": "たくさん"}"#)
                #expect(invalid.status == .unprocessableEntity && invalid.body.contains("\"field\":\"budget\""), "\(invalid.body)")
                #expect(try await send(app, .PATCH, "/api/v1/staff/sheets/\(own)", token: editor, #"{"budget": "1"}"#).status == .badRequest)

                // Steps: the editor submits; the editor cannot approve; the approver returns with a reason.
                #expect(try await send(app, .POST, "/api/v1/staff/sheets/\(own)/submit", token: editor, #"{"version": 1}"#).status == .ok)
                #expect(try await send(app, .POST, "/api/v1/staff/sheets/\(own)/approve", token: editor, #"{"version": 2}"#).status == .forbidden)
                #expect(try await send(app, .POST, "/api/v1/staff/sheets/\(own)/return", token: approver, #"{"version": 2}"#).status == .unprocessableEntity)
                let returned = try await send(app, .POST, "/api/v1/staff/sheets/\(own)/return", token: approver, #"{"version": 2, "reason": "実績の根拠を"}"#)
                #expect(returned.status == .ok && returned.body.contains("\"state\":\"returned\""))
                #expect(try await send(app, .POST, "/api/v1/staff/sheets/\(own)/submit", token: editor, #"{"version": 3}"#).status == .ok)
                #expect(try await send(app, .POST, "/api/v1/staff/sheets/\(own)/approve", token: approver, #"{"version": 4}"#).status == .ok)

                // The four record forms: the planner writes, the editor may not.
                let node = try #require(try await PlanNode.query(on: app.db).filter(\.$code == "1-1").first()).requireID()
                let goal = try #require(try await ManifestoGoal.query(on: app.db).first()).requireID()
                let project = try #require(try await CollaborationProject.query(on: app.db).first()).requireID()
                let review = try #require(try await InventoryReview.query(on: app.db).first()).requireID()
                for (path, id) in [("plan-nodes/%@/evaluation", node), ("manifesto-goals/%@", goal), ("collaboration-projects/%@", project), ("inventory-reviews/%@", review)] {
                    let url = "/api/v1/staff/" + path.replacingOccurrences(of: "%@", with: id.uuidString.lowercased())
                    let current = try await send(app, .GET, url, token: planner)
                    #expect(current.status == .ok, "\(url) \(current.body)")
                    let record = try #require(try json(current.body) as? [String: Any])
                    let fields = try #require(record["fields"] as? [String: String])
                    let field = try #require(fields.keys.sorted().first { ["comment", "note", "content", "self_reason", "selfReason"].contains($0) } ?? fields.keys.sorted().last)
                    let version = record["version"] as? Int ?? 0
                    #expect(try await send(app, .PATCH, url, token: editor, #"{"version": \#(version), "fields": {"\#(field)": "x"}}"#).status == .forbidden, "\(url)")
                    #expect(try await send(app, .PATCH, url, token: planner, #"{"version": \#(version), "fields": {"no_such_field": "x"}}"#).status == .unprocessableEntity)
                    let written = try await send(app, .PATCH, url, token: planner, #"{"version": \#(version), "fields": {"\#(field)": "APIで記入"}}"#)
                    #expect(written.status == .ok, "\(url) \(field) \(written.body)")
                    #expect(written.body.contains("APIで記入"))
                    #expect(try await send(app, .PATCH, url, token: planner, #"{"version": \#(version), "fields": {"\#(field)": "古い版"}}"#).status == .conflict, "\(url) saved twice on one version")
                }
                #expect(try await AuditEntry.query(on: app.db).filter(\.$source == "api").filter(\.$after == "APIで記入").count() == 4)

                // Another municipality's token sees nothing of this one; a revoked token stops working.
                let me = try await send(app, .GET, "/api/v1/staff/me", token: editor)
                #expect(me.status == .ok && me.body.contains("\"department\":\"子育て支援課\""))
                let prefix = String(editor.prefix(12))
                _ = try await APITokens.revoke(prefix, login: "editor", actor: "test", on: app.db)
                #expect(try await send(app, .GET, "/api/v1/staff/me", token: editor).status == .unauthorized)
                let stored = try await APIToken.query(on: app.db).all()
                #expect(stored.allSatisfy { $0.tokenHash.count == 64 && !$0.tokenHash.contains("hyoka_") })
                #expect(!stored.contains { $0.tokenHash == editor })
            }
        }

        // MARK: open data

        @Test func theBundleReadsBackInUTF8AndCP932WithTheSeedsJapaneseIntact() async throws {
            try await TestDatabase.withApp { app in
                try await seed(app)
                let folder = try Seeds.temporaryDirectory()
                defer { try? FileManager.default.removeItem(at: folder) }
                var zip = Data()
                try await app.testing().test(.GET, "/open-data/hyoka-401005-all.zip") { response in
                    #expect(response.status == .ok)
                    #expect(response.headers.contentType == .zip)
                    zip = Data(buffer: response.body)
                }
                let url = folder.appendingPathComponent("hyoka-401005-all.zip")
                try zip.write(to: url)
                let page = try await get(app, "/open-data", headers: ["Accept": "text/html"])
                #expect(page.status == .ok && page.body.contains("hyoka-401005-2021.zip") && page.body.contains("CC BY 4.0"))
                #expect(try await get(app, "/open-data/hyoka-401005-2025.zip").status == .notFound)

                let script = #"""
import csv, io, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
root = names[0].split('/')[0]
def table(encoding, name):
    raw = z.read(f"{root}/{'utf8' if encoding == 'utf-8-sig' else 'cp932'}/{name}.csv")
    if encoding == 'utf-8-sig':
        assert raw.startswith(b'\xef\xbb\xbf'), name + ': no BOM'
    return list(csv.reader(io.StringIO(raw.decode(encoding), newline='')))
windows = str.maketrans({'\u2212': '\uff0d', '\u301c': '\uff5e', '\u2016': '\u2225', '\u2014': '\u2015', '\u00a2': '\uffe0', '\u00a3': '\uffe1', '\u00ac': '\uffe2'})
tables = sorted({n.split('/')[-1][:-4] for n in names if n.endswith('.csv')})
cells = 0
for name in tables:
    utf8, sjis = table('utf-8-sig', name), table('cp932', name)
    assert len(utf8) == len(sjis), name
    for a, b in zip(utf8, sjis):
        for x, y in zip(a, b):
            assert x.translate(windows) == y or '\u3013' in y, (name, x, y)
            cells += 1
text = {name: '\n'.join(','.join(r) for r in table('cp932', name)) for name in tables}
for name, needle in [('programs', '防犯カメラ運用事業'), ('regions', '北九州市連携中枢都市圏'), ('municipalities', '北九州市'),
                     ('departments', '地域振興課'), ('headline_figures', 'ふるさと納税の受入金額'), ('data_dictionary', '達成率')]:
    assert needle in text[name] or needle in '\n'.join(','.join(r) for r in table('utf-8-sig', name)), (name, needle)
    assert needle in text[name], (name, needle, 'missing in cp932')
for hidden in ['下書きだけの秘密事業', '987654321000', '未公表の目標']:
    assert all(hidden not in t for t in text.values()), hidden
# The seed manifesto is 伊賀市's: none in 北九州市's bundle.
assert len(table('cp932', 'manifestos')) == 1, "another municipality's manifesto was published"
licence = z.read(f"{root}/LICENSE.txt").decode('utf-8-sig')
assert 'CC BY 4.0' in licence and '北九州市' in licence
assert f"{root}/hyoka.json" in names
print(len(tables), cells)
"""#
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = ["python3", "-c", script, url.path]
                let output = Pipe(), errors = Pipe()
                process.standardOutput = output
                process.standardError = errors
                try process.run()
                process.waitUntilExit()
                let message = String(data: errors.fileHandleForReading.readDataToEndOfFile(), encoding: .utf8) ?? ""
                let printed = String(data: output.fileHandleForReading.readDataToEndOfFile(), encoding: .utf8) ?? ""
                #expect(process.terminationStatus == 0, "python3 reading the bundle: \(message)")
                let counts = printed.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                #expect(counts.first == Workbook.schema.count + 1, "tables: \(printed)")
                #expect((counts.last ?? 0) > 1_000, "cells compared: \(printed)")
            }
        }

        @Test func theFeedHasAnEntryPerPublishedCycle() async throws {
            try await TestDatabase.withApp { app in
                try await seed(app)
                let feed = try await get(app, "/feed.atom")
                #expect(feed.status == .ok && feed.headers.first(name: .contentType)?.hasPrefix("application/atom+xml") == true)
                let entries = feed.body.components(separatedBy: "<entry>").count - 1
                let published = try await Cycle.query(on: app.db).filter(\.$phase == CyclePhase.published.rawValue).count()
                #expect(entries == published && published >= 2)
                #expect(feed.body.contains("hyoka-401005-2024.zip") && !feed.body.contains("hyoka-401005-2025.zip"))
                #expect(XMLParser(data: Data(feed.body.utf8)).parse(), "the feed is well-formed XML")
            }
        }
    }
}

/// Enough of JSON Schema to check the API's answers against its own document: types
/// (with null), required, properties, additionalProperties: false, items, enum, $ref, oneOf.
struct SchemaValidator {
    let document: [String: Any]

    func responseSchema(_ path: String, _ method: String) -> [String: Any] {
        let paths = document["paths"] as? [String: [String: Any]]
        let operation = paths?[path]?[method] as? [String: Any]
        let ok = (operation?["responses"] as? [String: Any])?["200"] as? [String: Any]
        return ((ok?["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any] ?? [:]
    }

    func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let ref = schema["$ref"] as? String else { return schema }
        let name = String(ref.split(separator: "/").last ?? "")
        return resolve(((document["components"] as? [String: Any])?["schemas"] as? [String: Any])?[name] as? [String: Any] ?? [:])
    }

    func validate(_ value: Any, against raw: [String: Any], at path: String = "$") -> [String] {
        let schema = resolve(raw)
        if let options = schema["oneOf"] as? [[String: Any]] {
            return options.contains { validate(value, against: $0, at: path).isEmpty } ? [] : ["\(path): matches no oneOf"]
        }
        var problems: [String] = []
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == "\(value)" || ($0 is NSNull && value is NSNull) }) {
            problems.append("\(path): \(value) not in enum")
        }
        let types: [String] = (schema["type"] as? [String]) ?? ((schema["type"] as? String).map { [$0] } ?? [])
        guard !types.isEmpty else { return problems }
        func isType(_ type: String) -> Bool {
            switch type {
            case "null": return value is NSNull
            case "string": return value is String
            // JSONSerialization gives NSNumber for booleans too; a string where a number or
            // boolean belongs is still caught.
            case "boolean": return value is Bool || value is NSNumber
            case "integer": return (value as? NSNumber).map { $0.doubleValue == $0.doubleValue.rounded() } ?? false
            case "number": return value is NSNumber
            case "array": return value is [Any]
            case "object": return value is [String: Any]
            default: return true
            }
        }
        guard types.contains(where: isType) else { return problems + ["\(path): \(type(of: value)) \(value) is not \(types)"] }
        if let object = value as? [String: Any], types.contains("object") {
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { problems.append("\(path).\(key): missing") }
            for (key, item) in object {
                if let property = properties[key] {
                    problems += validate(item, against: property, at: "\(path).\(key)")
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    problems += validate(item, against: additional, at: "\(path).\(key)")
                } else if schema["additionalProperties"] as? Bool == false {
                    problems.append("\(path).\(key): not in the schema")
                }
            }
        }
        if let array = value as? [Any], types.contains("array"), let items = schema["items"] as? [String: Any] {
            for (i, item) in array.enumerated() { problems += validate(item, against: items, at: "\(path)[\(i)]") }
        }
        return problems
    }
}
