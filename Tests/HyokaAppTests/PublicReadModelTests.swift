import Fluent
import Foundation
import HyokaCore
import HyokaImport
import SQLKit
import Testing
import Vapor
import VaporTesting
import ZIPFoundation
@testable import HyokaApp

extension DatabaseTests {
    /// Issue 16: what the public sees is derived once, when it changes, by one derivation, and
    /// each municipality's pages follow its own data version, in every server process.
    @Suite struct PublicReadModelTests {
        typealias Place = StaffFixture.Place

        func etag(_ app: Application, _ path: String, headers: HTTPHeaders = [:]) async throws -> (status: HTTPResponseStatus, etag: String, hit: Bool, body: String) {
            var result: (HTTPResponseStatus, String, Bool, String) = (.internalServerError, "", false, "")
            try await app.testing().test(.GET, path, headers: headers) { response in
                result = (response.status, response.headers.first(name: .eTag) ?? "", response.headers.first(name: "X-Hyoka-Cache") == "hit",
                          response.body.string)
            }
            return result
        }

        /// A table of the API (`/api/v1/municipalities/{code}/data/{table}`), every page, as
        /// `key columns joined by "/"` → the value column's text.
        func apiTable(_ app: Application, _ code: String, _ table: String, key: [String], value: String) async throws -> [String: String] {
            var found: [String: String] = [:], cursor: String? = nil, pages = 0
            repeat {
                var body = ByteBuffer()
                let path = "/api/v1/municipalities/\(code)/data/\(table)?limit=500" + (cursor.map { "&cursor=\($0)" } ?? "")
                try await app.testing().test(.GET, path) { response in
                    #expect(response.status == .ok, "\(path)")
                    body = response.body
                }
                let page = try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])
                for item in page["items"] as? [[String: Any]] ?? [] {
                    let text = { (name: String) -> String in item[name].map { "\($0)" }.flatMap { $0 == "<null>" ? nil : $0 } ?? "" }
                    found[key.map(text).joined(separator: "/")] = text(value)
                }
                cursor = page["next_cursor"] as? String
                pages += 1
            } while cursor != nil && pages < 200
            return found
        }

        /// The UTF-8 tables of a municipality's whole open-data bundle, as downloaded.
        struct BundleTables {
            var tables: [String: [[String]]]
            func table(_ name: String, key: [String], value: String) -> [String: String] {
                guard let rows = tables[name], let header = rows.first else { return [:] }
                let index = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
                let cell = { (row: [String], name: String) in index[name].flatMap { $0 < row.count ? row[$0] : nil } ?? "" }
                return Dictionary(rows.dropFirst().map { row in (key.map { cell(row, $0) }.joined(separator: "/"), cell(row, value)) },
                                  uniquingKeysWith: { a, _ in a })
            }
        }

        func bundleTables(_ app: Application, _ code: String) async throws -> BundleTables {
            var zip = Data()
            try await app.testing().test(.GET, "/open-data/hyoka-\(code)-all.zip") { response in
                #expect(response.status == .ok)
                zip = Data(buffer: response.body)
            }
            let archive = try Archive(data: zip, accessMode: .read)
            var tables: [String: [[String]]] = [:]
            for entry in archive where entry.path.contains("/utf8/") && entry.path.hasSuffix(".csv") {
                var data = Data()
                _ = try archive.extract(entry) { data.append($0) }
                var text = String(decoding: data, as: UTF8.self)
                if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
                let name = String(entry.path.split(separator: "/").last?.dropLast(4) ?? "")
                tables[name] = try DelimitedText(text: text, format: .csv, file: entry.path).rows
            }
            return BundleTables(tables: tables)
        }

        /// The seeds' printed 達成率 and 増減 labels come out of HyokaCore's `ProgramFigures`
        /// the same through every path: the dataset's computed columns (export, open data,
        /// API), the read model the portal lists from, and the sheet page.
        @Test func theSeedsPrintedFiguresComeOutOfTheOneDerivation() async throws {
            try await TestDatabase.withApp { app in
                for (seed, options) in [("program-evaluation-table.txt", ReadOptions(municipalityCode: "401005", fiscalYear: 2024)), ("policy-pdca-sheet.txt", ReadOptions(municipalityCode: "401005")),
                                        ("regional-collaboration-plan.txt", ReadOptions(municipalityCode: "401005")), ("department-manifesto.txt", ReadOptions(municipalityCode: "242161"))] {
                    let outcome = try await Importer.run(Seeds.url(seed), layout: nil, options: options, dryRun: false, on: app.db, actor: "test")
                    #expect(outcome.succeeded, "\(seed)")
                }
                let dataset = try await DatasetLoader.load(on: app.db)
                let computed = Computations(dataset)
                let printedRates = dataset.indicatorValues.filter { $0.publishedRateRaw.map { Measure.parse($0).kind == .number } ?? false }
                let printedTrends = dataset.budgets.filter { $0.publishedTrend.flatMap(BudgetTrend.init(japanese:)) != nil }
                // The printed rates and 増減 labels as records: the PDCA sheet prints a program
                // under each 施策 it serves, so its 38 trend cells (each checked from the text in
                // HyokaCore's BudgetTrendTests) are 22 programs' budgets, and the seeds' printed
                // rates 34 KPI values.
                #expect(printedRates.count == 34 && printedTrends.count == 22, "\(printedRates.count) rates, \(printedTrends.count) trends")
                let sql = try #require(app.db as? any SQLDatabase)
                let readRates = try await sql.select().column("*").from("public_kpi_rates")
                    .all(decoding: PublicReadModel.KPIRateRecord.self, with: PublicReadModel.decoder)
                let readRows = try await sql.select().column("*").from("public_programs")
                    .all(decoding: PublicReadModel.ProgramRecord.self, with: PublicReadModel.decoder)
                #expect(!readRows.isEmpty && !readRates.isEmpty)
                var throughReadModel = 0, throughSheet = 0
                for value in printedRates {
                    let printed = try #require(Measure.parse(value.publishedRateRaw ?? "").value)
                    let ours = try computed.achievementRate(value).get()
                    #expect(ours == printed, "\(value.indicatorName) \(value.fiscalYear): computed \(ours), printed \(printed)")
                    guard case let .program(name) = value.owner else { continue }
                    let program = try #require(try await Program.query(on: app.db).filter(\.$name == name).first())
                    let indicator = try #require(try await Indicator.query(on: app.db).filter(\.$program.$id == program.requireID())
                        .filter(\.$name == value.indicatorName).first())
                    guard let stored = readRates.first(where: { $0.indicatorId == indicator.id && $0.fiscalYear == value.fiscalYear }) else { continue }
                    #expect(try stored.result.get() == printed, "read model: \(name) / \(value.indicatorName)")
                    throughReadModel += 1
                    // The sheet of a year it is published in that shows the value's year.
                    guard let year = readRows.filter({ $0.programId == program.id && $0.fiscalYear >= value.fiscalYear }).map(\.fiscalYear).min() else { continue }
                    let page = try await etag(app, SiteURL.program(try program.requireID()).link([("year", String(year))]))
                    #expect(page.status == .ok && page.body.contains(AchievementRate.format(printed)), "sheet of \(name) \(year): \(page.status)")
                    throughSheet += 1
                }
                #expect(throughReadModel > 0 && throughSheet > 0)
                for budget in printedTrends {
                    let printed = try #require(budget.publishedTrend.flatMap(BudgetTrend.init(japanese:)))
                    #expect(computed.budgetTrend(budget) == printed, "\(budget.program) \(budget.fiscalYear)")
                    // The list row of the year the money is of carries the same label.
                    for row in readRows where row.name == budget.program && row.budgetYear == budget.fiscalYear {
                        #expect(row.trend == printed.rawValue, "read model: \(budget.program)")
                        #expect(row.totalCostYen == computed.totalCost(budget)?.yen)
                    }
                }
                // The API's tables and the open-data bundle carry the same rates and labels,
                // found by the indicator's and program's ids.
                var apiRates: [String: String] = [:], apiTrends: [String: String] = [:]
                var bundleRates: [String: String] = [:], bundleTrends: [String: String] = [:]
                for code in Set(dataset.municipalities.map(\.code)) {
                    apiRates.merge(try await apiTable(app, code, "indicator_values", key: ["indicator_id", "fiscal_year"], value: "achievement_rate"),
                                   uniquingKeysWith: { a, _ in a })
                    apiTrends.merge(try await apiTable(app, code, "budgets", key: ["program_id", "fiscal_year"], value: "trend"), uniquingKeysWith: { a, _ in a })
                    let bundle = try await bundleTables(app, code)
                    bundleRates.merge(bundle.table("indicator_values", key: ["indicator_id", "fiscal_year"], value: "achievement_rate"), uniquingKeysWith: { a, _ in a })
                    bundleTrends.merge(bundle.table("budgets", key: ["program_id", "fiscal_year"], value: "trend"), uniquingKeysWith: { a, _ in a })
                }
                var throughAPI = 0, throughBundle = 0
                for value in printedRates {
                    let printed = AchievementRate.format(try #require(Measure.parse(value.publishedRateRaw ?? "").value))
                    let id = try #require(dataset.storedIDs.indicators[.init(municipality: value.municipalityCode, owner: value.owner, name: value.indicatorName)])
                    let key = "\(id.uuidString.lowercased())/\(value.fiscalYear)"
                    if let rate = apiRates[key] { #expect(AchievementRate.format(try #require(Decimal(string: rate))) == printed, "API \(value.indicatorName)"); throughAPI += 1 }
                    if let rate = bundleRates[key] { #expect(AchievementRate.format(try #require(Decimal(string: rate))) == printed, "bundle \(value.indicatorName)"); throughBundle += 1 }
                }
                for budget in printedTrends {
                    let printed = try #require(budget.publishedTrend.flatMap(BudgetTrend.init(japanese:)))
                    let id = try #require(dataset.storedIDs.programs[budget.municipalityCode]?[budget.program])
                    let key = "\(id.uuidString.lowercased())/\(budget.fiscalYear)"
                    if let trend = apiTrends[key] { #expect(trend == printed.japanese, "API \(budget.program)"); throughAPI += 1 }
                    if let trend = bundleTrends[key] { #expect(trend == printed.japanese, "bundle \(budget.program)"); throughBundle += 1 }
                }
                // Every printed figure is public (the seeds are published documents).
                #expect(throughAPI == printedRates.count + printedTrends.count, "\(throughAPI) through the API")
                #expect(throughBundle == printedRates.count + printedTrends.count, "\(throughBundle) through the bundle")
                // The list's suggested grade is the derivation's, as the export's is.
                let codes = Dictionary(try await Municipality.query(on: app.db).all().map { ($0.id, $0.code) }, uniquingKeysWith: { a, _ in a })
                for row in readRows {
                    let rates = computed.programRates(municipality: try #require(codes[row.municipalityId]), program: row.name, fiscalYear: row.fiscalYear)
                    #expect(row.suggestedGrade == GradeScale.evaluation.suggestedGrade(forRates: rates)?.label, "\(row.name)")
                }
            }
        }

        /// A draft never reaches the read model; publishing writes it in the same transaction,
        /// so the first visitor after publication finds it derived.
        @Test func publishingWritesTheReadModelAndDraftsNeverReachIt() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                let id = try await StaffCycleTests.finalizeWithOneError(fixture)
                let city = try await fixture.municipality(StaffFixture.cityCode).requireID()
                #expect(try await PublicReadModel.programs(municipalityID: city, year: 2025, on: app.db).isEmpty)
                let before = try await PortalCache.DataVersion.current(on: app.db).municipalities[city]
                #expect(try await fixture.post(SiteURL.adminCycleAdvance(id).path, as: .planner,
                                               ["from": "finalized", "confirm": "1", "override": "確認済み"]).status == .seeOther)
                let rows = try await PublicReadModel.programs(municipalityID: city, year: 2025, on: app.db)
                #expect(Set(rows.map(\.name)) == [Place.ownSection.program, Place.sameBureau.program, Place.otherBureau.program])
                let own = try #require(rows.first { $0.name == Place.ownSection.program })
                // 190 of 200 = 95.0 %; 決算 5,000 of 予算 4,000 = 125.0 %; トータルコスト on the settlement.
                #expect(own.rates == [95] && own.executionRate == 125 && own.totalCost == Money(yen: 5_000_000) && !own.totalCostUsesBudget)
                let after = try await PortalCache.DataVersion.current(on: app.db).municipalities[city]
                #expect(after != nil && after?.version != before?.version)
                // The finding about the settlement is kept by the program's id.
                // Every page of the year says when it was published.
                try await app.testing().test(.GET, "/programs?m=\(StaffFixture.cityCode)&year=2025") { response in
                    let published = try? #require(try await Cycle.find(id, on: app.db)?.publishedAt)
                    #expect(published.map { response.body.string.contains("令和7年度（2025年度）の評価（\(HomeController.date($0))公表）") } == true)
                }
                let ownID = try await fixture.program(.ownSection).requireID()
                let findings = try await PublicReadModel.findings(programID: ownID, years: [2025], on: app.db)
                #expect(findings.contains { $0.rule == .settlementOverBudget })
                // Opening the next year changes which years are public, not the checks: the
                // 2025 finding stays without the checks running again, and the published row too.
                let planner = try #require(fixture.users[.planner])
                _ = try await CycleService.open(municipalityID: city, fiscalYear: 2026, inputDeadline: nil, reviewDeadline: nil, by: planner, on: app.db)
                #expect(try await PublicReadModel.findings(programID: ownID, years: [2025], on: app.db).contains { $0.rule == .settlementOverBudget })
                #expect(try await PublicReadModel.programs(municipalityID: city, year: 2025, on: app.db).count == rows.count)
            }
        }

        /// One municipality's publication leaves another's kept pages and ETags as they are.
        @Test func anotherMunicipalitysChangeLeavesThisOnesPagesKept() async throws {
            try await TestDatabase.withApp { app in
                _ = try await StaffFixture.make(app, signIn: false)
                let city = "/programs?m=\(StaffFixture.cityCode)", other = "/programs?m=\(StaffFixture.otherCityCode)"
                let cityFirst = try await etag(app, city), otherFirst = try await etag(app, other)
                #expect(cityFirst.status == .ok && otherFirst.status == .ok && cityFirst.etag != otherFirst.etag)
                var more = Dataset()
                more.programs = [ProgramRecord(municipalityCode: StaffFixture.otherCityCode, name: "久留米の新しい事業", summary: "追加")]
                more.sheets = [SheetRecord(municipalityCode: StaffFixture.otherCityCode, fiscalYear: 2024, program: "久留米の新しい事業", status: .published)]
                try await TestDatabase.store(more, in: app)
                let citySecond = try await etag(app, city, headers: ["If-None-Match": cityFirst.etag])
                #expect(citySecond.status == .notModified && citySecond.etag == cityFirst.etag)
                let otherSecond = try await etag(app, other, headers: ["If-None-Match": otherFirst.etag])
                #expect(otherSecond.status == .ok && otherSecond.etag != otherFirst.etag && otherSecond.body.contains("久留米の新しい事業"))
            }
        }

        /// Two servers on one database (as several `hyoka serve` behind one address): a
        /// publication through one is seen by the other within a second, with the same ETag.
        @Test func twoServersOnOneDatabaseAgree() async throws {
            try await TestDatabase.withApp { app in
                let fixture = try await StaffFixture.make(app)
                let configuration = app.hyoka
                try await VaporTesting.withApp(configure: { second in
                    second.logger.logLevel = .warning
                    try configure(second, configuration)
                }) { second in
                    let path = "/programs?m=\(StaffFixture.cityCode)&year=2024"
                    let first = try await etag(app, path), other = try await etag(second, path)
                    #expect(first.status == .ok && first.etag == other.etag)
                    let id = try await StaffCycleTests.finalizeWithOneError(fixture)
                    #expect(try await fixture.post(SiteURL.adminCycleAdvance(id).path, as: .planner,
                                                   ["from": "finalized", "confirm": "1", "override": "確認済み"]).status == .seeOther)
                    let published = "/programs?m=\(StaffFixture.cityCode)&year=2025"
                    let onFirst = try await etag(app, published)
                    #expect(onFirst.status == .ok && onFirst.body.contains(Place.ownSection.program))
                    try await Task.sleep(for: .milliseconds(1_100))
                    let onSecond = try await etag(second, published)
                    #expect(onSecond.status == .ok && onSecond.etag == onFirst.etag)
                    let moved = try await etag(second, path)
                    #expect(moved.etag != other.etag, "the year list of the 2024 page now has 2025")
                }
            }
        }

        /// A database written before the read model (or by a release that derived
        /// differently) is derived at start.
        @Test func anOutdatedReadModelIsDerivedAtStart() async throws {
            try await TestDatabase.withApp { app in
                _ = try await StaffFixture.make(app, signIn: false)
                let sql = try #require(app.db as? any SQLDatabase)
                try await sql.delete(from: "public_programs").run()
                try await sql.update("public_versions").set("derivation", to: SQLBind(0)).run()
                let city = try await Municipality.query(on: app.db).filter(\.$code == StaffFixture.cityCode).first()?.requireID()
                #expect(try await PublicReadModel.programs(municipalityID: try #require(city), year: 2024, on: app.db).isEmpty)
                try await migrate(app)
                #expect(try await PublicReadModel.programs(municipalityID: try #require(city), year: 2024, on: app.db).count == 3)
            }
        }
    }
}

