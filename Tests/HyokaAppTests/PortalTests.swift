import Fluent
import Foundation
import HyokaCore
import HyokaImport
import Testing
import Vapor
import VaporTesting
import ZIPFoundation
@testable import HyokaApp

extension DatabaseTests {
    /// The public pages, through the app: status, key content, and no draft data.
    @Suite struct PortalTests {
        /// The program table of 北九州市 (published), and a draft copy of one of its programs
        /// in the next year's open cycle.
        func seed(_ app: Application) async throws {
            let outcome = try await Importer.run(Seeds.url("program-evaluation-table.txt"), layout: nil, options: ReadOptions(municipalityCode: "401005", fiscalYear: 2024),
                                                 dryRun: false, on: app.db, actor: "test")
            #expect(outcome.succeeded)
            var draft = Dataset()
            draft.programs = [ProgramRecord(municipalityCode: "401005", name: "下書きだけの秘密事業", summary: "まだ公表されていない防犯の事業")]
            draft.cycles = [CycleRecord(municipalityCode: "401005", fiscalYear: 2025, phase: .input)]
            draft.sheets = [SheetRecord(municipalityCode: "401005", fiscalYear: 2025, program: "下書きだけの秘密事業", status: .draft),
                            SheetRecord(municipalityCode: "401005", fiscalYear: 2025, program: "防犯カメラ運用事業", status: .draft)]
            try await TestDatabase.store(draft, in: app, origin: "draft")
        }

        @Test func overviewShowsThePublishedYear() async throws {
            try await TestDatabase.withApp { app in
                try await seed(app)
                try await app.testing().test(.GET, "/") { response in
                    #expect(response.status == .ok)
                    #expect(response.headers.contentType == .html)
                    let body = response.body.string
                    #expect(body.contains("<title>北九州市 令和6年度（2024年度） | Hyoka 行政評価ポータル</title>"))
                    #expect(body.contains("<html lang=\"ja\">"))
                    // 59,052 + 39,464 + 26,057 + 10,100 + 1,500 + 269,870 + 2,129,365 + 8,500
                    #expect(body.contains("2,543,908千円"))
                    #expect(body.contains("<div class=\"value\">—</div><div class=\"label\">人件費の合計</div>"))
                    #expect(body.contains("<svg class=\"chart wide\" role=\"img\""))
                    #expect(!body.contains("秘密"))
                }
            }
        }

        @Test func searchFindsJapaneseSubstringsAndFacetsAddUp() async throws {
            try await TestDatabase.withApp { app in
                try await seed(app)
                try await app.testing().test(.GET, "/programs?q=%E9%98%B2%E7%8A%AF") { response in   // 防犯
                    #expect(response.status == .ok)
                    let body = response.body.string
                    #expect(body.contains("防犯カメラ運用事業") && body.contains("防犯灯設置事業"))
                    #expect(!body.contains("下書きだけの秘密事業"))
                    #expect(body.contains("3件の事業"))
                    // Each single-valued facet's counts add up to the result count.
                    for facet in ["担当課", "評価", "今後の方向性", "事業費の増減"] {
                        let section = body.components(separatedBy: "<h2>\(facet)</h2>").dropFirst().first?.components(separatedBy: "</ul>").first ?? ""
                        let counts = section.matches(of: /\((\d+)\)<\/a>/).compactMap { Int($0.1) }
                        #expect(counts.reduce(0, +) == 3, "\(facet): \(counts)")
                    }
                }
                try await app.testing().test(.GET, "/programs?q=%E5%A4%9A%E6%96%87%E5%8C%96&lang=en") { response in   // 多文化
                    #expect(response.status == .ok)
                    #expect(response.body.string.contains("0 programs"))
                    #expect(response.body.string.contains("<html lang=\"en\">"))
                }
                func search(_ words: String) async throws -> String {
                    let query = words.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                    var body = ""
                    try await app.testing().test(.GET, "/programs?q=\(query)") { response in
                        #expect(response.status == .ok)
                        body = response.body.string
                    }
                    return body
                }
                // Kana as typed on a phone, and a spelling variant (作り for the city's づくり).
                let kana = try await search("かめら")
                #expect(kana.contains("防犯カメラ運用事業") && kana.contains("1件の事業") && !kana.contains("表記の近い事業"))
                let variant = try await search("地域作り")
                #expect(variant.contains("地域総括補助金") && !variant.contains("表記の近い事業"))
                // Nothing holds 「防犯カメラ運営」: the near match is said to be one, and the
                // program sharing only 「防犯」 is not among them.
                let near = try await search("防犯カメラ運営")
                #expect(near.contains("表記の近い事業を表示しています") && near.contains("防犯カメラ運用事業") && near.contains("1件の事業"))
                #expect(!near.contains("防犯灯設置事業"))
                let nothing = try await search("存在しない語")
                #expect(nothing.contains("0件の事業") && !nothing.contains("表記の近い事業"))
            }
        }

