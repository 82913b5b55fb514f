import Fluent
import Foundation
import HyokaCore
import HyokaImport
import Vapor

/// The public read routes: what the portal shows, as JSON. Everything comes through
/// `PublicCatalog` and `PublicView`, so drafts and unpublished years never appear.
enum PublicAPI {
    // MARK: shapes

    struct MunicipalityItem: Sendable {
        var municipality: Municipality
        var years: [Int]
        var publishedAt: Date?
    }

    static let municipality = APIShape<MunicipalityItem>(name: "Municipality", description: "公表データのある団体 / a municipality with published data", fields: [
        APIField(name: "code", type: .string, description: "団体コード（6桁）") { .string($0.municipality.code) },
        APIField(name: "name", type: .string, description: "団体名") { .string($0.municipality.name) },
        APIField(name: "name_en", type: .nullable(.string), description: "英語名") { .string($0.municipality.nameEnglish) },
        APIField(name: "prefecture", type: .nullable(.string), description: "都道府県") { .string($0.municipality.prefecture) },
        APIField(name: "published_fiscal_years", type: .array(.integer), description: "公表済みの年度（新しい順）") { .array($0.years.map { .int($0) }) },
        APIField(name: "latest_published_at", type: .nullable(.dateTime), description: "最新の公表日時") { .string($0.publishedAt.map(iso8601)) },
    ])

    static let programSummary = APIShape<PublicCatalog.ProgramRow>(name: "ProgramSummary", description: "事業の一覧の1行（計算値は HyokaCore による） / a program as listed", fields: [
        APIField(name: "id", type: .uuid, description: "事業の ID（/api/v1/programs/{id}）") { .string($0.id.uuidString.lowercased()) },
        APIField(name: "number", type: .nullable(.string), description: "事業番号") { .string($0.number) },
        APIField(name: "name", type: .string, description: "事務事業名") { .string($0.name) },
        APIField(name: "department", type: .nullable(.string), description: "担当課") { .string($0.department) },
        APIField(name: "summary", type: .nullable(.string), description: "事業概要") { .string($0.summary) },
        APIField(name: "sdg_goals", type: .array(.integer), description: "SDGs のゴール番号") { .array($0.sdgGoals.map { .int($0) }) },
        APIField(name: "plan_nodes", type: .array(.string), description: "施策番号") { .array($0.planNodes.map(JSONValue.string)) },
        APIField(name: "grade", type: .nullable(.string), description: "評価（自己評価）") { .string($0.grade) },
        APIField(name: "suggested_grade", type: .nullable(.string), description: "達成率から見た評価の目安（計算値）") { .string($0.suggestedGrade) },
        APIField(name: "direction", type: .nullable(.string), description: "今後の方向性") { .string($0.direction) },
        APIField(name: "budget_fiscal_year", type: .nullable(.integer), description: "金額の年度（シートが示す最新の年度）") { .int($0.budgetYear) },
        APIField(name: "budget_yen", type: .nullable(.integer), description: "予算額（円）") { .int64($0.budget?.yen) },
        APIField(name: "settlement_yen", type: .nullable(.integer), description: "決算額（円）") { .int64($0.settlement?.yen) },
        APIField(name: "personnel_cost_yen", type: .nullable(.integer), description: "人件費（円）") { .int64($0.personnelCost?.yen) },
        APIField(name: "total_cost_yen", type: .nullable(.integer), description: "トータルコスト（計算値）") { .int64($0.totalCost?.yen) },
        APIField(name: "trend", type: .nullable(.enumeration(BudgetTrend.allCases.map(\.japanese))), description: "事業費の増減（計算値）") { .string($0.trend?.japanese) },
        APIField(name: "achievement_rates", type: .array(.number), description: "指標ごとの達成率 %（計算値）") { .array($0.rates.map(JSONValue.number)) },
    ])

    struct Facet: Sendable {
        var name: String
        var values: [(String, Int)]
    }

    static let facetValue = APIShape<(String, Int)>(name: "FacetValue", description: "絞り込みの値と件数（未設定は \"-\"）", fields: [
        APIField(name: "value", type: .string, description: "値") { .string($0.0) },
        APIField(name: "count", type: .integer, description: "件数") { .int(Int64($0.1)) },
    ])