extension DatabaseTests.PublicReadModelTests {
    /// Open data and the API's tables carry the ids beside the names, and each program's
    /// sheet address, which answers: budgets and KPIs join programs without names.
    @Test func openDataTablesJoinByIdAndTheSheetURLAnswers() async throws {
        try await TestDatabase.withApp { app in
            let outcome = try await Importer.run(Seeds.url("program-evaluation-table.txt"), layout: nil, options: ReadOptions(municipalityCode: "401005", fiscalYear: 2024),
                                                 dryRun: false, on: app.db, actor: "test")
            #expect(outcome.succeeded)
            let data = try await PublicData.load("401005", on: app.db, cache: nil, siteURL: "https://hyoka.example.jp")
            func column(_ table: String, _ name: String) throws -> [String] {
                let table = try #require(data.tables[table])
                let index = try #require(table.columns.firstIndex(of: name))
                return table.rows.map { $0[index] }
            }
            let programIDs = try column("programs", "program_id")
            let stored = Set(try await Program.query(on: app.db).all().compactMap { $0.id?.uuidString.lowercased() })
            #expect(!programIDs.isEmpty && Set(programIDs) == stored)
            for (table, name) in [("budgets", "program_id"), ("indicator_values", "program_id"), ("indicators", "program_id"), ("sheets", "program_id")] {
                let ids = try column(table, name)
                #expect(!ids.isEmpty && ids.allSatisfy(Set(programIDs).contains), "\(table).\(name)")
            }
            let indicatorIDs = try column("indicators", "indicator_id")
            #expect(Set(try column("indicator_values", "indicator_id")).isSubset(of: Set(indicatorIDs)) && !indicatorIDs.contains(""))
            let urls = try column("programs", "sheet_url")
            #expect(urls.allSatisfy { $0.hasPrefix("https://hyoka.example.jp/programs/") })
            let path = try #require(urls.first).replacingOccurrences(of: "https://hyoka.example.jp", with: "")
            try await app.testing().test(.GET, path) { response in
                #expect(response.status == .ok)
            }
        }
    }
}

