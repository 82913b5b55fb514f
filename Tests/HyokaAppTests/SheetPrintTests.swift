import Fluent
import Foundation
import HyokaCore
import HyokaImport
import Testing
import Vapor
import VaporTesting
@testable import HyokaApp

extension DatabaseTests {
    /// The sheet of the PDCA seed: the years it prints ahead, its lint findings, the PDF
    /// route, and the cache seeing new data.
    @Suite struct SheetPrintTests {
        func importPDCASheet(_ app: Application) async throws {
            let outcome = try await Importer.run(Seeds.url("policy-pdca-sheet.txt"), layout: nil, options: ReadOptions(municipalityCode: "401005"),
                                                 dryRun: false, on: app.db, actor: "test")
            #expect(outcome.succeeded)
        }

        func programID(_ name: String, _ app: Application) async throws -> UUID {
            try #require(try await Program.query(on: app.db).filter(\.$name == name).first()).requireID()
        }

        func write(_ dataset: Dataset, _ app: Application) async throws {
            try await TestDatabase.store(dataset, in: app, origin: "test")
        }

        @Test func aPDCASheetShowsTheBudgetsItPrintsAheadButNoDraftYear() async throws {
            try await TestDatabase.withApp { app in
                try await importPDCASheet(app)
                let id = try await programID("北九州市魅力発信事業", app)
                // The R3 sheet prints the budgets of R4 and R5, and 増減 between them.
                try await app.testing().test(.GET, SiteURL.program(id).link([("year", "2021")])) { response in
                    #expect(response.status == .ok)
                    let body = response.body.string
                    for text in ["令和4年度", "4,221", "令和5年度", "3,799", "8,700", "12,499", "減額", "事業費（千円）"] {
                        #expect(body.contains(text), "sheet lacks \(text)")
                    }
                }
                // Once a cycle for R4 exists and is not published, its year is a draft year.
                var draft = Dataset()
                draft.cycles = [CycleRecord(municipalityCode: "401005", fiscalYear: 2022, phase: .input)]
                var line = BudgetRecord(municipalityCode: "401005", program: "北九州市魅力発信事業", fiscalYear: 2022)
                line.budget = Money(yen: 7_777_000)
                draft.budgets = [line]
                try await write(draft, app)
                try await app.testing().test(.GET, SiteURL.program(id).link([("year", "2021")])) { response in
                    #expect(response.status == .ok)
                    let body = response.body.string
                    #expect(!body.contains("7,777"))
                    #expect(!body.contains("4,221"))
                    #expect(body.contains("3,799"))
                }
            }
        }

        @Test func aSheetListsItsLintFindings() async throws {
            try await TestDatabase.withApp { app in
                try await importPDCASheet(app)
                let withFinding = try await programID("海外とのネットワーク強化事業", app)
                try await app.testing().test(.GET, SiteURL.program(withFinding).link([("year", "2021")])) { response in
                    let body = response.body.string
                    #expect(body.contains("データの点検結果"))
                    #expect(body.contains("各種SNSによる発信件数"))
                    #expect(body.contains("基準値が「—」で、数値がありません"))
                }
                try await app.testing().test(.GET, SiteURL.program(withFinding).link([("year", "2021"), ("lang", "en")])) { response in
                    #expect(response.body.string.contains("the baseline is printed as —"))
                }
                let clean = try await programID("北九州市魅力発信事業", app)
                try await app.testing().test(.GET, SiteURL.program(clean).link([("year", "2021")])) { response in
                    let body = response.body.string
                    #expect(body.contains("このシートに点検で見つかった事項はありません。"))
                    #expect(!body.contains("各種SNSによる発信件数"))
                }
            }
        }

        @Test func thePDFRouteSaysWhatToDoWithoutChromium() async throws {
            try await TestDatabase.withApp { app in
                try await importPDCASheet(app)
                app.sheetPrinter = SheetPrinter(chromium: nil)
                let id = try await programID("北九州市魅力発信事業", app)
                try await app.testing().test(.GET, SiteURL.programPDF(id).link([("year", "2021")]), headers: ["Accept": "text/html"]) { response in
                    #expect(response.status == .serviceUnavailable)
                    #expect(response.body.string.contains("Chromium"))
                    #expect(response.body.string.contains("A3・横"))
                }
                // An unknown or unpublished sheet is 404 before any printing.
                try await app.testing().test(.GET, SiteURL.programPDF(UUID()).path, headers: ["Accept": "text/html"]) { response in
                    #expect(response.status == .notFound)
                }
                try await app.testing().test(.GET, "/programs/not-a-sheet.pdf", headers: ["Accept": "text/html"]) { response in
                    #expect(response.status == .notFound)
                }
                // The sheet links to its PDF.
                try await app.testing().test(.GET, SiteURL.program(id).link([("year", "2021")])) { response in
                    #expect(response.body.string.contains(SiteURL.programPDF(id).path))
                }
            }
        }