    struct ProgramPage: Sendable {
        var year: Int
        var total: Int
        var items: [PublicCatalog.ProgramRow]
        var facets: [Facet]
        var next: String?
    }

    static let facetNames = ["department", "grade", "direction", "trend", "sdg", "plan_node"]

    static let programList = APIShape<ProgramPage>(name: "ProgramList", description: "事業の検索結果 / a page of the program search", fields: [
        APIField(name: "fiscal_year", type: .integer, description: "年度") { .int($0.year) },
        APIField(name: "total", type: .integer, description: "条件に合う件数") { .int($0.total) },
        APIField(name: "items", type: .array(.ref("ProgramSummary")), description: "このページの事業") { .array($0.items.map(programSummary.encode)) },
        APIField(name: "facets", type: .ref("ProgramFacets"), description: "絞り込みごとの件数") { page in
            .object(page.facets.map { ($0.name, .array($0.values.map(facetValue.encode))) })
        },
        APIField(name: "next_cursor", type: .nullable(.string), description: "次のページの cursor（最後のページでは null）") { .string($0.next) },
    ])

    static let programFacets = NamedSchema(name: "ProgramFacets", schema: .object([
        ("type", "object"), ("required", .array(facetNames.map(JSONValue.string))), ("additionalProperties", false),
        ("properties", .object(facetNames.map { ($0, APIType.array(.ref("FacetValue")).schema) })),
    ]))

    struct List<Item: Sendable>: Sendable {
        var total: Int
        var items: [Item]
        var next: String?
    }

    static let municipalityList = APIShape<List<MunicipalityItem>>(name: "MunicipalityList", description: "公表データのある団体 / municipalities", fields: [
        APIField(name: "total", type: .integer, description: "件数") { .int($0.total) },
        APIField(name: "items", type: .array(.ref("Municipality")), description: "団体") { .array($0.items.map(municipality.encode)) },
        APIField(name: "next_cursor", type: .nullable(.string), description: "次のページの cursor") { .string($0.next) },
    ])

    /// A page of a workbook table.
    static func tablePage(_ table: String) -> APIShape<List<[String]>> {
        let row = TableShapes.shape(table)
        return APIShape(name: "TablePage_" + table, description: "\(table) の1ページ", fields: [
            APIField(name: "table", type: .string, description: "表名") { _ in .string(table) },
            APIField(name: "total", type: .integer, description: "条件に合う行数") { .int($0.total) },
            APIField(name: "items", type: .array(.ref(row.name)), description: "行") { .array($0.items.map(row.encode)) },
            APIField(name: "next_cursor", type: .nullable(.string), description: "次のページの cursor") { .string($0.next) },
        ])
    }

    struct ProgramDetail: Sendable {
        var program: Program
        var municipalityCode: String
        var department: String?
        var data: PublicData
        var years: [Int]
    }

    static let indicatorWithValues: APIShape<(row: [String], values: [[String]])> = {
        let indicator = TableShapes.shape("indicators")
        let value = TableShapes.shape("indicator_values")
        var fields = indicator.fields.map { field in APIField<(row: [String], values: [[String]])>(name: field.name, type: field.type, description: field.description) { field.value($0.row) } }
        fields.append(APIField(name: "values", type: .array(.ref(value.name)), description: "年度ごとの目標・実績と達成率") { .array($0.values.map(value.encode)) })
        return APIShape(name: "ProgramIndicator", description: "事業の成果指標と年度ごとの値", fields: fields)
    }()