extension DatabaseTests.PublicReadModelTests {
    /// The clock is injected: a cycle opened at a chosen time is audited, versioned and
    /// deadlined at that time, through the service and through a request alike.
    @Test func theClockIsInjected() async throws {
        try await TestDatabase.withApp { app in
            let fixture = try await StaffFixture.make(app)
            let fixed = Date(timeIntervalSince1970: 1_775_000_000)  // 2026-04-01 JST
            let planner = try #require(fixture.users[.planner])
            let city = try await fixture.municipality(StaffFixture.cityCode).requireID()
            let opened = try await HyokaClock.using({ fixed }) {
                try await CycleService.open(municipalityID: city, fiscalYear: 2026, inputDeadline: nil, reviewDeadline: nil, by: planner, on: app.db)
            }
            let entries = try await AuditEntry.query(on: app.db).filter(\.$entityID == opened.cycleID).all()
            #expect(!entries.isEmpty && entries.allSatisfy { $0.at == fixed })
            let stamp = try await PortalCache.DataVersion.current(on: app.db).municipalities[city]
            #expect(stamp?.changedAt == Int64(fixed.timeIntervalSince1970 * 1_000_000))
            let later = fixed.addingTimeInterval(86_400)
            try await HyokaClock.using({ later }) {
                let cycle = try #require(try await Cycle.find(opened.cycleID, on: app.db))
                #expect(try await fixture.post(SiteURL.adminCycleAdvance(cycle.requireID()).path, as: .planner, ["from": "preparation"]).status == .seeOther)
            }
            let moved = try await AuditEntry.query(on: app.db).filter(\.$entityID == opened.cycleID).filter(\.$field == "phase")
                .filter(\.$after == CyclePhase.input.rawValue).first()
            #expect(moved?.at == later)
        }
    }
}

extension DatabaseTests.PublicReadModelTests {
    /// A program's sheet asked for under another municipality's code is not found, not shown
    /// with the other municipality's name.
    @Test func aSheetIsShownOnlyUnderItsOwnMunicipality() async throws {
        try await TestDatabase.withApp { app in
            _ = try await StaffFixture.make(app, signIn: false)
            let program = try #require(try await Program.query(on: app.db).filter(\.$name == Place.ownSection.program).first())
            let own = try await etag(app, SiteURL.program(try program.requireID()).link([("m", StaffFixture.cityCode), ("year", "2024")]))
            #expect(own.status == .ok && own.body.contains("北九州市"))
            let other = try await etag(app, SiteURL.program(try program.requireID()).link([("m", StaffFixture.otherCityCode), ("year", "2024")]))
            #expect(other.status == .notFound)
        }
    }
}