        @Test func theCachedListSeesNewData() async throws {
            try await TestDatabase.withApp { app in
                try await importPDCASheet(app)
                try await app.testing().test(.GET, "/programs?year=2021&q=魅力") { response in
                    #expect(response.body.string.contains("3件の事業"))
                    #expect(response.headers.first(name: "X-Hyoka-Cache") == nil)
                }
                // The same address again is the kept page; no-cache renders it anew.
                try await app.testing().test(.GET, "/programs?year=2021&q=魅力") { response in
                    #expect(response.headers.first(name: "X-Hyoka-Cache") == "hit")
                    #expect(response.body.string.contains("3件の事業"))
                }
                try await app.testing().test(.GET, "/programs?year=2021&q=魅力", headers: ["Cache-Control": "no-cache"]) { response in
                    #expect(response.headers.first(name: "X-Hyoka-Cache") == nil)
                }
                var more = Dataset()
                more.programs = [ProgramRecord(municipalityCode: "401005", name: "魅力あるまちづくり事業", summary: "新しい事業")]
                more.sheets = [SheetRecord(municipalityCode: "401005", fiscalYear: 2021, program: "魅力あるまちづくり事業", status: .published)]
                // Written as another process would (not through this server): the server
                // reads the data version again within a second.
                try await TestDatabase.storeBehindTheServer(more, in: app)
                try await Task.sleep(for: .milliseconds(1_100))
                try await app.testing().test(.GET, "/programs?year=2021&q=魅力") { response in
                    #expect(response.headers.first(name: "X-Hyoka-Cache") == nil)
                    #expect(response.body.string.contains("4件の事業"))
                    #expect(response.body.string.contains("魅力あるまちづくり事業"))
                }
                // Any request that may write (not GET or HEAD) makes the next page read the
                // version at once.
                try await app.testing().test(.GET, "/programs?year=2021&q=魅力") { response in
                    #expect(response.headers.first(name: "X-Hyoka-Cache") == "hit")
                }
                var third = Dataset()
                third.programs = [ProgramRecord(municipalityCode: "401005", name: "魅力発見ツアー事業", summary: "三つ目")]
                third.sheets = [SheetRecord(municipalityCode: "401005", fiscalYear: 2021, program: "魅力発見ツアー事業", status: .published)]
                try await TestDatabase.storeBehindTheServer(third, in: app)
                try await app.testing().test(.POST, "/login", beforeRequest: { request in
                    try request.content.encode(["login": "nobody", "password": "wrong"], as: .urlEncodedForm)
                }) { _ in }
                try await app.testing().test(.GET, "/programs?year=2021&q=魅力") { response in
                    #expect(response.headers.first(name: "X-Hyoka-Cache") == nil)
                    #expect(response.body.string.contains("5件の事業"))
                }
            }
        }
    }
}

@Suite struct ChromiumLocationTests {
    @Test func turnedOffOrMissingMeansNoPDF() {
        #expect(ChromiumPDF.locate(environment: ["HYOKA_CHROMIUM": "off", "PATH": "/usr/bin"]) == nil)
        #expect(ChromiumPDF.locate(environment: ["HYOKA_CHROMIUM": "/nonexistent/chromium"]) == nil)
        #expect(ChromiumPDF.locate(environment: ["PATH": "/nonexistent"]) == nil)
    }

    @Test func foundOnThePathInOrder() throws {
        let directory = try Seeds.temporaryDirectory()
        for name in ["google-chrome", "chromium-browser"] {
            let path = directory.appendingPathComponent(name).path
            FileManager.default.createFile(atPath: path, contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        }
        let found = ChromiumPDF.locate(environment: ["PATH": "/nonexistent:" + directory.path])
        #expect(found?.executable == directory.appendingPathComponent("chromium-browser").path)
        let configured = ChromiumPDF.locate(environment: ["HYOKA_CHROMIUM": directory.appendingPathComponent("google-chrome").path, "PATH": directory.path])
        #expect(configured?.executable == directory.appendingPathComponent("google-chrome").path)
    }
}
