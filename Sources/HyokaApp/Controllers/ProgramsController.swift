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
        guard let scope = try await PortalScope.resolve(req) else { return try await HomeController.show(req: req) }
        let (layout, content) = ProgramIndex.view(try await ProgramIndex.query(scope: scope, search: search(from: req), req: req))
        return layout.render(content)
    }

    /// The current result (all pages) as a table: the same filters as the page.
    static func resultTable(_ req: Request) async throws -> (WorkbookTable, String) {
        guard let scope = try await PortalScope.resolve(req) else { throw Abort(.notFound, reason: "公表されたデータはまだありません (nothing published yet)") }
        let result = search(from: req).apply(try await req.catalog.programs(scope.municipality, year: scope.year))
        let language = PortalLanguage(req)
        let site = req.application.hyoka.publicURL ?? ""
        let rows = result.rows.map { exportRow($0, code: scope.municipality.code, year: scope.year, siteURL: site) }
        var table = WorkbookTable(name: language("事業一覧", "programs"), columns: listColumns.map { language($0.japanese, $0.english) }, rows: rows)
        table.numericColumns = Set(listColumns.indices.filter { listColumns[$0].numeric })
        return (table, "hyoka-programs-\(scope.municipality.code)-\(scope.year)")
    }

    /// The list download's columns, in `exportRow`'s order: headers in the page's language
    /// (a journalist's spreadsheet reads 「予算額（円）」, not `budget_yen`), and which hold
    /// numbers (numbers in the `.xlsx`).
    static let listColumns: [(japanese: String, english: String, numeric: Bool)] = [
        ("団体コード", "Municipality code", false), ("年度", "Fiscal year", true), ("事業番号", "Program number", false),
        ("事業名", "Program", false), ("担当課", "Department", false), ("施策コード", "Policy measures", false), ("SDGsゴール", "SDG goals", false),
        ("評価", "Grade", false), ("達成率からの目安", "Grade suggested by the rates", false), ("今後の方向性", "Direction", false),
        ("達成率の平均（%）", "Mean achievement rate (%)", true), ("予算の年度", "Fiscal year of the budget", true),
        ("予算額（円）", "Budget (yen)", true), ("決算額（円）", "Settlement (yen)", true), ("人件費（円）", "Personnel cost (yen)", true),
        ("トータルコスト（円）", "Total cost (yen)", true), ("増減", "Trend", false),
        ("前年度の予算額（円）", "Budget of the year before (yen)", true), ("前年度の決算額（円）", "Settlement of the year before (yen)", true), ("前年度比 増減額（円）", "Change from the year before (yen)", true),
        ("前年度比 増減率（%）", "Change from the year before (%)", true), ("執行率（%）", "Execution rate (%)", true),
        ("事業ID", "Program id", false), ("シートのURL", "Sheet URL", false),
    ]

    static func exportRow(_ row: PublicCatalog.ProgramRow, code: String, year: Int, siteURL: String) -> [String] {
        let decimal: (Decimal?) -> String = { $0.map { NSDecimalNumber(decimal: $0).stringValue } ?? "" }
        let yen: (Money?) -> String = { $0.map { String($0.yen) } ?? "" }
        let rate = ProgramSearch.meanRate(row).map { NSDecimalNumber(decimal: AchievementRate.round($0)).stringValue } ?? ""
        var cells: [String] = [code, String(year), row.number ?? "", row.name, row.department ?? ""]
        cells += [row.planNodes.joined(separator: ","), row.sdgGoals.map(String.init).joined(separator: ",")]
        cells += [row.grade ?? "", row.suggestedGrade ?? "", row.direction ?? "", rate]
        cells += [row.budgetYear.map(String.init) ?? "", yen(row.budget), yen(row.settlement), yen(row.personnelCost), yen(row.totalCost), row.trend?.japanese ?? ""]
        cells += [yen(row.previousBudget), yen(row.previousSettlement), yen(row.budgetChange), decimal(row.budgetChangePercent), decimal(row.executionRate)]
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
        // The read model holds a row only for a sheet published in a published cycle.
        guard let row = try await PublicReadModel.program(id, of: scope.municipality.requireID(), year: scope.year, on: req.db) else {
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
