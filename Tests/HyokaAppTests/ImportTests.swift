import ArgumentParser
import Fluent
import Foundation
import HyokaCore
import HyokaImport
import Testing
import Vapor
@testable import HyokaApp

extension DatabaseTests {
    @Suite struct ImportTests {
        static let options = ReadOptions(municipalityCode: "401005", fiscalYear: 2024)

        func importProgramTable(_ app: Application, dryRun: Bool = false) async throws -> Importer.Outcome {
            try await Importer.run(Seeds.url("program-evaluation-table.txt"), layout: nil, options: Self.options, dryRun: dryRun,
                                   on: app.db, actor: "test")
        }

        @Test func importsTheProgramTable() async throws {
            try await TestDatabase.withApp { app in
                let outcome = try await importProgramTable(app)
                #expect(outcome.succeeded, "\(outcome.errors)")
                #expect(outcome.layout == .programTable)
                #expect(try await Program.query(on: app.db).count() == 8)
                #expect(outcome.store?.created["programs"] == 8)

                let camera = try #require(try await Program.query(on: app.db).filter(\.$name == "防犯カメラ運用事業").with(\.$department).first())
                #expect(camera.number == "2")
                #expect(camera.department?.name == "安全・安心推進課")
                let budget = try #require(try await BudgetLine.query(on: app.db).filter(\.$program.$id == camera.requireID()).first())
                #expect(budget.fiscalYear == 2024)
                #expect(budget.budgetYen == 39_464_000 && budget.settlementYen == 35_010_000)
                let evaluation = try #require(try await Evaluation.query(on: app.db).filter(\.$program.$id == camera.requireID()).first())
                #expect(evaluation.grade == "概ね順調" && evaluation.direction == "拡充")
                let kpi = try #require(try await Indicator.query(on: app.db).filter(\.$program.$id == camera.requireID()).first())
                #expect(kpi.name == "刑法犯認知件数" && kpi.direction == "lowerIsBetter" && kpi.baselineRaw == "6,044件" && kpi.baselineYear == 2023)

                // A cut-off 今後の方向性 is reported, never invented.
                let lamp = try #require(try await Program.query(on: app.db).filter(\.$name == "防犯灯設置事業").first())
                let lampEvaluation = try #require(try await Evaluation.query(on: app.db).filter(\.$program.$id == lamp.requireID()).first())
                #expect(lampEvaluation.direction == nil)
                #expect(outcome.read.warnings.contains { $0.location.line == 9 && $0.japanese.contains("今後の方向性") })

                // The published cycle and its sheets; the default municipality is reported.
                let cycle = try #require(try await Cycle.query(on: app.db).first())
                #expect(cycle.fiscalYear == 2024 && cycle.phase == "published")
                #expect(try await SheetStatus.query(on: app.db).filter(\.$status == "published").count() == 8)
                #expect(outcome.read.notes.contains { $0.contains("401005") })
                #expect(try await AuditEntry.query(on: app.db).filter(\.$source == "import").count() > 0)
            }
        }

        @Test func importingTwiceLeavesTheSameData() async throws {
            try await TestDatabase.withApp { app in
                _ = try await importProgramTable(app)
                let counts = try await tableCounts(app.db)
                let second = try await importProgramTable(app)
                #expect(second.succeeded)
                #expect(second.store?.created.values.reduce(0, +) == 0)
                #expect(second.store?.updated.values.reduce(0, +) == 0)
                #expect(try await tableCounts(app.db) == counts)
            }
        }

        @Test func aDryRunWritesNothing() async throws {
            try await TestDatabase.withApp { app in
                let outcome = try await importProgramTable(app, dryRun: true)
                #expect(outcome.succeeded)
                #expect(outcome.store?.created["programs"] == 8)
                #expect(try await Program.query(on: app.db).count() == 0)
                #expect(try await AuditEntry.query(on: app.db).count() == 0)
            }
        }

