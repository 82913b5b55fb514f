import Fluent
import Foundation
import HyokaCore
import HyokaImport
import Plot
import Vapor

/// `/programs`: search and facets over a year's published programs; `/programs/{id}`: a
/// program's sheet.
enum ProgramsController {
    static let filterKeys = ["q", "department", "node", "sdg", "grade", "direction", "trend", "sort", "desc"]

    static func search(from req: Request) -> ProgramSearch {
        var search = ProgramSearch()
        search.text = try? req.query.get(String.self, at: "q")
        search.department = try? req.query.get(String.self, at: "department")
        search.planNode = try? req.query.get(String.self, at: "node")
        search.sdg = try? req.query.get(Int.self, at: "sdg")
        search.grade = try? req.query.get(String.self, at: "grade")
        search.direction = try? req.query.get(String.self, at: "direction")
        search.trend = try? req.query.get(String.self, at: "trend")
        search.sort = (try? req.query.get(String.self, at: "sort")).flatMap(ProgramSearch.Sort.init(rawValue:)) ?? .number
        search.descending = (try? req.query.get(String.self, at: "desc")) == "1"
        search.page = (try? req.query.get(Int.self, at: "page")) ?? 1
        return search
    }

    static func filterQuery(_ search: ProgramSearch) -> [(String, String?)] {
        [("q", search.text), ("department", search.department), ("node", search.planNode), ("sdg", search.sdg.map(String.init)),
         ("grade", search.grade), ("direction", search.direction), ("trend", search.trend),
         ("sort", search.sort == .number ? nil : search.sort.rawValue), ("desc", search.descending ? "1" : nil)]
    }