        @Test func theResultDownloadsAsCSVAndXLSX() async throws {
            try await TestDatabase.withApp { app in
                try await seed(app)
                try await app.testing().test(.GET, "/programs.csv?q=%E9%98%B2%E7%8A%AF") { response in
                    #expect(response.status == .ok)
                    #expect(response.headers.contentType?.subType == "csv")
                    let bytes = Array(response.body.readableBytesView)
                    #expect(bytes.prefix(3) == [0xEF, 0xBB, 0xBF])
                    let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
                    let lines = text.split(separator: "\n")
                    #expect(lines.count == 4)   // header and the three programs found
                    #expect(text.contains("防犯カメラ運用事業") && text.contains("39464000") && !text.contains("秘密"))
                    // Headers a journalist reads, with the id and the sheet's address.
                    #expect(lines.first?.hasPrefix("団体コード,年度,事業番号,事業名,担当課") == true && text.contains("予算額（円）") && text.contains("シートのURL"))
                }
                try await app.testing().test(.GET, "/programs.csv?q=%E9%98%B2%E7%8A%AF&lang=en") { response in
                    #expect(response.body.string.contains("Municipality code,Fiscal year,Program number,Program,Department"))
                }
                try await app.testing().test(.GET, "/programs.xlsx?grade=%E9%A0%86%E8%AA%BF") { response in   // 順調
                    #expect(response.status == .ok)
                    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-test-\(UUID().uuidString).xlsx")
                    defer { try? FileManager.default.removeItem(at: url) }
                    try Data(response.body.readableBytesView).write(to: url)
                    let table = try #require(try XLSX.read(url).first)
                    #expect(table.rows.count == 1 && table.rows.first?.contains("地域総括補助金") == true)
                    // Amounts, years and rates are numbers in the sheet; codes stay text.
                    let archive = try Archive(url: url, accessMode: .read)
                    let entry = try #require(archive["xl/worksheets/sheet1.xml"])
                    var xml = Data()
                    _ = try archive.extract(entry) { xml.append($0) }
                    let sheet = String(decoding: xml, as: UTF8.self)
                    let budgetColumn = try #require(ProgramsController.listColumns.firstIndex { $0.japanese == "予算額（円）" })
                    let yearColumn = try #require(ProgramsController.listColumns.firstIndex { $0.japanese == "年度" })
                    #expect(sheet.contains("<c r=\"\(SourceLocation.columnLetters(budgetColumn + 1))2\"><v>269870000</v></c>"), "\(sheet.prefix(1500))")
                    #expect(sheet.contains("<c r=\"\(SourceLocation.columnLetters(yearColumn + 1))2\"><v>2024</v></c>"))
                    #expect(sheet.contains("<c r=\"A2\" t=\"inlineStr\"><is><t>401005</t></is></c>"))
                }
                // The year before's 予算額 is the base of 増減額: budget − previous = change on
                // every row that has both, and the PDCA sheets' rows do.
                let pdca = try await Importer.run(Seeds.url("policy-pdca-sheet.txt"), layout: nil, options: ReadOptions(municipalityCode: "401005"), dryRun: false, on: app.db, actor: "test")
                #expect(pdca.succeeded)
                try await app.testing().test(.GET, "/programs.xlsx?m=401005&year=2021") { response in
                    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-test-\(UUID().uuidString).xlsx")
                    defer { try? FileManager.default.removeItem(at: url) }
                    try Data(response.body.readableBytesView).write(to: url)
                    let table = try #require(try XLSX.read(url).first)
                    func column(_ name: String) throws -> Int { try #require(table.columns.firstIndex(of: name), "\(name)") }
                    let budget = try column("予算額（円）"), previous = try column("前年度の予算額（円）"), change = try column("前年度比 増減額（円）")
                    _ = try column("前年度の決算額（円）")
                    let checked = table.rows.filter { row in ![budget, previous, change].contains { row[$0].isEmpty } }
                    #expect(!checked.isEmpty)
                    for row in checked {
                        let (now, before, difference) = (try #require(Int64(row[budget])), try #require(Int64(row[previous])), try #require(Int64(row[change])))
                        #expect(now - before == difference, "\(row)")
                    }
                }
            }
        }

        @Test func aSheetIsShownOnlyWhenPublished() async throws {
            try await TestDatabase.withApp { app in
                try await seed(app)
                let camera = try #require(try await Program.query(on: app.db).filter(\.$name == "防犯カメラ運用事業").first()).requireID()
                let secret = try #require(try await Program.query(on: app.db).filter(\.$name == "下書きだけの秘密事業").first()).requireID()
                try await app.testing().test(.GET, SiteURL.program(camera).path) { response in
                    #expect(response.status == .ok)
                    let body = response.body.string
                    for text in ["防犯カメラ運用事業", "安全・安心推進課", "刑法犯認知件数", "6,044件", "R5年比減", "6,482件", "92.8%", "39,464", "35,010", "概ね順調", "拡充"] {
                        #expect(body.contains(text), "sheet lacks \(text)")
                    }
                }
                try await app.testing().test(.GET, SiteURL.program(secret).path, headers: ["Accept": "text/html"]) { response in
                    #expect(response.status == .notFound)
                    #expect(response.headers.contentType == .html)
                    #expect(response.body.string.contains("ページが見つかりません"))
                    #expect(!response.body.string.contains("秘密"))
                }
                // The open FY2025 cycle is not public, even for a published program.
                try await app.testing().test(.GET, SiteURL.program(camera).link([("year", "2025")])) { response in
                    #expect(response.status == .notFound)
                }
                try await app.testing().test(.GET, "/programs?year=2025") { response in
                    #expect(response.status == .notFound)
                }
            }
        }

        @Test func plansShowTheTreeWithRollUpsAndBureauEvaluations() async throws {
            try await TestDatabase.withApp { app in
                let outcome = try await Importer.run(Seeds.url("policy-pdca-sheet.txt"), layout: nil, options: ReadOptions(municipalityCode: "401005"), dryRun: false,
                                                     on: app.db, actor: "test")
                #expect(outcome.succeeded)
                try await app.testing().test(.GET, "/plans?year=2021") { response in
                    #expect(response.status == .ok)
                    let body = response.body.string
                    #expect(body.contains("I-2-(1)-② 大学などの教育研究機能の充実"))
                    #expect(body.contains("局施策評価: 順調 — 引き続き公立大学法人北九州市立大学"))
                    // IV-4-(1)-①: 北九州市魅力発信事業's four KPIs, 73.6, 91.7, 92.3 and 96.9%: median 92.0%.
                    #expect(body.contains("事業 1件・指標 4件のうち 100%以上 0件（0.0%）・中央値 92.0%"))
                    // The tree names measures and links to their pages; the programs are there.
                    #expect(!body.contains("href=\"/programs/"))
                    #expect(body.contains("<div class=\"bars\">") && body.contains("予算・決算（合計）"))
                    let link = try #require(body.firstMatch(of: #/<a href="(/plans/[0-9a-f-]+)\?m=401005&amp;year=2021"><strong>I-2-\(1\)-② /#)?.1)
                    try await app.testing().test(.GET, "\(link)?m=401005&year=2021") { response in
                        #expect(response.status == .ok)
                        let page = response.body.string
                        #expect(page.contains("<h1>I-2-(1)-② 大学などの教育研究機能の充実</h1>"))
                        #expect(page.contains("公立大学法人北九州市立大学運営事業"))
                        #expect(page.contains("局施策評価") && page.contains("引き続き公立大学法人北九州市立大学"))
                        #expect(page.contains("<div class=\"label\">予算額の合計"))
                        // Its breadcrumbs climb the tree: the 施策体系 page, the measures above, itself.
                        #expect(page.contains("<a href=\"/plans?m=401005&amp;year=2021\">施策体系</a>"))
                        #expect(page.contains("<span aria-current=\"page\">I-2-(1)-② 大学などの教育研究機能の充実</span>"))
                    }
                    // Another municipality's scope, and an unknown id, are not found.
                    try await app.testing().test(.GET, "/plans/\(UUID().uuidString.lowercased())?m=401005&year=2021") { response in
                        #expect(response.status == .notFound)
                    }
                }
                // A leaf measure's chart is by program, linked to the sheets.
                try await app.testing().test(.GET, "/plans?year=2021") { response in
                    let body = response.body.string
                    let leaf = try #require(body.firstMatch(of: #/<a href="(/plans/[0-9a-f-]+)\?m=401005&amp;year=2021"><strong>IV-4-\(1\)-① /#)?.1)
                    try await app.testing().test(.GET, "\(leaf)?m=401005&year=2021&lang=en") { response in
                        let page = response.body.string
                        #expect(response.status == .ok && page.contains("<html lang=\"en\">"))
                        #expect(page.contains("北九州市魅力発信事業") && page.contains("KPIs and their rates"))
                        #expect(page.contains("73.6%") && page.contains("96.9%"))
                    }
                }
            }
        }

        /// 令和3年度 of the PDCA sheet publishes budgets but no 決算: its total is unknown (「—」),
        /// not 0千円, and a total some programs lack says how many it covers.
        @Test func anUnpublishedTotalIsADashNotZero() async throws {
            try await TestDatabase.withApp { app in
                let outcome = try await Importer.run(Seeds.url("policy-pdca-sheet.txt"), layout: nil, options: ReadOptions(municipalityCode: "401005"), dryRun: false, on: app.db, actor: "test")
                #expect(outcome.succeeded)
                try await app.testing().test(.GET, "/?m=401005&year=2021") { response in
                    #expect(response.status == .ok)
                    let body = response.body.string
                    #expect(body.contains(#"<div class="value">—</div><div class="label">決算額の合計"#))
                    #expect(!body.contains(#"<div class="value">0千円</div>"#))
                    #expect(body.contains(#"<div class="label">予算額の合計"#) && !body.contains(#"<div class="value">—</div><div class="label">予算額の合計"#))
                    // Every page names the document its year was imported from.
                    #expect(body.contains("（元資料「policy-pdca-sheet.txt」から取り込み）"))
                }
            }
        }

        /// The 過去最高 lines keep what the city published with them: 「2年連続」 and
        /// 「再建直後を除き」 are shown beside the star, and 「22,8億円」 is shown as published
        /// with a note instead of passing as a regular figure.
        @Test func recordHighsKeepTheirQualifiers() async throws {
            try await TestDatabase.withApp { app in
                try await seed(app)
                let outcome = try await Importer.run(Seeds.url("reform-overview.txt"), layout: nil, options: ReadOptions(municipalityCode: "401005", fiscalYear: 2023), dryRun: false,
                                                     on: app.db, actor: "test")
                #expect(outcome.succeeded)
                try await app.testing().test(.GET, "/?m=401005") { response in
                    let body = response.body.string
                    #expect(body.contains("★ 過去最高<span lang=\"ja\">（再建直後を除き）</span>"), "小倉城の入場者")
                    #expect(body.contains("★ 過去最高<span lang=\"ja\">（2年連続）</span>"), "市税収入")
                    #expect(body.contains("22,8億円<span class=\"note\">（原文のまま。桁区切りが不規則です）</span>"))
                    #expect(!body.contains("1,811億円<span class=\"note\">"))
                }
            }
        }

        /// A search that finds nothing in the chosen year says where else it does, with links.
        @Test func aSearchWithNoResultHereSaysWhereElse() async throws {
            try await TestDatabase.withApp { app in
                try await seed(app)
                let pdca = try await Importer.run(Seeds.url("policy-pdca-sheet.txt"), layout: nil, options: ReadOptions(municipalityCode: "401005"), dryRun: false, on: app.db, actor: "test")
                #expect(pdca.succeeded)
                let word = "防犯カメラ".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                try await app.testing().test(.GET, "/programs?m=401005&year=2021&q=\(word)") { response in
                    let body = response.body.string
                    #expect(body.contains("0件の事業"))
                    #expect(body.contains("他の団体・年度に1件"), "\(body.count)")
                    #expect(body.contains("year=2024") && body.contains("北九州市 令和6年度（1）"))
                    // Every page carries the switcher to the same page of another year.
                    #expect(body.contains("<nav class=\"scope\" aria-label=\"団体と年度\">"))
                    #expect(body.contains("<a href=\"/programs?m=401005&amp;year=2024\">令和6年度（2024年度）</a>"))
                }
                for path in ["/plans", "/reviews", "/collaboration", "/manifestos", "/guide"] {
                    try await app.testing().test(.GET, "\(path)?m=401005&year=2021") { response in
                        #expect(response.body.string.contains("<a href=\"\(path)?m=401005&amp;year=2024\">"), "\(path)")
                    }
                }
                // A word no published program holds, and LIKE's own wildcards, find nothing anywhere.
                for query in ["%25", "_", "存在しない語"] {
                    try await app.testing().test(.GET, "/programs?m=401005&year=2021&q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["%"])) ?? "")") { response in
                        #expect(response.status == .ok && !response.body.string.contains("他の団体・年度に"), "\(query)")
                    }
                }
            }
        }

        /// Search engines find every published sheet at its stable address, and nothing
        /// unpublished; a page goes out gzip-compressed to a client that asks.
        @Test func theSitemapListsPublishedSheetsAndPagesAreCompressed() async throws {
            try await TestDatabase.withApp { app in
                try await seed(app)
                let camera = try #require(try await Program.query(on: app.db).filter(\.$name == "防犯カメラ運用事業").first()).requireID()
                let secret = try #require(try await Program.query(on: app.db).filter(\.$name == "下書きだけの秘密事業").first()).requireID()
                try await app.testing().test(.GET, "/sitemap.xml") { response in
                    #expect(response.status == .ok && response.headers.contentType?.subType == "xml")
                    let xml = response.body.string
                    #expect(xml.contains("\(SiteURL.program(camera).path)</loc><lastmod>"))
                    #expect(!xml.contains(secret.uuidString.lowercased()))
                    #expect(xml.contains("/programs?m=401005&amp;year=2024</loc>"))
                    #expect(xml.components(separatedBy: "<url>").count - 1 == 8 + 4)
                }
                try await app.testing().test(.GET, "/robots.txt") { response in
                    #expect(response.body.string.contains("Sitemap: ") && response.body.string.contains("Disallow: /admin"))
                }
                try await app.testing(method: .running(hostname: "127.0.0.1", port: 0)).test(.GET, "/programs?m=401005", headers: ["Accept-Encoding": "gzip"]) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers.first(name: .contentEncoding) == "gzip")
                }
            }
        }