        @Test func everyExportedRateAndTrendEqualsThePrintedOne() async throws {
            try await TestDatabase.withApp { app in
                _ = try await importProgramTable(app)
                let tables = Workbook.tables(from: try await DatasetLoader.load(on: app.db))
                let values = try #require(tables.first { $0.name == "indicator_values" })
                let rate = try #require(values.columns.firstIndex(of: "achievement_rate"))
                let printed = try #require(values.columns.firstIndex(of: "published_rate_raw"))
                var compared = 0
                for row in values.rows {
                    let published = Measure.parse(row[printed])
                    if published.kind == .number, let value = published.value {
                        #expect(Decimal(string: row[rate]) == value, "\(row)")
                        compared += 1
                    } else {
                        #expect(row[rate].isEmpty, "a rate where the sheet prints none: \(row)")
                    }
                }
                #expect(compared == 7)
            }
        }

        /// A real city's own export and the national review's CSV are not Hyoka tables yet:
        /// the import is refused with a message saying so, and nothing is written (before,
        /// it said 「取り込みました」, exited 0 and registered the municipality).
        @Test(arguments: ["ofunato-jimujigyo-r7/ofunato_jimujigyo_hyoka_R7.xlsx",
                          "rs2024-gyosei-jigyo-review/subset_環境省/2-1_RS_2024_予算・執行_サマリ_環境省.csv"])
        func aFileWithNoHyokaTableIsRefused(path: String) async throws {
            let url = Seeds.realData(path)
            try #require(FileManager.default.fileExists(atPath: url.path), "\(url.path)")
            try await TestDatabase.withApp { app in
                let outcome = try await Importer.run(url, layout: nil, options: ReadOptions(municipalityCode: "032034"), dryRun: false, on: app.db, actor: "test")
                #expect(!outcome.succeeded)
                #expect(outcome.errors.contains { $0.description.contains("Hyoka の表が一つもないため、何も取り込みませんでした") }, "\(outcome.errors)")
                #expect(try await Municipality.query(on: app.db).count() == 0)
                #expect(try await Program.query(on: app.db).count() == 0)
            }
        }

        /// Every seed document Hyoka reads so far, each with the year it is for.
        func importSeeds(_ app: Application) async throws {
            for (file, year) in [("program-evaluation-table.txt", 2024), ("department-manifesto.txt", nil), ("reform-overview.txt", 2023),
                                 ("regional-collaboration-plan.txt", nil), ("policy-pdca-sheet.txt", nil)] {
                let outcome = try await Importer.run(Seeds.url(file), layout: nil, options: ReadOptions(municipalityCode: file == "department-manifesto.txt" ? "242161" : "401005", fiscalYear: year), dryRun: false,
                                                     on: app.db, actor: "test")
                #expect(outcome.succeeded, "\(file): \(outcome.errors)")
            }
        }

        @Test func everySeedRateAndTrendIsReproducedOnExport() async throws {
            try await TestDatabase.withApp { app in
                try await importSeeds(app)
                let tables = Workbook.tables(from: try await DatasetLoader.load(on: app.db))
                let values = try #require(tables.first { $0.name == "indicator_values" })
                let rate = try #require(values.columns.firstIndex(of: "achievement_rate"))
                let printed = try #require(values.columns.firstIndex(of: "published_rate_raw"))
                var rates = 0
                for row in values.rows where !row[printed].isEmpty {
                    let published = Measure.parse(row[printed])
                    if published.kind == .number {
                        #expect(Decimal(string: row[rate]) == published.value, "\(row)")
                    } else {
                        #expect(row[rate].isEmpty, "\(row)")
                    }
                    rates += 1
                }
                #expect(rates == 9 + 36)
                let budgets = try #require(tables.first { $0.name == "budgets" })
                let trend = try #require(budgets.columns.firstIndex(of: "trend"))
                let printedTrend = try #require(budgets.columns.firstIndex(of: "published_trend"))
                let compared = budgets.rows.filter { !$0[printedTrend].isEmpty }
                #expect(compared.count == 22)
                for row in compared { #expect(row[trend] == row[printedTrend], "\(row)") }
                // hyoka lint reads the same data back from the database.
                #expect(Lint.check(try await DatasetLoader.load(on: app.db)).count == 13)   // docs/domain.md: 4 + 7 + 2
            }
        }

        /// `hyoka generate`'s output: a folder of workbook folders, imported in one transaction
        /// one workbook at a time; created records go out in batches.
        @Test func importsAFolderOfWorkbooksAllOrNothing() async throws {
            let generator = SyntheticWorkbooks(municipalities: 3, programs: 40, seed: 11)
            let folder = try Seeds.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: folder) }
            try generator.write(to: folder)
            #expect(Importer.workbookFolders(in: folder)?.count == 3)
            #expect(Importer.workbookFolders(in: folder.appendingPathComponent(generator.code(of: 0))) == nil)
            let expected = (0..<3).map { Workbook.tables(from: generator.dataset(municipality: $0)) }