    static let programDetail = APIShape<ProgramDetail>(name: "ProgramDetail", description: "事業の公表シートの内容 / a published program sheet", fields: [
        APIField(name: "id", type: .uuid, description: "事業の ID") { .string($0.program.id?.uuidString.lowercased()) },
        APIField(name: "municipality_code", type: .string, description: "団体コード") { .string($0.municipalityCode) },
        APIField(name: "number", type: .nullable(.string), description: "事業番号") { .string($0.program.number) },
        APIField(name: "name", type: .string, description: "事務事業名") { .string($0.program.name) },
        APIField(name: "department", type: .nullable(.string), description: "担当課") { .string($0.department) },
        APIField(name: "summary", type: .nullable(.string), description: "事業概要") { .string($0.program.summary) },
        APIField(name: "sdg_goals", type: .array(.integer), description: "SDGs のゴール番号") { .array($0.program.sdgGoals.split(separator: ",").compactMap { Int($0) }.map { .int($0) }) },
        APIField(name: "start_fiscal_year", type: .nullable(.integer), description: "開始年度") { .int($0.program.startFiscalYear) },
        APIField(name: "end_fiscal_year", type: .nullable(.integer), description: "終了年度") { .int($0.program.endFiscalYear) },
        APIField(name: "legal_basis", type: .nullable(.string), description: "根拠法令") { .string($0.program.legalBasis) },
        APIField(name: "category", type: .nullable(.string), description: "事務事業区分") { .string($0.program.category) },
        APIField(name: "period_kind", type: .nullable(.string), description: "事業期間の区分") { .string($0.program.periodKind) },
        APIField(name: "budget_accounts", type: .array(.string), description: "予算科目（会計-款-項-目-事業）") {
            .array(($0.program.budgetAccounts ?? "").split(separator: "\n").map { .string(String($0)) })
        },
        APIField(name: "purpose_target", type: .nullable(.string), description: "目的（対象）") { .string($0.program.purposeTarget) },
        APIField(name: "purpose_intent", type: .nullable(.string), description: "目的（意図）") { .string($0.program.purposeIntent) },
        APIField(name: "purpose_result", type: .nullable(.string), description: "目的（結果）") { .string($0.program.purposeResult) },
        APIField(name: "means_previous_year", type: .nullable(.string), description: "手段（前年度実績）") { .string($0.program.meansPreviousYear) },
        APIField(name: "means_this_year", type: .nullable(.string), description: "手段（今年度計画）") { .string($0.program.meansThisYear) },
        APIField(name: "published_fiscal_years", type: .array(.integer), description: "この事業のシートが公表された年度") { .array($0.years.map { .int($0) }) },
        APIField(name: "sheet_url", type: .string, description: "ポータルのシート") { .string(SiteURL.program($0.program.id ?? UUID()).path) },
        APIField(name: "plan_links", type: .array(.ref(TableShapes.schemaName("plan_links"))), description: "施策とのつながり") { d in
            rows(d, "plan_links", column: "program").map(TableShapes.shape("plan_links").encode).asJSON
        },
        APIField(name: "indicators", type: .array(.ref("ProgramIndicator")), description: "成果指標") { d in
            let valueTable = d.data.tables["indicator_values"]
            let keyColumn = valueTable?.columns.firstIndex(of: "indicator_key") ?? 0
            return rows(d, "indicators", column: "program").map { row in
                let key = row[d.data.tables["indicators"]?.columns.firstIndex(of: "indicator_key") ?? 0]
                return indicatorWithValues.encode((row, valueTable?.rows.filter { $0[keyColumn] == key } ?? []))
            }.asJSON
        },
        APIField(name: "budgets", type: .array(.ref(TableShapes.schemaName("budgets"))), description: "事業費（年度ごと、増減・トータルコスト・執行率は計算値）") { d in
            rows(d, "budgets", column: "program").map(TableShapes.shape("budgets").encode).asJSON
        },
        APIField(name: "evaluations", type: .array(.ref(TableShapes.schemaName("evaluations"))), description: "評価（年度・段階ごと）") { d in
            rows(d, "evaluations", column: "program").map(TableShapes.shape("evaluations").encode).asJSON
        },
        APIField(name: "evaluation_viewpoints", type: .array(.ref(TableShapes.schemaName("evaluation_viewpoints"))), description: "評価の観点（判定と理由）") { d in
            rows(d, "evaluation_viewpoints", column: "program").map(TableShapes.shape("evaluation_viewpoints").encode).asJSON
        },
        APIField(name: "inventory_reviews", type: .array(.ref(TableShapes.schemaName("inventory_reviews"))), description: "棚卸しの結果") { d in
            rows(d, "inventory_reviews", column: "program").map(TableShapes.shape("inventory_reviews").encode).asJSON
        },
    ])