        /// The guide explains the rules with the municipality's own settings, its examples
        /// computed by the same rule as every rate; every page links to it.
        @Test func theGuideExplainsTheFiguresWithTheCitysSettings() async throws {
            try await TestDatabase.withApp { app in
                try await seed(app)
                try await app.testing().test(.GET, "/guide?m=401005") { response in
                    #expect(response.status == .ok)
                    let body = response.body.string
                    #expect(body.contains("<h1>評価の見方</h1>") && body.contains("北九州市の設定"))
                    #expect(body.contains("120.0%") && body.contains("125.0%"), "target 100, actual 80 by both formulas")
                    #expect(body.contains("大変順調") && body.contains("120%以上"))
                    #expect(body.contains("5%を超えて増えたもの"))
                }
                try await app.testing().test(.GET, "/guide?lang=en") { response in
                    #expect(response.status == .ok && response.body.string.contains("How to read the figures"))
                }
                try await app.testing().test(.GET, "/programs?m=401005") { response in
                    #expect(response.body.string.contains("href=\"/guide?m=401005&amp;year=2024\""))
                }
            }
        }

        /// A new database knows Japan's municipalities: a document imported for 伊賀市 by its
        /// code (the manifesto seed: 0595, 住民自治協議会) files under 伊賀市, 三重県, and a
        /// code no municipality has is still refused.
        @Test func aMunicipalityGivenByItsCodeComesFromTheRegistry() async throws {
            try await TestDatabase.withApp { app in
                let outcome = try await Importer.run(Seeds.url("department-manifesto.txt"), layout: nil, options: ReadOptions(municipalityCode: "242161"),
                                                     dryRun: false, on: app.db, actor: "test")
                #expect(outcome.succeeded, "\(outcome.read.issues)")
                #expect(outcome.read.notes.contains { $0.contains("伊賀市（三重県）として登録しました") })
                let iga = try #require(try await Municipality.query(on: app.db).filter(\.$code == "242161").first())
                #expect(iga.name == "伊賀市" && iga.prefecture == "三重県")
                #expect(try await Municipality.query(on: app.db).filter(\.$code == "401005").first() == nil)
                let table = try await Importer.run(Seeds.url("program-evaluation-table.txt"), layout: nil,
                                                   options: ReadOptions(municipalityCode: "401005", fiscalYear: 2024), dryRun: false, on: app.db, actor: "test")
                #expect(table.succeeded && table.store?.errors.isEmpty == true)
                #expect(try await Municipality.query(on: app.db).filter(\.$code == "401005").first()?.name == "北九州市")
                let unknown = try await Importer.run(Seeds.url("program-evaluation-table.txt"), layout: nil,
                                                     options: ReadOptions(municipalityCode: "401006", fiscalYear: 2024), dryRun: true, on: app.db, actor: "test")
                #expect(!unknown.succeeded)
            }
        }