            try await TestDatabase.withApp { app in
                let outcome = try await Importer.run(folder, layout: nil, options: ReadOptions(), dryRun: false, on: app.db, actor: "test")
                #expect(outcome.succeeded, "\(outcome.errors.prefix(3))")
                #expect(outcome.store?.created["programs"] == 120)
                #expect(try await Program.query(on: app.db).count() == 120)
                let values = expected.reduce(0) { $0 + ($1.first { $0.name == "indicator_values" }?.rows.count ?? 0) }
                #expect(try await IndicatorValue.query(on: app.db).count() == values)
                // What was stored is what was generated, computed columns included.
                for index in 0..<3 {
                    let stored = Workbook.tables(from: try await DatasetLoader.load(on: app.db, municipalityCode: generator.code(of: index)))
                    #expect(stored.map(\.csvWithoutStoredIDs) == expected[index].map(\.csvWithoutStoredIDs), "municipality \(index)")
                }
                // Every created record is audited, as with one workbook.
                #expect(try await AuditEntry.query(on: app.db).filter(\.$field == "*").count()
                        == outcome.store?.created.values.reduce(0, +))

                // Again: nothing new, nothing changed.
                let again = try await Importer.run(folder, layout: nil, options: ReadOptions(), dryRun: false, on: app.db, actor: "test")
                #expect(again.succeeded && again.store?.created.isEmpty == true && again.store?.updated.isEmpty == true)
                #expect(again.store?.unchanged["indicator_values"] == values)
            }