    /// The rows of a public table whose `column` names the program.
    static func rows(_ d: ProgramDetail, _ table: String, column: String) -> [[String]] {
        guard let t = d.data.tables[table], let index = t.columns.firstIndex(of: column) else { return [] }
        let typeIndex = t.columns.firstIndex(of: table == "evaluations" ? "subject_type" : "owner_type")
        return t.rows.filter { row in
            row[index] == d.program.name && (typeIndex.map { row[$0] == "program" } ?? true)
        }
    }

    static var schemas: [NamedSchema] {
        [municipality.schema, municipalityList.schema, programSummary.schema, facetValue.schema, programFacets, programList.schema,
         indicatorWithValues.schema, programDetail.schema]
            + Workbook.schema.map { TableShapes.shape($0.table).schema }
            + tables.map { tablePage($0).schema }
    }

    /// The tables served by `/data/{table}`: every workbook table but `municipalities`,
    /// which has its own route.
    static let tables = Workbook.schema.map(\.table).filter { $0 != "municipalities" }

    // MARK: handlers

    static func municipalities(_ req: Request) async throws -> Response {
        let catalog = req.catalog
        var items: [MunicipalityItem] = []
        for m in try await catalog.municipalities() { items.append(try await item(m, on: req)) }
        let page = try Keyset.page(items, key: { [.text($0.municipality.code)] }, limit: req.apiQueryInt("limit"), cursor: req.apiQuery("cursor"), ordering: "code")
        return APIResponse.json(municipalityList.encode(List(total: items.count, items: Array(page.items), next: page.next)), for: req,
                                link: page.next.map { nextLink(req, $0) })
    }

    static func municipalityDetail(_ req: Request) async throws -> Response {
        let m = try await publishedMunicipality(req)
        return APIResponse.json(municipality.encode(try await item(m, on: req)), for: req)
    }

    static func programs(_ req: Request) async throws -> Response {
        let m = try await publishedMunicipality(req)
        let years = try await req.catalog.years(m)
        let year = req.apiQueryInt("fiscal_year") ?? years.first ?? 0
        guard years.contains(year) else {
            throw APIProblem(status: .notFound, detail: "\(year)年度の公表データはありません。公表済みの年度: \(years.map(String.init).joined(separator: ", "))",
                             detailEnglish: "nothing published for FY\(year); published years: \(years.map(String.init).joined(separator: ", "))")
        }
        var search = ProgramSearch()
        search.text = req.apiQuery("q")
        search.department = req.apiQuery("department")
        search.planNode = req.apiQuery("plan_node")
        search.sdg = req.apiQueryInt("sdg")
        search.grade = req.apiQuery("grade")
        search.direction = req.apiQuery("direction")
        search.trend = req.apiQuery("trend")
        let words = search.words
        let matching = try await req.catalog.programs(m, year: year).filter { search.matches($0, words: words) }
        let sort = req.apiQuery("sort") ?? "number", descending = req.apiQuery("order") == "desc"
        let key: (PublicCatalog.ProgramRow) -> Keyset.Key = { row in
            let id = Keyset.Part.text(row.id.uuidString.lowercased())
            switch sort {
            case "name": return [.text(row.name), id]
            case "budget": return [.int(row.budget?.yen ?? -1), .text(row.name), id]
            case "rate": return [.decimal(ProgramSearch.meanRate(row) ?? -1), .text(row.name), id]
            default: return [.int(row.number.flatMap { Int64($0) } ?? Int64.max), .text(row.number ?? ""), .text(row.name), id]
            }
        }
        let sorted = Keyset.sorted(matching, key: key, descending: descending)
        let page = try Keyset.page(sorted, key: key, descending: descending, limit: req.apiQueryInt("limit"), cursor: req.apiQuery("cursor"),
                                   ordering: "\(sort).\(descending ? "desc" : "asc")")
        var facets = search.facets(matching).map { Facet(name: $0.key, values: $0.values.map { ($0.value, $0.count) }) }
        let multi = search.multiFacets(matching)
        facets.append(Facet(name: "sdg", values: multi.sdgs.map { (String($0.0), $0.1) }))
        facets.append(Facet(name: "plan_node", values: multi.planNodes))
        let body = programList.encode(ProgramPage(year: year, total: matching.count, items: Array(page.items), facets: facets, next: page.next))
        return APIResponse.json(body, for: req, link: page.next.map { nextLink(req, $0) })
    }

