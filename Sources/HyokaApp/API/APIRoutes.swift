import Foundation
import HyokaCore
import HyokaImport
import Vapor

/// Every route of the JSON API. They are registered from this list and the OpenAPI
/// document is written from it, so the document names exactly the routes that exist, with
/// the parameters they check and the schemas their answers are encoded with.
enum APIRoutes {
    static let base = "/api/v1"
    static let documentPath = "/api/openapi.json"

    static let code = APIParameter(name: "code", location: .path, type: .string, required: true,
                                   description: "団体コード（6桁） / municipality code, e.g. 401005", pattern: "^[0-9]{6}$")
    static let id = APIParameter(name: "id", location: .path, type: .uuid, required: true, description: "ID（UUID）")
    static let limit = APIParameter(name: "limit", location: .query, type: .integer, required: false,
                                    description: "1ページの件数（既定 \(Keyset.defaultLimit)） / page size", minimum: 1, maximum: Keyset.maximumLimit)
    static let cursor = APIParameter(name: "cursor", location: .query, type: .string, required: false,
                                     description: "前のページの next_cursor / the next_cursor of the previous page", pattern: "^[A-Za-z0-9_-]+$", maxLength: 2000)
    static let fiscalYear = APIParameter(name: "fiscal_year", location: .query, type: .integer, required: false,
                                         description: "年度（西暦。2024 = 令和6年度） / fiscal year", minimum: 1868, maximum: 2200)

    static let readErrors = [304, 400, 404]
    static let writeErrors = [400, 401, 403, 404, 409, 413, 422]