    @Sendable static func index(req: Request) async throws -> Response {
        let language = PortalLanguage(req)
        guard let scope = try await PortalScope.resolve(req) else { return try await HomeController.show(req: req) }
        let l = scope.language
        let search = search(from: req)
        let rows = try await req.catalog.programs(scope.municipality, year: scope.year)
        let result = search.apply(rows)
        let filters = filterQuery(search)
        let layout = Layout(language: language, title: l("事業をさがす", "Programs") + " – \(scope.municipalityName) \(scope.yearLabel)",
                            breadcrumbs: [(l("トップ", "Home"), SiteURL.home.link(scope.query + [("lang", l == .en ? "en" : nil)])), (l("事業をさがす", "Programs"), nil)],
                            scope: scope.query, currentQuery: scope.query + filters, currentPath: SiteURL.programs.path)
        let facetNames = ["department": l("担当課", "Department"), "grade": l("評価", "Grade"), "direction": l("今後の方向性", "Direction"), "trend": l("事業費の増減", "Budget trend")]
        let multi = search.multiFacets(result.rows)
        func filterLink(_ key: String, _ value: String?) -> String {
            layout.link(.programs, filters.map { $0.0 == key ? ($0.0, value) : $0 })
        }
        func sortLink(_ sort: ProgramSearch.Sort) -> String {
            let descending = search.sort == sort ? !search.descending : false
            return layout.link(.programs, filters.filter { $0.0 != "sort" && $0.0 != "desc" } + [("sort", sort.rawValue), ("desc", descending ? "1" : nil)])
        }
        func header(_ label: String, _ sort: ProgramSearch.Sort, numeric: Bool = false) -> Node<HTML.TableRowContext> {
            let state = search.sort == sort ? (search.descending ? "descending" : "ascending") : "none"
            return .th(.attribute(named: "scope", value: "col"), .attribute(named: "aria-sort", value: state), .class(numeric ? "num" : ""),
                       .a(.href(sortLink(sort)), .text(label + (search.sort == sort ? (search.descending ? " ▼" : " ▲") : ""))))
        }
        let unsetLabel = l("未設定", "Not set")
        return layout.render(
            .h1(.text(l("事業をさがす", "Search programs") + " – \(scope.municipalityName) \(scope.yearLabel)")),
            .form(.class("query"), .method(.get), .action(SiteURL.programs.path), .attribute(named: "role", value: "search"),
                .input(.type(.hidden), .name("m"), .value(scope.municipality.code)),
                .input(.type(.hidden), .name("year"), .value(String(scope.year))),
                .if(l == .en, .input(.type(.hidden), .name("lang"), .value("en"))),
                .label(.for("q"), .text(l("キーワード（事業名・概要）", "Keyword (name, summary)"))),
                .input(.type(.search), .name("q"), .id("q"), .value(search.text ?? "")),
                .button(.type(.submit), .text(l("検索", "Search")))
            ),
            .div(.class("search"),
                .aside(.class("facets"), .attribute(named: "aria-label", value: l("絞り込み", "Filters")),
                    .forEach(result.facets) { facet in
                        let current = filters.first { $0.0 == (facet.key == "department" ? "department" : facet.key) }?.1 ?? nil
                        return .group(
                            .h2(.text(facetNames[facet.key] ?? facet.key)),
                            .ul(.forEach(facet.values) { value, count in
                                .li(.a(.href(filterLink(facet.key, current == value ? nil : value)),
                                       .if(current == value, .attribute(named: "aria-current", value: "true")),
                                       .text("\(value == ProgramSearch.unset ? unsetLabel : value) (\(count))")))
                            })
                        )
                    },
                    .h2(.text("SDGs")),
                    .ul(.forEach(multi.sdgs) { goal, count in
                        .li(.a(.href(filterLink("sdg", search.sdg == goal ? nil : String(goal))), .text(l("ゴール", "Goal ") + "\(goal) (\(count))")))
                    }),
                    .h2(.text(l("施策", "Policy measure"))),
                    .ul(.forEach(multi.planNodes) { node, count in
                        .li(.a(.href(filterLink("node", search.planNode == node ? nil : node)), .text("\(node) (\(count))")))
                    })
                ),
                .div(
                    .p(.attribute(named: "role", value: "status"), .text(l("\(result.total)件の事業", "\(result.total) programs"))),
                    .if(result.total > 0, .p(.class("downloads"),
                        .a(.href(layout.link(.programsCSV, filters)), .text(l("この結果をCSVでダウンロード", "Download as CSV"))),
                        .a(.href(layout.link(.programsXLSX, filters)), .text(l("Excel（xlsx）でダウンロード", "Download as Excel (xlsx)"))))),
                    .if(result.total == 0, .p(.class("empty"), .text(l("条件に合う事業はありません。キーワードを短くするか、絞り込みを外してください。",
                                                                    "No program matches. Try a shorter keyword or remove a filter.")))),
                    .if(result.total > 0, .table(
                        .caption(.text(l("事業一覧", "Programs"))),
                        .tr(header(l("番号", "No."), .number), header(l("事業名", "Program"), .name), header(l("担当課", "Department"), .department),
                            header(l("評価", "Grade"), .grade), header(l("達成率（平均）", "Mean rate"), .rate, numeric: true),
                            header(l("予算額（千円）", "Budget (¥1,000)"), .budget, numeric: true), .th(.attribute(named: "scope", value: "col"), .text(l("増減", "Trend")))),
                        .forEach(result.pageRows) { row in
                            .tr(.td(.text(row.number ?? "")),
                                .td(.a(.href(layout.link(.program(row.id))), .text(row.name))),
                                .td(.text(row.department ?? "")),
                                .td(.class("grade"), .text(row.grade ?? "—")),
                                .td(.class("num"), .text(ProgramSearch.meanRate(row).map { AchievementRate.format(AchievementRate.round($0)) } ?? "—")),
                                .td(.class("num"), .text(row.budget?.thousandYenText ?? "—")),
                                .td(.text(row.trend?.japanese ?? "—")))
                        }
                    )),
                    .if(result.pageCount > 1, .nav(.class("pager"), .attribute(named: "aria-label", value: l("ページ", "Pages")),
                        .forEach(1...result.pageCount) { page in
                            page == min(max(search.page, 1), result.pageCount)
                                ? .span(.attribute(named: "aria-current", value: "page"), .text("\(page)"))
                                : .a(.href(layout.link(.programs, filters + [("page", String(page))])), .text("\(page)"))
                        }))
                )
            )
        )
    }

    /// The current result (all pages) as a table: the same filters as the page.
    static func resultTable(_ req: Request) async throws -> (WorkbookTable, String) {
        guard let scope = try await PortalScope.resolve(req) else { throw Abort(.notFound, reason: "公表されたデータはまだありません (nothing published yet)") }
        let result = search(from: req).apply(try await req.catalog.programs(scope.municipality, year: scope.year))
        let columns = ["municipality_code", "fiscal_year", "number", "name", "department", "plan_nodes", "sdg_goals", "grade", "suggested_grade",
                       "direction", "mean_achievement_rate", "budget_fiscal_year", "budget_yen", "settlement_yen", "personnel_cost_yen", "total_cost_yen",
                       "trend", "budget_change_yen", "budget_change_percent", "execution_rate", "program_id", "sheet_url"]
        let site = req.application.hyoka.publicURL ?? ""
        let rows = result.rows.map { exportRow($0, code: scope.municipality.code, year: scope.year, siteURL: site) }
        return (WorkbookTable(name: "programs", columns: columns, rows: rows), "hyoka-programs-\(scope.municipality.code)-\(scope.year)")
    }