    static func program(_ req: Request) async throws -> Response {
        guard let id = UUID(uuidString: req.apiPath("id")), let program = try await Program.query(on: req.db).filter(\.$id == id).with(\.$municipality).with(\.$department).first() else {
            throw notPublished
        }
        let data = try await PublicData.load(program.municipality.code, on: req.db, cache: req.application.portalCache, siteURL: req.application.hyoka.publicURL)
        let years = data.dataset.sheets.filter { $0.program == program.name }.map(\.fiscalYear).sorted()
        guard !years.isEmpty else { throw notPublished }
        let detail = ProgramDetail(program: program, municipalityCode: program.municipality.code, department: program.department?.name, data: data, years: years)
        return APIResponse.json(programDetail.encode(detail), for: req)
    }

    static func table(_ name: String) -> @Sendable (Request) async throws -> Response {
        { req in
            let m = try await publishedMunicipality(req)
            let data = try await PublicData.load(m.code, on: req.db, cache: req.application.portalCache, siteURL: req.application.hyoka.publicURL)
            guard let table = data.tables[name] else { throw notPublished }
            var rows = data.sortedRows(name)
            if let year = req.apiQueryInt("fiscal_year"), let column = table.columns.firstIndex(of: "fiscal_year") {
                rows = rows.filter { $0.row[column] == String(year) }
            }
            let page = try Keyset.page(rows, key: \.key, limit: req.apiQueryInt("limit"), cursor: req.apiQuery("cursor"), ordering: "row")
            let body = tablePage(name).encode(List(total: rows.count, items: page.items.map(\.row), next: page.next))
            return APIResponse.json(body, for: req, link: page.next.map { nextLink(req, $0) })
        }
    }

    // MARK: helpers

    static let notPublished = APIProblem(status: .notFound, detail: "公表されたデータではありません。公表済みの団体と年度は /api/v1/municipalities にあります",
                                         detailEnglish: "not published; /api/v1/municipalities lists the published municipalities and years")

    static func publishedMunicipality(_ req: Request) async throws -> Municipality {
        let code = req.apiPath("code")
        guard let m = try await req.catalog.municipalities().first(where: { $0.code == code }) else {
            throw APIProblem(status: .notFound, detail: "団体コード \(code) の公表データはありません。/api/v1/municipalities に一覧があります",
                             detailEnglish: "nothing published for municipality \(code); /api/v1/municipalities lists them")
        }
        return m
    }

    static func item(_ m: Municipality, on req: Request) async throws -> MunicipalityItem {
        let latest = try await Cycle.query(on: req.db).filter(\.$municipality.$id == m.requireID()).filter(\.$phase == CyclePhase.published.rawValue)
            .sort(\.$publishedAt, .descending).first()
        return MunicipalityItem(municipality: m, years: try await req.catalog.years(m), publishedAt: latest?.publishedAt)
    }

    static func nextLink(_ req: Request, _ cursor: String) -> String {
        // Read as the server reads a query (`+` is a space), written back fully encoded.
        func decode(_ text: Substring) -> String { String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text) }
        let items = (req.url.query ?? "").split(separator: "&").compactMap { pair -> (String, String?)? in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            return name == "cursor" ? nil : (name, parts.count > 1 ? decode(parts[1]) : nil)
        }
        return SiteURL.address(req.url.path, items + [("cursor", cursor)])
    }

    static func iso8601(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}

extension Array where Element == JSONValue {
    var asJSON: JSONValue { .array(self) }
}

extension PublicData {
    /// A table's rows in the API's order (by their cells), each with its keyset key; a
    /// repeated identical row gets its occurrence number, so that the key is unique.
    func sortedRows(_ table: String) -> [(row: [String], key: Keyset.Key)] {
        let rows = (tables[table]?.rows ?? []).sorted { $0.lexicographicallyPrecedes($1) { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) } }
        var out: [(row: [String], key: Keyset.Key)] = []
        out.reserveCapacity(rows.count)
        var occurrence = 0
        for (i, row) in rows.enumerated() {
            occurrence = i > 0 && rows[i - 1] == row ? occurrence + 1 : 0
            out.append((row, row.map(Keyset.Part.text) + [.int(Int64(occurrence))]))
        }
        return out
    }
}