    static var all: [APIRoute] {
        var routes: [APIRoute] = [
            APIRoute(method: .GET, path: documentPath, operationID: "getOpenAPIDocument", tag: "document",
                     summary: "この API の OpenAPI 3.1 文書 / this document", description: "", response: .ref("OpenAPIDocument"), errors: [304],
                     handler: { req in APIResponse.json(OpenAPIDocument.build(), for: req) }),
            APIRoute(method: .GET, path: "\(base)/municipalities", operationID: "listMunicipalities", tag: "public",
                     summary: "公表データのある団体 / municipalities with published data", description: "団体コード順。",
                     parameters: [limit, cursor], response: .ref("MunicipalityList"), errors: readErrors, handler: PublicAPI.municipalities),
            APIRoute(method: .GET, path: "\(base)/municipalities/{code}", operationID: "getMunicipality", tag: "public",
                     summary: "団体と公表済みの年度 / a municipality and its published years", description: "",
                     parameters: [code], response: .ref("Municipality"), errors: readErrors, handler: PublicAPI.municipalityDetail),
            APIRoute(method: .GET, path: "\(base)/municipalities/{code}/programs", operationID: "searchPrograms", tag: "public",
                     summary: "事業をさがす（ポータルの絞り込みと同じ） / search programs with the portal's facets",
                     description: "公表された年度の事業。達成率・増減・トータルコストは HyokaCore の計算値。絞り込みの値 \"-\" は未設定。",
                     parameters: [code, fiscalYear,
                                  APIParameter(name: "q", location: .query, type: .string, required: false, description: "キーワード（事業名・概要・担当課・番号、空白区切りで AND）", maxLength: 200),
                                  APIParameter(name: "department", location: .query, type: .string, required: false, description: "担当課", maxLength: 200),
                                  APIParameter(name: "plan_node", location: .query, type: .string, required: false, description: "施策番号", maxLength: 200),
                                  APIParameter(name: "sdg", location: .query, type: .integer, required: false, description: "SDGs のゴール", minimum: 1, maximum: 17),
                                  APIParameter(name: "grade", location: .query, type: .enumeration(GradeScale.evaluation.grades.map(\.label) + [ProgramSearch.unset]), required: false, description: "評価"),
                                  APIParameter(name: "direction", location: .query, type: .enumeration(GradeScale.direction.grades.map(\.label) + [ProgramSearch.unset]), required: false, description: "今後の方向性"),
                                  APIParameter(name: "trend", location: .query, type: .enumeration(BudgetTrend.allCases.map(\.japanese) + [ProgramSearch.unset]), required: false, description: "事業費の増減"),
                                  APIParameter(name: "sort", location: .query, type: .enumeration(ProgramSearch.Sort.allCases.map(\.rawValue)), required: false,
                                               description: "並び順（既定 number）。金額・達成率で並べると、その値のない事業は向きによらず最後"),
                                  APIParameter(name: "order", location: .query, type: .enumeration(["asc", "desc"]), required: false, description: "昇順・降順（既定 asc）"),
                                  limit, cursor],
                     response: .ref("ProgramList"), errors: readErrors, handler: PublicAPI.programs),
            APIRoute(method: .GET, path: "\(base)/programs/{id}", operationID: "getProgram", tag: "public",
                     summary: "事業の公表シート（指標と値、事業費、評価） / a published program with its KPIs, values, budgets and evaluations",
                     description: "公表された年度の内容だけを含む。", parameters: [id], response: .ref("ProgramDetail"), errors: readErrors, handler: PublicAPI.program),
        ]
        for table in PublicAPI.tables {
            let hasYear = Workbook.schema.first { $0.table == table }?.columns.contains("fiscal_year") ?? false
            let summary = DataDictionary.table(table)?.summary ?? table
            routes.append(APIRoute(method: .GET, path: "\(base)/municipalities/{code}/data/\(table)", operationID: "listTable_\(table)", tag: "data",
                                   summary: "\(table): \(summary)",
                                   description: "ワークブック（docs/workbook.md）の \(table) 表の公表分。列の意味はデータ項目定義書のとおり。",
                                   parameters: [code] + (hasYear ? [fiscalYear] : []) + [limit, cursor],
                                   response: .ref("TablePage_" + table), errors: readErrors, handler: PublicAPI.table(table)))
        }
        routes += [
            APIRoute(method: .GET, path: "\(base)/staff/me", operationID: "getStaffAccount", tag: "staff",
                     summary: "トークンのアカウント / the token's account", description: "", response: .ref("StaffAccount"), requiresToken: true,
                     errors: [304, 401], handler: StaffAPI.whoAmI),
            APIRoute(method: .GET, path: "\(base)/staff/sheets/{id}", operationID: "getSheet", tag: "staff",
                     summary: "進行中のサイクルの事業シート / a sheet of the open cycle", description: "同じ団体の職員が読める。",
                     parameters: [id], response: .ref("Sheet"), requiresToken: true, errors: [304, 400, 401, 403, 404], handler: StaffAPI.showSheet),
            APIRoute(method: .PATCH, path: "\(base)/staff/sheets/{id}", operationID: "saveSheet", tag: "staff",
                     summary: "シートを保存 / save a sheet", description: "フォームと同じ権限・検証・版の確認・監査。version が古ければ 409（changes つき）、入力の誤りは 422。",
                     parameters: [id], requestBody: "SheetPatch", response: .ref("Sheet"), requiresToken: true, errors: writeErrors, handler: StaffAPI.saveSheet),
        ]
        for action in [SheetAction.submit, .return, .approve, .withdraw] {
            routes.append(APIRoute(method: .POST, path: "\(base)/staff/sheets/{id}/\(action.rawValue)", operationID: "\(action.rawValue)Sheet", tag: "staff",
                                   summary: "シートの\(action.japanese) / \(action.rawValue) a sheet", description: action == .submit ? "フォームと同じ権限と状態の確認。提出には各指標の実績・評価・方向性・評価文が必要（足りなければ 422）。" : "フォームと同じ権限と状態の確認。",
                                   parameters: [id], requestBody: "SheetStep", response: .ref("Sheet"), requiresToken: true, errors: writeErrors,
                                   handler: StaffAPI.step(action)))
        }
        let records: [(String, String, String, RecordForm.Loader)] = [
            ("plan-nodes/{id}/evaluation", "BureauEvaluation", "局施策評価（施策の ID） / a plan node's bureau evaluation", RecordForm.bureauEvaluation),
            ("manifesto-goals/{id}", "ManifestoGoal", "部局マニフェストの目標 / a manifesto goal", RecordForm.manifestoGoal),
            ("collaboration-projects/{id}", "CollaborationProject", "連携事業 / a collaboration project", RecordForm.collaborationProject),
            ("inventory-reviews/{id}", "InventoryReview", "棚卸しの記録 / an inventory review entry", RecordForm.inventoryReview),
        ]
        for (path, name, summary, load) in records {
            routes.append(APIRoute(method: .GET, path: "\(base)/staff/\(path)", operationID: "get\(name)", tag: "staff", summary: summary, description: "",
                                   parameters: [id], response: .ref("StaffRecord"), requiresToken: true, errors: [304, 400, 401, 403, 404, 409],
                                   handler: StaffAPI.showRecord(load)))
            routes.append(APIRoute(method: .PATCH, path: "\(base)/staff/\(path)", operationID: "save\(name)", tag: "staff", summary: summary + "を保存",
                                   description: "フォームと同じ権限・検証・版の確認・監査。", parameters: [id], requestBody: "RecordPatch",
                                   response: .ref("StaffRecord"), requiresToken: true, errors: writeErrors, handler: StaffAPI.saveRecord(load)))
        }
        return routes
    }

    static func register(on app: Application) {
        for route in all {
            if route.requestBody != nil {
                app.on(route.method, route.pathComponents, body: .collect(maxSize: "1mb")) { req in try await route.respond(req) }
            } else {
                app.on(route.method, route.pathComponents) { req in try await route.respond(req) }
            }
        }
    }
}