        @Test func collaborationFiltersByPartner() async throws {
            try await TestDatabase.withApp { app in
                try await seed(app)
                let outcome = try await Importer.run(Seeds.url("regional-collaboration-plan.txt"), layout: nil, options: ReadOptions(municipalityCode: "401005"), dryRun: false,
                                                     on: app.db, actor: "test")
                #expect(outcome.succeeded)
                let expected = outcome.read.dataset.collaborationProjects.filter { $0.allMembers || $0.partners.contains("中間市") }.count
                try await app.testing().test(.GET, "/collaboration?partner=%E4%B8%AD%E9%96%93%E5%B8%82") { response in   // 中間市
                    #expect(response.status == .ok)
                    let body = response.body.string
                    #expect(body.contains("「中間市」が参加する事業: \(expected)件"))
                    #expect(body.contains("消防指令業務の共同運用に係る調査研究事業"))
                    #expect(!body.contains("東九州自動車道の整備促進に係る要望活動の連携"), "中間市 is not a partner of this project")
                    #expect(body.contains("検討会実施件数: 検討会0回（令和7年度） → 検討会1回（令和8年度）"))
                }
                // 下関市 and 長門市 are named once, outside the region (「圏域外：下関市、長門市」):
                // they take part in that project only, not in every 「全市町」 project; the
                // central city takes part in every project.
                let projects = outcome.read.dataset.collaborationProjects
                let outside = projects.filter { $0.partners.contains("下関市") }
                #expect(outside.count == 1 && projects.contains { $0.allMembers })
                try await app.testing().test(.GET, "/collaboration?partner=%E4%B8%8B%E9%96%A2%E5%B8%82") { response in   // 下関市
                    #expect(response.status == .ok)
                    #expect(response.body.string.contains("「下関市」が参加する事業: \(outside.count)件"))
                }
                let central = try #require(outcome.read.dataset.regions.first?.centralCity)
                try await app.testing().test(.GET, "/collaboration?partner=" + (central.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")) { response in
                    #expect(response.body.string.contains("「\(central)」が参加する事業: \(projects.count)件"))
                }
            }
        }

        @Test func manifestosShowGoalsAndTheSixLevelScale() async throws {
            try await TestDatabase.withApp { app in
                try await seed(app)
                let outcome = try await Importer.run(Seeds.url("department-manifesto.txt"), layout: nil, options: ReadOptions(municipalityCode: "242161"), dryRun: false,
                                                     on: app.db, actor: "test")
                #expect(outcome.succeeded)
                // The manifesto is 伊賀市's published document: 伊賀市 is on the portal with it.
                try await app.testing().test(.GET, "/manifestos?m=242161") { response in
                    #expect(response.status == .ok)
                    let body = response.body.string
                    for text in ["令和7年度（2025年度） 地域連携部", "部長 藪中 英行", "部局目標1 将来を見据えた住民自治のあり方の検討",
                                 "市民活動支援センターの今後の方向性(支援体制を含む)をまとめあげる", "上回る / 到達 / わずかに届かず / 届かず / 遠い / 取組なし", "未記入"] {
                        #expect(body.contains(text), "manifestos page lacks \(text)")
                    }
                }
            }
        }

        @Test func reviewsShowViewpointsResultsAndTotals() async throws {
            try await TestDatabase.withApp { app in
                try await seed(app)
                var reviews = Dataset()
                var camera = InventoryReviewRecord(municipalityCode: "401005", program: "防犯カメラ運用事業", fiscalYear: 2024, reviewRound: "2024", result: .revise)
                camera.viewpoints = [4, 5]
                camera.saving = Money(yen: 1_200_000)
                var secret = InventoryReviewRecord(municipalityCode: "401005", program: "下書きだけの秘密事業", fiscalYear: 2024, reviewRound: "2024", result: .abolish)
                secret.saving = Money(yen: 9_000_000)
                reviews.inventoryReviews = [camera, secret]
                try await TestDatabase.store(reviews, in: app, origin: "reviews")
                try await app.testing().test(.GET, "/reviews") { response in
                    #expect(response.status == .ok)
                    let body = response.body.string
                    #expect(body.contains("防犯カメラ運用事業") && body.contains("手法見直し") && body.contains("1,200"))
                    #expect(body.components(separatedBy: "<td>該当</td>").count - 1 == 2)
                    #expect(!body.contains("秘密") && !body.contains("9,000"), "a review of an unpublished program must not show")
                }
            }
        }

        @Test func overviewMarksRecordHighs() async throws {
            try await TestDatabase.withApp { app in
                try await seed(app)
                var figures = Dataset()
                figures.headlineFigures = [HeadlineFigureRecord(municipalityCode: "401005", fiscalYear: 2023, name: "市税収入", valueRaw: "1,811億円"),
                                           HeadlineFigureRecord(municipalityCode: "401005", fiscalYear: 2024, name: "市税収入", valueRaw: "1,790億円"),
                                           HeadlineFigureRecord(municipalityCode: "401005", fiscalYear: 2024, name: "観光客数", valueRaw: "26万人"),
                                           {
                                               var claimed = HeadlineFigureRecord(municipalityCode: "401005", fiscalYear: 2024, name: "小倉城の入場者", valueRaw: "26万人")
                                               claimed.publishedRecordHigh = true
                                               return claimed
                                           }()]
                try await TestDatabase.store(figures, in: app, origin: "figures")
                try await app.testing().test(.GET, "/") { response in
                    let body = response.body.string
                    #expect(body.contains("最新の公表: 令和6年度（2024年度）の評価サイクル"))
                    // The latest 市税収入 (1,790億円) is below 2023's: not a record. 観光客数 has one
                    // year only: one value is trivially the highest Hyoka holds, so it is not
                    // marked; 小倉城の入場者 is, because the city published it as 過去最高.
                    #expect(body.contains("<td>市税収入</td><td>令和6年度</td><td class=\"num\">1,790億円</td><td></td>"))
                    #expect(body.contains("<td>観光客数</td><td>令和6年度</td><td class=\"num\">26万人</td><td></td>"))
                    #expect(body.contains("<td>小倉城の入場者</td><td>令和6年度</td><td class=\"num\">26万人</td><td>★ 過去最高</td>"))
                }
            }
        }

        @Test func aSheetDrawsEachKPIsTrend() async throws {
            try await TestDatabase.withApp { app in
                let city = DemoCity(programsPerSection: 1).dataset()
                try await TestDatabase.store(city, in: app, origin: "demo")
                let name = try #require(city.indicators.first { if case .program = $0.owner { true } else { false } })
                guard case let .program(programName) = name.owner else { return }
                let program = try #require(try await Program.query(on: app.db).filter(\.$name == programName).first()).requireID()
                try await app.testing().test(.GET, SiteURL.program(program).link([("year", "2024")])) { response in
                    #expect(response.status == .ok)
                    let body = response.body.string
                    #expect(body.contains("の目標と実績の推移</title>"))
                    // Five years of targets and actuals: two lines of five points.
                    let chart = body.components(separatedBy: "の目標と実績の推移</title>")[1].components(separatedBy: "</svg>")[0]
                    #expect(chart.components(separatedBy: "<circle").count - 1 == 10)
                    #expect(chart.contains("令和2年度: 目標"))
                }
            }
        }

        @Test func anEmptySiteSaysSo() async throws {
            try await TestDatabase.withApp { app in
                try await app.testing().test(.GET, "/") { response in
                    #expect(response.status == .ok)
                    #expect(response.body.string.contains("公表されたデータはまだありません"))
                }
                try await app.testing().test(.GET, "/assets/hyoka.css") { response in
                    #expect(response.status == .ok)
                    #expect(response.headers.contentType?.subType == "css")
                    #expect(response.body.string.contains("@media print"))
                }
            }
        }
    }
}

@Suite struct ProgramSearchMatchingTests {
    @Test func bytesMatchAsCharacters() {
        let key = Array("子育て支援事業\u{1F}保育課".utf8)
        #expect(ProgramSearch.contains(key, Array("子育".utf8)))
        #expect(ProgramSearch.contains(key, Array("保育課".utf8)))
        #expect(ProgramSearch.contains(key, Array("支援事業\u{1F}保".utf8)))
        #expect(ProgramSearch.contains(key, []))
        #expect(!ProgramSearch.contains(key, Array("育児".utf8)))
        #expect(!ProgramSearch.contains(Array("子".utf8), Array("子育".utf8)))
        #expect(!ProgramSearch.contains([], Array("子".utf8)))
    }
}
