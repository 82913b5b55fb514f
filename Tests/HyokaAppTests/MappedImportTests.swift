import Fluent
import Foundation
import HyokaCore
import HyokaImport
import Testing
import Vapor
@testable import HyokaApp

extension DatabaseTests {
    /// Real cities' own files through the shipped mappings (`mappings/`), read from
    /// `../shared/real-data` and never copied into the project.
    @Suite struct MappedImportTests {
        static func mapping(_ name: String) throws -> ImportMapping {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            return try ImportMapping.load(root.appendingPathComponent("mappings").appendingPathComponent(name))
        }

        static let ofunato = "ofunato-jimujigyo-r7/ofunato_jimujigyo_hyoka_R7.xlsx"

        /// All 407 programs of 大船渡市's own export, with their tree, indicators, yearly blocks
        /// and evaluations; the workbook export gives back every 事業費計, 人件費 and トータルコスト
        /// of the file's 2,442 yearly blocks, read here from the file on its own.
        @Test func ofunatoExportImportsWholeAndItsFiguresComeBack() async throws {
            let url = Seeds.realData(Self.ofunato)
            try #require(FileManager.default.fileExists(atPath: url.path), "\(url.path)")
            var exportedTables: [WorkbookTable] = []
            try await TestDatabase.withApp { app in
                let outcome = try await Importer.runMapped([url], mapping: try Self.mapping("ofunato-jimujigyo.json"),
                                                           options: ReadOptions(municipalityCode: "032034"), dryRun: false, on: app.db, actor: "test")
                #expect(outcome.succeeded, "\(outcome.errors.prefix(5))")
                #expect(try await Program.query(on: app.db).count() == 407)
                #expect(try await Municipality.query(on: app.db).filter(\.$code == "032034").first()?.name == "大船渡市")
                // The preview: the first record as stored, and the columns with no place yet.
                let preview = try #require(outcome.mapping)
                #expect(preview.read.firstRows.first?.contains("[0086] 不法投棄対策事業") == true, "\(preview.read.firstRows)")
                #expect(!preview.read.unplaced.contains { $0.contains("課長名") }, "ignored columns are not listed")
                // The file's own inconsistencies are found: 政策 03 spelled 育む and はぐくむ.
                #expect(outcome.read.warnings.contains { $0.japanese.contains("豊かな心を育む") && $0.japanese.contains("はぐくむ") },
                        "\(outcome.read.warnings.map(\.japanese))")

                let tables = Workbook.tables(from: try await DatasetLoader.load(on: app.db))
                func table(_ name: String) throws -> WorkbookTable { try #require(tables.first { $0.name == name }) }
                let budgets = try table("budgets")
                func column(_ table: WorkbookTable, _ name: String) throws -> Int { try #require(table.columns.firstIndex(of: name)) }
                let program = try column(budgets, "program"), year = try column(budgets, "fiscal_year")
                let settlement = try column(budgets, "settlement_yen"), budget = try column(budgets, "budget_yen")
                let personnel = try column(budgets, "personnel_cost_yen"), total = try column(budgets, "total_cost_yen")
                var exported: [String: [String]] = [:]
                for row in budgets.rows { exported["\(row[program])\u{0}\(row[year])"] = row }
                #expect(exported.count == 2_442)

                // The file read on its own: row 2 is the header, 3–409 the programs, six blocks of 19.
                let sheet = try #require(try XLSX.read(url).first)
                let rows = [sheet.columns] + sheet.rows
                let starts = [71, 90, 109, 128, 147, 166]
                let years = [2022, 2023, 2024, 2025, 2026, 2027]
                func yen(_ cell: String) -> String {
                    let value = Decimal(string: cell.isEmpty ? "0" : cell) ?? -1
                    return NSDecimalNumber(decimal: value * 1000).int64Value.description
                }
                var compared = 0
                for r in 3...409 {
                    let cells = rows[r - 1]
                    // Names are stored with runs of spaces as one, as the mapping reads them.
                    let name = cells[8].split(whereSeparator: \.isWhitespace).joined(separator: " ")
                    for (start, fiscalYear) in zip(starts, years) {
                        let row = try #require(exported["\(name)\u{0}\(fiscalYear)"], "\(name) \(fiscalYear)")
                        let cost = fiscalYear <= 2024 ? row[settlement] : row[budget]
                        #expect(cost == yen(cells[start + 5]), "事業費計 \(cells[8]) \(fiscalYear)")
                        #expect(row[personnel] == yen(cells[start + 8]), "人件費 \(cells[8]) \(fiscalYear)")
                        #expect(row[total] == yen(cells[start + 9]), "トータルコスト \(cells[8]) \(fiscalYear)")
                        compared += 1
                    }
                }
                #expect(compared == 2_442)

                // 改革改善の方向性 as the file counts them.
                let evaluations = try table("evaluations")
                let stage = try column(evaluations, "stage"), direction = try column(evaluations, "direction")
                var counts: [String: Int] = [:]
                for row in evaluations.rows where row[stage] == "self" { counts[row[direction], default: 0] += 1 }
                #expect(counts["現状維持"] == 225)
                #expect(counts["改革改善（縮小・統合含む）"] == 168)
                #expect(counts["終了・廃止・休止"] == 13)

                // The tree: 政策 → 施策 → 基本事業, each program under its 基本事業.
                let nodes = try table("plan_nodes")
                let level = try column(nodes, "level")
                #expect(Set(nodes.rows.map { $0[level] }) == ["政策", "施策", "基本事業"])
                #expect(try table("plan_links").rows.count == 407)
                let indicators = try table("indicators")
                let kind = try column(indicators, "kind")
                #expect(Set(indicators.rows.map { $0[kind] }) == ["activity", "target", "outcome"])

                // The fields real sheets hold: 根拠法令, 予算科目 (two accounts in one cell), 目的・手段,
                // hours and staff, planned years, 期待成果 and the eight viewpoints.
                let programs = try table("programs")
                func value(_ table: WorkbookTable, _ row: [String], _ name: String) throws -> String { row[try column(table, name)] }
                let dumping = try #require(programs.rows.first { $0[try column(programs, "name")] == "不法投棄対策事業" })
                #expect(try value(programs, dumping, "legal_basis") == "廃棄物の処理及び清掃に関する法律")
                #expect(try value(programs, dumping, "budget_accounts") == "01-04-01-03-1200\n01-04-02-01-0600")
                #expect(try value(programs, dumping, "category") == "Ｅ 一般")
                #expect(try value(programs, dumping, "purpose_intent").hasPrefix("廃棄物に関する市民意識が向上する。"))
                #expect(try value(programs, dumping, "means_previous_year").hasPrefix("・衛生監視員によるパトロール"))
                let hours = try column(budgets, "work_hours"), staff = try column(budgets, "staff_count"), planned = try column(budgets, "is_planned")
                let dumping2022 = try #require(exported["不法投棄対策事業\u{0}2022"])
                #expect(dumping2022[hours] == "280" && dumping2022[staff] == "3" && dumping2022[planned].isEmpty)
                #expect(budgets.rows.filter { $0[planned] == "true" }.count == 407 * 2)
                let viewpoints = try table("evaluation_viewpoints")
                #expect(viewpoints.rows.count == 407 * 8)
                let judgement = try column(viewpoints, "judgement"), viewpoint = try column(viewpoints, "viewpoint")
                #expect(viewpoints.rows.filter { $0[viewpoint] == "成果の向上余地" && $0[judgement] == "向上余地がある" }.count == 190)
                let expectedOutcome = try column(evaluations, "expected_outcome"), cost = try column(evaluations, "expected_cost")
                #expect(evaluations.rows.filter { $0[expectedOutcome] == "維持" && $0[cost] == "維持" }.count == 226)
                let city = try #require(try table("municipalities").rows.first)
                #expect(try value(try table("municipalities"), city, "personnel_cost_per_hour_yen") == "4000")
                #expect(try value(try table("municipalities"), city, "evaluation_viewpoints").split(separator: "\n").count == 8)

                exportedTables = tables

                // The sheet shows them: the settled years before the sheet's, the planned ones
                // marked, 根拠法令 and 予算科目, 目的と手段, 期待成果 and the viewpoints.
                let dumpingID = try #require(try await Program.query(on: app.db).filter(\.$name == "不法投棄対策事業").first()?.requireID())
                try await app.testing().test(.GET, "/programs/\(dumpingID)?m=032034&year=2025") { response in
                    #expect(response.status == .ok)
                    let body = response.body.string
                    for text in ["令和4年度", "3,089", "令和8年度（計画）", "延べ業務時間", "廃棄物の処理及び清掃に関する法律", "01-04-02-01-0600",
                                 "目的と手段", "廃棄物に関する市民意識が向上する。", "期待成果", "成果: 維持、コスト: 維持", "評価の観点",
                                 "政策体系との整合性", "結びついている", "（対象指標）"] {
                        #expect(body.contains(text), "\(text)")
                    }
                }

                // The portal shows a program's figures as the file has them.
                try await app.testing().test(.GET, "/programs?m=032034&year=2025&q=%E4%B8%8D%E6%B3%95%E6%8A%95%E6%A3%84") { response in   // 不法投棄
                    #expect(response.status == .ok)
                    #expect(response.body.string.contains("不法投棄対策事業"), "\(response.body.string.prefix(300))")
                }
            }
            // The workbook Hyoka writes reads back into a new database as the same tables
            // (one database at a time: on PostgreSQL the tests share one server).
            let tables = exportedTables
            let folder = try Seeds.temporaryDirectory()
            try WorkbookFiles.writeFolder(tables, to: folder)
            try await TestDatabase.withApp { copy in
                let again = try await Importer.run(folder, layout: nil, options: ReadOptions(), dryRun: false, on: copy.db, actor: "test")
                #expect(again.succeeded, "\(again.errors.prefix(3))")
                let copied = Workbook.tables(from: try await DatasetLoader.load(on: copy.db))
                for name in ["programs", "budgets", "evaluations", "evaluation_viewpoints", "municipalities"] {
                    let original = try #require(tables.first { $0.name == name })
                    let reread = try #require(copied.first { $0.name == name })
                    let ids = Set(["program_id", "sheet_url"].compactMap { original.columns.firstIndex(of: $0) })
                    func withoutIDs(_ t: WorkbookTable) -> [[String]] { t.rows.map { $0.enumerated().filter { !ids.contains($0.offset) }.map(\.element) } }
                    #expect(withoutIDs(reread) == withoutIDs(original), "\(name)")
                }
            }
        }

        /// The nine municipalities of the PDF extraction: 3,769 programs, each under its own
        /// registry code, found by the portal's search.
        @Test func onumaExtractionImportsNineMunicipalities() async throws {
            let folder = Seeds.realData("municipal-pdf-extracted-onuma")
            let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
            #expect(files.count == 9)
            try await TestDatabase.withApp { app in
                let outcome = try await Importer.runMapped(files, mapping: try Self.mapping("onuma-pdf-extract.json"),
                                                           options: ReadOptions(fiscalYear: 2024), dryRun: false, on: app.db, actor: "test")
                #expect(outcome.succeeded, "\(outcome.errors.prefix(5))")
                #expect(try await Program.query(on: app.db).count() == 3_769)
                let codes = Set(try await Municipality.query(on: app.db).all().map(\.code))
                #expect(codes == ["282251", "232033", "112330", "222216", "282049", "153079", "082104", "131091", "272141"])
                // Two programs of one name in one city stay two, told apart by their number.
                #expect(outcome.read.notes.contains { $0.contains("同名の事業があるため") })
                try await app.testing().test(.GET, "/programs?m=232033&year=2024&q=%E4%BA%88%E9%98%B2%E6%8E%A5%E7%A8%AE") { response in   // 予防接種
                    #expect(response.status == .ok)
                    let body = response.body.string
                    #expect(body.contains("予防接種事業"), "\(body.prefix(300))")
                }
                // Across them: a program of 西宮市 searched for from 一宮市's list is found there.
                let query = "阪神西宮駅北地区".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                try await app.testing().test(.GET, "/programs?m=232033&year=2024&q=\(query)") { response in
                    let body = response.body.string
                    #expect(body.contains("他の団体・年度に1件") && body.contains("西宮市 令和6年度（1）"), "\(body.prefix(300))")
                    #expect(body.contains("m=282049"))
                }
            }
        }

        /// A mapping that names a column the file lacks, or a cell that does not convert,
        /// is reported with the file, sheet and cell, and nothing is written.
        @Test func aMappingMistakeNamesTheCellAndWritesNothing() async throws {
            let folder = try Seeds.temporaryDirectory()
            let file = folder.appendingPathComponent("city.xlsx")
            let header = ["事業名", "担当課", "決算額"]
            try XLSX.write([WorkbookTable(name: "評価", columns: header, rows: [["不法投棄対策事業", "市民環境課", "3,089"],
                                                                              ["\"><script>alert(1)</script>", "=HYPERLINK(\"x\")", "三千"]])], to: file)
            let good = """
            {"name": "test", "source": {"format": "xlsx", "sheet": "評価"}, "municipality": {"code": "032034"}, "fiscalYear": {"value": 2024},
             "program": {"name": {"header": "事業名"}, "department": {"column": "B"}},
             "budget": {"amount": {"header": "決算額"}, "kind": "settlement", "unit": "千円"}}
            """
            let mappingURL = folder.appendingPathComponent("mapping.json")
            try await TestDatabase.withApp { app in
                // 「三千」 in C3 is not an amount.
                try good.write(to: mappingURL, atomically: true, encoding: .utf8)
                var outcome = try await Importer.runMapped([file], mapping: try ImportMapping.load(mappingURL), options: ReadOptions(),
                                                           dryRun: false, on: app.db, actor: "test")
                #expect(!outcome.succeeded)
                #expect(outcome.errors.contains { $0.description.contains("city.xlsx 評価!C3") && $0.description.contains("三千") }, "\(outcome.errors)")
                #expect(try await Program.query(on: app.db).count() == 0)
                #expect(try await Municipality.query(on: app.db).count() == 0)

                // A column the sheet does not have.
                try good.replacingOccurrences(of: "\"column\": \"B\"", with: "\"column\": \"Q\"").write(to: mappingURL, atomically: true, encoding: .utf8)
                outcome = try await Importer.runMapped([file], mapping: try ImportMapping.load(mappingURL), options: ReadOptions(),
                                                       dryRun: false, on: app.db, actor: "test")
                #expect(outcome.errors.contains { $0.description.contains("city.xlsx シート「評価」") && $0.description.contains("program.department の列 Q がありません") },
                        "\(outcome.errors)")
                #expect(try await Program.query(on: app.db).count() == 0)

                // A header the sheet does not have.
                try good.replacingOccurrences(of: "\"header\": \"決算額\"", with: "\"header\": \"予算額\"").write(to: mappingURL, atomically: true, encoding: .utf8)
                outcome = try await Importer.runMapped([file], mapping: try ImportMapping.load(mappingURL), options: ReadOptions(),
                                                       dryRun: false, on: app.db, actor: "test")
                #expect(outcome.errors.contains { $0.description.contains("budget.amount の見出し（header）「予算額」がありません") }, "\(outcome.errors)")

                // A mistake in the mapping itself names its place.
                try #"{"name": "x", "source": {"format": "pdf"}}"#.write(to: mappingURL, atomically: true, encoding: .utf8)
                #expect(throws: MappingError.self) { try ImportMapping.load(mappingURL) }
                do { _ = try ImportMapping.load(mappingURL) } catch { #expect(String(describing: error).contains("source.format"), "\(error)") }

                // With the cell fixed, the hostile strings are stored as text.
                try XLSX.write([WorkbookTable(name: "評価", columns: header, rows: [["不法投棄対策事業", "市民環境課", "3,089"],
                                                                                  ["\"><script>alert(1)</script>", "=HYPERLINK(\"x\")", "3000"]])], to: file)
                try good.write(to: mappingURL, atomically: true, encoding: .utf8)
                outcome = try await Importer.runMapped([file], mapping: try ImportMapping.load(mappingURL), options: ReadOptions(),
                                                       dryRun: false, on: app.db, actor: "test")
                #expect(outcome.succeeded, "\(outcome.errors)")
                #expect(try await Program.query(on: app.db).filter(\.$name == "\"><script>alert(1)</script>").count() == 1)
                let line = try #require(try await BudgetLine.query(on: app.db).all().first { $0.settlementYen == 3_089_000 })
                #expect(line.fiscalYear == 2024)
            }
        }
    }
}