            // A bad cell in the last workbook: the error names folder, file, row and column,
            // and the two good workbooks before it are not kept either.
            let budgets = folder.appendingPathComponent(generator.code(of: 2)).appendingPathComponent("budgets.csv")
            var lines = try String(contentsOf: budgets, encoding: .utf8).components(separatedBy: "\n")
            let header = lines[0].components(separatedBy: ",")
            let column = try #require(header.firstIndex(of: "budget_yen"))
            var cells = lines[5].components(separatedBy: ",")
            cells[column] = "たくさん"
            lines[5] = cells.joined(separator: ",")
            try lines.joined(separator: "\n").write(to: budgets, atomically: true, encoding: .utf8)
            try await TestDatabase.withApp { app in
                let outcome = try await Importer.run(folder, layout: nil, options: ReadOptions(), dryRun: false, on: app.db, actor: "test")
                #expect(!outcome.succeeded)
                let error = try #require(outcome.errors.first)
                #expect(error.location.file == "\(generator.code(of: 2))/budgets.csv" && error.location.line == 6)
                #expect(try await Program.query(on: app.db).count() == 0)
                #expect(try await AuditEntry.query(on: app.db).count() == 0)
            }
        }

        @Test func roundTripIsByteIdentical() async throws {
            let folder = try Seeds.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: folder) }
            var first: [WorkbookTable] = []
            try await TestDatabase.withApp { app in
                try await importSeeds(app)
                #expect(try await ManifestoGoal.query(on: app.db).count() == 3)
                #expect(try await HeadlineFigure.query(on: app.db).count() == 7)
                #expect(try await CollaborationProject.query(on: app.db).count() == 30)
                #expect(try await PlanLink.query(on: app.db).count() == 8 + 34)
                first = Workbook.tables(from: try await DatasetLoader.load(on: app.db))
                try WorkbookFiles.writeFolder(first, to: folder)
            }
            try await TestDatabase.withApp { app in
                let outcome = try await Importer.run(folder, layout: nil, options: ReadOptions(), dryRun: false, on: app.db, actor: "test")
                #expect(outcome.succeeded, "\(outcome.errors)")
                #expect(outcome.layout == .workbook)
                let second = Workbook.tables(from: try await DatasetLoader.load(on: app.db))
                #expect(second.map(\.csvWithoutStoredIDs) == first.map(\.csvWithoutStoredIDs))
                #expect(first.first { $0.name == "programs" }?.rows.count == 8 + 22)
            }
        }

        /// The demo (a smaller はなみ市, for time) with every seed: export, import into an
        /// empty database, export again: the same bytes.
        @Test func demoRoundTripIsByteIdentical() async throws {
            let folder = try Seeds.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: folder) }
            var first: [WorkbookTable] = []
            try await TestDatabase.withApp { app in
                let city = DemoCity(programsPerSection: 3).dataset()
                try await TestDatabase.store(city, in: app, origin: "demo")
                try await importSeeds(app)
                first = Workbook.tables(from: try await DatasetLoader.load(on: app.db))
                try WorkbookFiles.writeFolder(first, to: folder)
            }
            try await TestDatabase.withApp { app in
                let outcome = try await Importer.run(folder, layout: nil, options: ReadOptions(), dryRun: false, on: app.db, actor: "test")
                #expect(outcome.succeeded, "\(outcome.errors)")
                let second = Workbook.tables(from: try await DatasetLoader.load(on: app.db))
                #expect(second.map(\.csvWithoutStoredIDs) == first.map(\.csvWithoutStoredIDs))
                #expect(try await Program.query(on: app.db).count() == 66 + 8 + 22)
            }
        }

        @Test func demoCommandBuildsAFreshDatabaseAndKeepsOthers() async throws {
            let folder = try Seeds.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent("mine.sqlite").path
            // A database that is not a demo one is never replaced.
            try await TestDatabase.withApp { _ in }
            let app = try await Application.make(.testing)
            try configure(app, HyokaConfiguration(database: .sqlite(path: path)))
            try await migrate(app)
            try await Municipality(code: try MunicipalityCode("401005"), name: "北九州市", prefecture: "福岡県").save(on: app.db)
            try await app.asyncShutdown()
            await #expect(throws: (any Error).self) { try await DemoCommand.prepareFreshFile(path) }
            #expect(FileManager.default.fileExists(atPath: path))
            // An earlier demo database is replaced.
            let demo = try await Application.make(.testing)
            try configure(demo, HyokaConfiguration(database: .sqlite(path: path + ".demo")))
            try await migrate(demo)
            try await Municipality(code: try MunicipalityCode(DemoCity.code), name: DemoCity.name, prefecture: "東京都").save(on: demo.db)
            try await demo.asyncShutdown()
            try await DemoCommand.prepareFreshFile(path + ".demo")
            #expect(!FileManager.default.fileExists(atPath: path + ".demo"))
        }

        @Test func aMalformedRowChangesNothingAndIsNamed() async throws {
            let folder = try Seeds.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: folder) }
            try await TestDatabase.withApp { app in
                _ = try await importProgramTable(app)
                var tables = Workbook.tables(from: try await DatasetLoader.load(on: app.db))
                // Raise one budget, and break another row's settlement.
                let budgets = try #require(tables.firstIndex { $0.name == "budgets" })
                let budgetColumn = try #require(tables[budgets].columns.firstIndex(of: "budget_yen"))
                let settlementColumn = try #require(tables[budgets].columns.firstIndex(of: "settlement_yen"))
                tables[budgets].rows[0][budgetColumn] = "999000"
                tables[budgets].rows[3][settlementColumn] = "三万円"
                try WorkbookFiles.writeFolder(tables, to: folder)
                let before = try await tableCounts(app.db)
                let budgetBefore = try await BudgetLine.query(on: app.db).all().map(\.budgetYen)

                let outcome = try await Importer.run(folder, layout: nil, options: ReadOptions(), dryRun: false, on: app.db, actor: "test")
                #expect(!outcome.succeeded)
                let error = try #require(outcome.errors.first)
                // Row 4 of the data is line 5 of the file; settlement_yen is column 5 (E).
                #expect(error.location == SourceLocation(file: "budgets.csv", line: 5, column: settlementColumn + 1))
                #expect(error.description.contains("budgets.csv:5:\(settlementColumn + 1)"))
                #expect(try await tableCounts(app.db) == before)
                #expect(try await BudgetLine.query(on: app.db).all().map(\.budgetYen) == budgetBefore)
                #expect(Importer.report(outcome).contains("何も書き込んでいません"))
            }
        }

        @Test func aDraftImportPublishesNothing() async throws {
            try await TestDatabase.withApp { app in
                let outcome = try await Importer.run(Seeds.url("program-evaluation-table.txt"), layout: nil,
                                                     options: ReadOptions(municipalityCode: "401005", fiscalYear: 2024, draft: true), dryRun: false, on: app.db, actor: "test")
                #expect(outcome.succeeded)
                #expect(try await Cycle.query(on: app.db).first()?.phase == "input")
                #expect(try await SheetStatus.query(on: app.db).filter(\.$status == "draft").count() == 8)
                #expect(try await SheetStatus.query(on: app.db).filter(\.$status == "published").count() == 0)
            }
        }

        @Test func theImportCommandExitsWithOneAndWritesNothingOnAnError() async throws {
            let folder = try Seeds.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: folder) }
            let bad = folder.appendingPathComponent("programs.csv")
            try Data("municipality_code,name,sdg_goals\n401005,A事業,4\n401005,B事業,99\n".utf8).write(to: bad)
            let database = folder.appendingPathComponent("cli.sqlite").path
            var command = try #require(try HyokaCommand.parseAsRoot(["import", bad.path, "--database", database]) as? ImportCommand)
            await #expect(throws: ExitCode.failure) { try await command.run() }
            command = try #require(try HyokaCommand.parseAsRoot(["import", bad.path, "--database", database, "--dry-run"]) as? ImportCommand)
            await #expect(throws: ExitCode.failure) { try await command.run() }
            let app = try await Application.make(.testing)
            try configure(app, HyokaConfiguration(database: .sqlite(path: database)))
            #expect(try await Program.query(on: app.db).count() == 0)
            try await app.asyncShutdown()
        }

        @Test func aDocumentWithoutItsYearIsRefused() async throws {
            try await TestDatabase.withApp { app in
                let outcome = try await Importer.run(Seeds.url("program-evaluation-table.txt"), layout: .programTable, options: ReadOptions(municipalityCode: "401005"),
                                                     dryRun: false, on: app.db, actor: "test")
                #expect(!outcome.succeeded)
                #expect(outcome.errors.first?.japanese.contains("--fiscal-year") == true)
                #expect(try await Program.query(on: app.db).count() == 0)
            }
        }

        func tableCounts(_ db: any Database) async throws -> [Int] {
            [try await Municipality.query(on: db).count(), try await Department.query(on: db).count(), try await Program.query(on: db).count(),
             try await PlanNode.query(on: db).count(), try await PlanLink.query(on: db).count(), try await Indicator.query(on: db).count(),
             try await IndicatorValue.query(on: db).count(), try await BudgetLine.query(on: db).count(), try await Evaluation.query(on: db).count(),
             try await Cycle.query(on: db).count(), try await SheetStatus.query(on: db).count()]
        }
    }
}

extension WorkbookTable {
    /// The CSV with the database's ids and the sheet addresses blanked: a new database gives
    /// new ids, and everything else must come back byte for byte.
    var csvWithoutStoredIDs: String {
        var table = self
        let blanked = columns.indices.filter { ["program_id", "indicator_id", "sheet_url"].contains(columns[$0]) }
        table.rows = rows.map { row in
            var row = row
            for index in blanked where row.indices.contains(index) { row[index] = "" }
            return row
        }
        return table.csv
    }
}