    static func exportRow(_ row: PublicCatalog.ProgramRow, code: String, year: Int, siteURL: String) -> [String] {
        let decimal: (Decimal?) -> String = { $0.map { NSDecimalNumber(decimal: $0).stringValue } ?? "" }
        let yen: (Money?) -> String = { $0.map { String($0.yen) } ?? "" }
        let rate = ProgramSearch.meanRate(row).map { NSDecimalNumber(decimal: AchievementRate.round($0)).stringValue } ?? ""
        var cells: [String] = [code, String(year), row.number ?? "", row.name, row.department ?? ""]
        cells += [row.planNodes.joined(separator: ","), row.sdgGoals.map(String.init).joined(separator: ",")]
        cells += [row.grade ?? "", row.suggestedGrade ?? "", row.direction ?? "", rate]
        cells += [row.budgetYear.map(String.init) ?? "", yen(row.budget), yen(row.settlement), yen(row.personnelCost), yen(row.totalCost), row.trend?.japanese ?? ""]
        cells += [yen(row.budgetChange), decimal(row.budgetChangePercent), decimal(row.executionRate)]
        cells += [row.id.uuidString.lowercased(), siteURL + SiteURL.program(row.id).link([("year", String(year))])]
        return cells
    }

    /// CSV in UTF-8 with a byte-order mark, so that Japanese Excel opens it correctly.
    @Sendable static func downloadCSV(req: Request) async throws -> Response {
        let (table, name) = try await resultTable(req)
        let response = Response(status: .ok, body: .init(data: Data([0xEF, 0xBB, 0xBF]) + Data(table.spreadsheetCSV.utf8)))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(.attachment, filename: "\(name).csv")
        return response
    }

    @Sendable static func downloadXLSX(req: Request) async throws -> Response {
        let (table, name) = try await resultTable(req)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try XLSX.write([table], to: url)
        let response = Response(status: .ok, body: .init(data: try Data(contentsOf: url)))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response.headers.contentDisposition = .init(.attachment, filename: "\(name).xlsx")
        return response
    }

    /// `/programs/{id}` and `/programs/{id}.pdf`.
    @Sendable static func show(req: Request) async throws -> Response {
        guard let segment = req.parameters.get("id"), let url = SiteURL.program(segment: segment) else { throw Abort(.notFound) }
        let catalog = req.catalog
        let id: UUID = switch url { case let .program(id), let .programPDF(id): id; default: UUID() }
        // The address alone is enough (the API's sheet_url gives it bare): the program
        // knows its municipality, and without ?year= its latest published sheet is shown.
        let owner = try await Program.query(on: req.db).filter(\.$id == id).with(\.$municipality).first()?.municipality.code
        guard let scope = try await PortalScope.resolve(req, defaultCode: owner, defaultYear: { municipality in
            try await catalog.publishedYears(of: id, in: municipality).last
        }) else { throw Abort(.notFound) }
        // Only a sheet published for this year is shown; a draft is as good as absent.
        guard try await catalog.publishedYears(of: id, in: scope.municipality).contains(scope.year),
              let row = try await catalog.programs(scope.municipality, year: scope.year).first(where: { $0.id == id }) else {
            throw Abort(.notFound, reason: "この事業は公表されていません (this program is not published for this year)")
        }
        guard case .programPDF = url else { return try await ProgramShow.render(row, scope: scope, req: req) }
        return try await pdf(row, scope: scope, req: req)
    }

    static func pdf(_ row: PublicCatalog.ProgramRow, scope: PortalScope, req: Request) async throws -> Response {
        let l = scope.language
        let data: Data
        do {
            data = try await req.application.sheetPrinter.pdf(html: try await ProgramShow.standaloneHTML(row, scope: scope, req: req))
        } catch ChromiumPDF.Failure.notFound {
            throw Abort(.serviceUnavailable, reason: l(
                "このサーバーにはPDFを作るためのChromiumがありません。シートのページをブラウザで開き、印刷（用紙 A3・横）をお使いください。運営者の方は chromium をインストールするか HYOKA_CHROMIUM を設定してください。",
                "This server has no Chromium to make PDFs. Open the sheet page and use your browser's print (A3, landscape). Operators: install chromium or set HYOKA_CHROMIUM."))
        } catch let failure as ChromiumPDF.Failure {
            req.logger.error("PDF of \(row.name) failed: \(failure)")
            throw Abort(.internalServerError, reason: "PDF rendering failed")
        }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = .pdf
        let name = "hyoka-\(scope.municipality.code)-\(scope.year)-\(row.number ?? row.id.uuidString.prefix(8).lowercased()).pdf"
        response.headers.contentDisposition = .init(.inline, filename: name)
        return response
    }
}
