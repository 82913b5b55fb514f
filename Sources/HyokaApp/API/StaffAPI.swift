import Fluent
import Foundation
import HyokaCore
import Vapor

/// The write routes for staff systems, with a bearer token (`hyoka token create`). A token
/// acts as its account: the same policy (`Access`/`Policy`), validation, version check and
/// audit as the forms, through the same services (`SheetService`, `RecordForm`); audit
/// entries name the source `api`.
enum StaffAPI {
    // MARK: authentication

    static func user(_ req: Request) async throws -> User {
        guard let authorization = req.headers.bearerAuthorization else { throw APIProblem.unauthorized }
        guard let user = try await APITokens.user(presenting: authorization.token, on: req.db) else {
            var problem = APIProblem.unauthorized
            problem.detail = "API トークンが無効です（失効・誤り・無効なアカウント）。管理者に新しいトークンを依頼してください"
            problem.detailEnglish = "the API token is not valid (revoked, mistyped, or its account disabled); ask an administrator for a new one"
            throw problem
        }
        return user
    }

    // MARK: shapes

    static let me = APIShape<(User, String?, String?)>(name: "StaffAccount", description: "トークンのアカウント / the token's account", fields: [
        APIField(name: "login", type: .string, description: "ログイン名") { .string($0.0.login) },
        APIField(name: "name", type: .string, description: "表示名") { .string($0.0.displayName) },
        APIField(name: "role", type: .enumeration(Role.allCases.map(\.rawValue)), description: "役割") { .string($0.0.role) },
        APIField(name: "municipality_code", type: .nullable(.string), description: "団体コード") { .string($0.1) },
        APIField(name: "department", type: .nullable(.string), description: "所属") { .string($0.2) },
    ])

    struct SheetView: Sendable {
        var content: SheetContent
        var input: SheetInput
        var editable: Bool
    }

    static let sheetIndicator = APIShape<(Indicator, SheetView)>(name: "SheetIndicator", description: "シートの指標（目標・実績と達成率）", fields: [
        APIField(name: "id", type: .uuid, description: "指標の ID（PATCH の indicators[].id）") { .string($0.0.id?.uuidString.lowercased()) },
        APIField(name: "name", type: .string, description: "指標名") { .string($0.0.name) },
        APIField(name: "unit", type: .nullable(.string), description: "単位") { .string($0.0.unit) },
        APIField(name: "direction", type: .string, description: "higherIsBetter / lowerIsBetter / qualitative") { .string($0.0.direction) },
        APIField(name: "previous_actual", type: .nullable(.string), description: "前年度の実績") { i, v in .string(i.id.flatMap { v.content.previous[$0]?.actualRaw }) },
        APIField(name: "target", type: .string, description: "目標（書いたまま）") { i, v in .string(i.id.flatMap { v.input.targets[$0] } ?? "") },
        APIField(name: "actual", type: .string, description: "実績（書いたまま）") { i, v in .string(i.id.flatMap { v.input.actuals[$0] } ?? "") },
        APIField(name: "achievement_rate", type: .nullable(.number), description: "達成率 %（計算値）") { i, v in
            guard let id = i.id, case let .success(rate)? = v.content.rates(v.input)[id] else { return .null }
            return .number(rate)
        },
    ])

    static let sheet = APIShape<SheetView>(name: "Sheet", description: "進行中の評価サイクルの事業シート / a program sheet of the open cycle", fields: [
        APIField(name: "id", type: .uuid, description: "シートの ID") { .string($0.content.status.id?.uuidString.lowercased()) },
        APIField(name: "program_id", type: .uuid, description: "事業の ID") { .string($0.content.program.id?.uuidString.lowercased()) },
        APIField(name: "program_name", type: .string, description: "事務事業名") { .string($0.content.program.name) },
        APIField(name: "municipality_code", type: .string, description: "団体コード") { .string($0.content.municipality.code) },
        APIField(name: "fiscal_year", type: .integer, description: "年度") { .int($0.content.year) },
        APIField(name: "state", type: .enumeration(SheetState.allCases.map(\.rawValue)), description: "シートの状態") { .string($0.content.state.rawValue) },
        APIField(name: "phase", type: .enumeration(CyclePhase.allCases.map(\.rawValue)), description: "評価サイクルの段階") { .string($0.content.phase.rawValue) },
        APIField(name: "version", type: .integer, description: "版（保存・操作のときに送る）") { .int($0.content.status.version) },
        APIField(name: "editable", type: .boolean, description: "この状態と段階で編集できるか") { .bool($0.editable) },
        APIField(name: "return_reason", type: .nullable(.string), description: "差戻しの理由") { .string($0.content.status.returnReason) },
        APIField(name: "indicators", type: .array(.ref("SheetIndicator")), description: "指標") { view in
            .array(view.content.indicators.map { sheetIndicator.encode(($0, view)) })
        },
        APIField(name: "budget", type: .string, description: "予算額（千円）") { .string($0.input.budget) },
        APIField(name: "settlement", type: .string, description: "決算額（千円）") { .string($0.input.settlement) },
        APIField(name: "personnel_cost", type: .string, description: "人件費（千円）") { .string($0.input.personnelCost) },
        APIField(name: "grade", type: .string, description: "評価") { .string($0.input.grade) },
        APIField(name: "suggested_grade", type: .nullable(.string), description: "達成率から見た評価の目安（計算値）") { .string($0.content.suggestedGrade($0.input)?.label) },
        APIField(name: "direction", type: .string, description: "今後の方向性") { .string($0.input.direction) },
        APIField(name: "comment", type: .string, description: "評価の理由") { .string($0.input.comment) },
        APIField(name: "improvement", type: .string, description: "改善内容") { .string($0.input.improvement) },
        APIField(name: "legal_basis", type: .string, description: "根拠法令（事業の内容、年度をまたいで同じ）") { .string($0.input.profile["legalBasis"] ?? "") },
        APIField(name: "category", type: .string, description: "事務事業区分") { .string($0.input.profile["category"] ?? "") },
        APIField(name: "period_kind", type: .string, description: "事業期間の区分") { .string($0.input.profile["periodKind"] ?? "") },
        APIField(name: "budget_accounts", type: .string, description: "予算科目（1行に1科目）") { .string($0.input.profile["budgetAccounts"] ?? "") },
        APIField(name: "purpose_target", type: .string, description: "目的: 対象") { .string($0.input.profile["purposeTarget"] ?? "") },
        APIField(name: "purpose_intent", type: .string, description: "目的: 意図") { .string($0.input.profile["purposeIntent"] ?? "") },
        APIField(name: "purpose_result", type: .string, description: "目的: 結果") { .string($0.input.profile["purposeResult"] ?? "") },
        APIField(name: "means_previous_year", type: .string, description: "手段: 前年度実績") { .string($0.input.profile["meansPreviousYear"] ?? "") },
        APIField(name: "means_this_year", type: .string, description: "手段: 今年度計画") { .string($0.input.profile["meansThisYear"] ?? "") },
        APIField(name: "work_hours", type: .string, description: "延べ業務時間") { .string($0.input.workHours) },
        APIField(name: "staff_count", type: .string, description: "正規職員従事人数") { .string($0.input.staffCount) },
        APIField(name: "expected_outcome", type: .string, description: "期待成果（成果）: 向上・維持・低下") { .string($0.input.expectedOutcome) },
        APIField(name: "expected_cost", type: .string, description: "期待成果（コスト）: 削減・維持・増加") { .string($0.input.expectedCost) },
        APIField(name: "viewpoints", type: .array(.ref("SheetViewpoint")), description: "団体の評価の観点ごとの判定と理由（PATCH では viewpoints[].position で指定）") { view in
            .array(view.content.configuredViewpoints.enumerated().map { position, name in
                sheetViewpoint.encode((position, name, view.input.judgements[position] ?? "", view.input.reasons[position] ?? ""))
            })
        },
    ])

    static let sheetViewpoint = APIShape<(Int, String, String, String)>(name: "SheetViewpoint", description: "評価の観点の判定と理由", fields: [
        APIField(name: "position", type: .integer, description: "観点の順（0 から）") { .int($0.0) },
        APIField(name: "viewpoint", type: .string, description: "観点") { .string($0.1) },
        APIField(name: "judgement", type: .string, description: "判定") { .string($0.2) },
        APIField(name: "reason", type: .string, description: "理由") { .string($0.3) },
    ])

    static let record = APIShape<RecordForm>(name: "StaffRecord", description: "局施策評価・部局マニフェストの目標・連携事業・棚卸しの記録 / a record a staff form edits", fields: [
        APIField(name: "id", type: .nullable(.uuid), description: "記録の ID（局施策評価がまだ書かれていなければ null）") { .string($0.recordID?.uuidString.lowercased()) },
        APIField(name: "entity", type: .string, description: "表（evaluations, manifesto_goals …）") { .string($0.entity) },
        APIField(name: "title", type: .string, description: "見出し") { .string($0.japaneseTitle) },
        APIField(name: "label", type: .string, description: "記録の名前") { .string($0.label) },
        APIField(name: "version", type: .integer, description: "版（保存のときに送る）") { .int($0.version) },
        APIField(name: "fields", type: .stringMap, description: "項目名と値") { form in .object(form.fields.map { ($0.name, .string($0.value)) }) },
    ])

    static var schemas: [NamedSchema] {
        [me.schema, sheetIndicator.schema, sheetViewpoint.schema, sheet.schema, record.schema] + requestSchemas
    }

    // MARK: request bodies

    struct SheetPatch: Decodable {
        struct IndicatorInput: Decodable {
            var id: UUID
            var target: String?
            var actual: String?
        }

        var version: Int
        var indicators: [IndicatorInput]?
        var budget: String?
        var settlement: String?
        var personnelCost: String?
        var grade: String?
        var direction: String?
        var comment: String?
        var improvement: String?
        var workHours: String?
        var staffCount: String?
        var expectedOutcome: String?
        var expectedCost: String?
        struct ViewpointInput: Decodable {
            var position: Int
            var judgement: String?
            var reason: String?
        }
        var viewpoints: [ViewpointInput]?
        var legalBasis: String?, category: String?, periodKind: String?, budgetAccounts: String?
        var purposeTarget: String?, purposeIntent: String?, purposeResult: String?, meansPreviousYear: String?, meansThisYear: String?
    }

    struct StepRequest: Decodable {
        var version: Int
        var reason: String?
    }

    struct RecordPatch: Decodable {
        var version: Int
        var fields: [String: String]
    }

    static let requestSchemas: [NamedSchema] = {
        func object(_ description: String, required: [String], _ properties: [(String, JSONValue)]) -> JSONValue {
            .object([("type", "object"), ("description", .string(description)), ("required", .array(required.map(JSONValue.string))), ("properties", .object(properties))])
        }
        let text = APIType.string.schema
        return [
            NamedSchema(name: "SheetPatch", schema: object("シートの保存。書いた項目だけが変わる（省いた項目はそのまま） / fields left out keep their values", required: ["version"], [
                ("version", .object([("type", "integer"), ("description", "読み込んだときの version")])),
                ("indicators", .object([("type", "array"), ("items", object("指標の目標・実績", required: ["id"], [("id", APIType.uuid.schema), ("target", text), ("actual", text)]))])),
                ("budget", text), ("settlement", text), ("personnel_cost", text), ("grade", text), ("direction", text), ("comment", text), ("improvement", text),
                ("work_hours", text), ("staff_count", text), ("expected_outcome", text), ("expected_cost", text),
                ("legal_basis", text), ("category", text), ("period_kind", text), ("budget_accounts", text), ("purpose_target", text),
                ("purpose_intent", text), ("purpose_result", text), ("means_previous_year", text), ("means_this_year", text),
                ("viewpoints", .object([("type", "array"), ("items", object("観点の判定と理由（position は Sheet の viewpoints[].position）", required: ["position"], [
                    ("position", .object([("type", "integer")])), ("judgement", text), ("reason", text)]))])),
            ])),
            NamedSchema(name: "SheetStep", schema: object("提出・差戻し・承認 / submit, return, approve", required: ["version"], [
                ("version", .object([("type", "integer")])), ("reason", .object([("type", .array(["string", "null"])), ("description", "差戻しの理由（差戻しでは必須）")])),
            ])),
            NamedSchema(name: "RecordPatch", schema: object("記録の保存。fields に書いた項目だけが変わる / only the fields given change", required: ["version", "fields"], [
                ("version", .object([("type", "integer")])), ("fields", APIType.stringMap.schema),
            ])),
        ]
    }()

    static func decode<Body: Decodable>(_ type: Body.Type, _ req: Request) throws -> Body {
        guard let buffer = req.body.data, buffer.readableBytes > 0 else {
            throw APIProblem(status: .badRequest, detail: "JSON の本文を送ってください", detailEnglish: "send a JSON body")
        }
        let data = Data(buffer: buffer)
        // A NUL in a text (JSON's \u0000) is refused: no field means one, and PostgreSQL
        // refuses to store it.
        if data.range(of: Data("\\u0000".utf8)) != nil {
            throw APIProblem(status: .unprocessableEntity, detail: "本文の文字列に制御文字（NUL, \\u0000）が含まれています。取り除いて送り直してください",
                             detailEnglish: "a string in the body holds a NUL (\\u0000); remove it and send again")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Body.self, from: data)
    }

    // MARK: handlers

    static func whoAmI(_ req: Request) async throws -> Response {
        let user = try await user(req)
        let municipality = try await Municipality.find(user.$municipality.id, on: req.db)
        let department = try await Department.find(user.$department.id, on: req.db)
        return APIResponse.json(me.encode((user, municipality?.code, department?.name)), for: req, publicRead: false)
    }

    static func showSheet(_ req: Request) async throws -> Response {
        let user = try await user(req)
        let content = try await SheetContent.load(try sheetID(req), on: req.db)
        try SheetController.requireVisible(content, to: user, on: req.db)
        return try await sheetResponse(content, input: content.input, req)
    }

    static func saveSheet(_ req: Request) async throws -> Response {
        let user = try await user(req)
        let id = try sheetID(req)
        let patch = try decode(SheetPatch.self, req)
        let before = try await SheetContent.load(id, on: req.db)
        try SheetController.requireVisible(before, to: user, on: req.db)
        // Who may write comes before what was written (the service asks again).
        try Access.require(user, .editSheet, on: try await Access.target(program: before.program, on: req.db))
        var input = before.input
        let known = Set(before.indicators.compactMap(\.id))
        for indicator in patch.indicators ?? [] {
            guard known.contains(indicator.id) else {
                throw problems(["indicators": .init(japanese: "指標 \(indicator.id.uuidString.lowercased()) はこのシートにありません", english: "indicator \(indicator.id.uuidString.lowercased()) is not on this sheet")])
            }
            if let target = indicator.target { input.targets[indicator.id] = target.trimmingCharacters(in: .whitespacesAndNewlines) }
            if let actual = indicator.actual { input.actuals[indicator.id] = actual.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        func set(_ path: WritableKeyPath<SheetInput, String>, _ value: String?) {
            if let value { input[keyPath: path] = value.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        set(\.budget, patch.budget)
        set(\.settlement, patch.settlement)
        set(\.personnelCost, patch.personnelCost)
        set(\.grade, patch.grade)
        set(\.direction, patch.direction)
        set(\.comment, patch.comment)
        set(\.improvement, patch.improvement)
        set(\.workHours, patch.workHours)
        set(\.staffCount, patch.staffCount)
        set(\.expectedOutcome, patch.expectedOutcome)
        set(\.expectedCost, patch.expectedCost)
        for (name, value) in [("legalBasis", patch.legalBasis), ("category", patch.category), ("periodKind", patch.periodKind),
                              ("budgetAccounts", patch.budgetAccounts), ("purposeTarget", patch.purposeTarget), ("purposeIntent", patch.purposeIntent),
                              ("purposeResult", patch.purposeResult), ("meansPreviousYear", patch.meansPreviousYear), ("meansThisYear", patch.meansThisYear)] {
            if let value { input.profile[name] = SheetInput.normalizedLines(value).trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        let viewpointCount = before.configuredViewpoints.count
        for viewpoint in patch.viewpoints ?? [] {
            guard (0..<viewpointCount).contains(viewpoint.position) else {
                throw problems(["viewpoints": .init(japanese: "観点 \(viewpoint.position) はこの団体の評価の観点にありません（0〜\(max(0, viewpointCount - 1))）",
                                                    english: "viewpoint \(viewpoint.position) is not one of the municipality's (0–\(max(0, viewpointCount - 1)))")])
            }
            if let judgement = viewpoint.judgement { input.judgements[viewpoint.position] = judgement.trimmingCharacters(in: .whitespacesAndNewlines) }
            if let reason = viewpoint.reason { input.reasons[viewpoint.position] = SheetInput.normalizedLines(reason).trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        switch try await SheetService.save(id, input: input, basedOn: patch.version, by: user, source: "api", on: req.db) {
        case .saved:
            let content = try await SheetContent.load(id, on: req.db)
            return try await sheetResponse(content, input: content.input, req)
        case let .invalid(found):
            throw problems(found)
        case let .conflict(changes):
            throw conflict(changes)
        }
    }

    static func step(_ action: SheetAction) -> @Sendable (Request) async throws -> Response {
        { req in
            let user = try await user(req)
            let id = try sheetID(req)
            let body = try decode(StepRequest.self, req)
            let before = try await SheetContent.load(id, on: req.db)
            try SheetController.requireVisible(before, to: user, on: req.db)
            do {
                _ = try await SheetService.step(id, action, basedOn: body.version, reason: body.reason, by: user, source: "api", on: req.db)
            } catch let incomplete as SheetService.Incomplete {
                throw problems(incomplete.problems)
            }
            let content = try await SheetContent.load(id, on: req.db)
            return try await sheetResponse(content, input: content.input, req)
        }
    }

    static func showRecord(_ load: @escaping RecordForm.Loader) -> @Sendable (Request) async throws -> Response {
        { req in
            let user = try await user(req)
            let form = try await load(try recordID(req), req.db)
            try requireSameMunicipality(user, form)
            try form.requireAvailable()
            return APIResponse.json(record.encode(form), for: req, publicRead: false)
        }
    }

    static func saveRecord(_ load: @escaping RecordForm.Loader) -> @Sendable (Request) async throws -> Response {
        { req in
            let user = try await user(req)
            let id = try recordID(req)
            let patch = try decode(RecordPatch.self, req)
            let before = try await load(id, req.db)
            try requireSameMunicipality(user, before)
            try before.requireAvailable()
            let names = Set(before.fields.map(\.name))
            if let unknown = patch.fields.keys.sorted().first(where: { !names.contains($0) }) {
                throw problems([unknown: .init(japanese: "この記録に「\(unknown)」という項目はありません（項目: \(before.fields.map(\.name).joined(separator: ", "))）",
                                               english: "this record has no field \(unknown) (fields: \(before.fields.map(\.name).joined(separator: ", ")))")])
            }
            var form = Dictionary(uniqueKeysWithValues: before.fields.map { ($0.name, $0.value) })
            for (name, value) in patch.fields { form[name] = value }
            form["version"] = String(patch.version)
            switch try await RecordForm.save(load, id: id, form: form, by: user, source: "api", on: req.db) {
            case .saved:
                return APIResponse.json(record.encode(try await load(id, req.db)), for: req, publicRead: false)
            case let .invalid(found, _):
                throw problems(found)
            case let .conflict(changes, _, _):
                throw conflict(changes)
            }
        }
    }

    // MARK: helpers

    static func sheetResponse(_ content: SheetContent, input: SheetInput, _ req: Request) async throws -> Response {
        let view = SheetView(content: content, input: input, editable: SheetWorkflow.isEditable(content.state, phase: content.phase))
        return APIResponse.json(sheet.encode(view), for: req, publicRead: false)
    }

    static func sheetID(_ req: Request) throws -> UUID {
        guard let id = UUID(uuidString: req.apiPath("id")) else { throw StaffError.notFound("シート", "sheet") }
        return id
    }

    static func recordID(_ req: Request) throws -> UUID {
        guard let id = UUID(uuidString: req.apiPath("id")) else { throw StaffError.notFound("記録", "record") }
        return id
    }

    /// Staff of another municipality do not see its records at all (as with sheets).
    static func requireSameMunicipality(_ user: User, _ form: RecordForm) throws {
        guard user.staffRole != .admin, user.$municipality.id != nil, user.$municipality.id == form.municipalityID else { throw StaffError.forbidden }
    }

    static func problems(_ found: [String: SheetInput.Problem]) -> APIProblem {
        APIProblem(status: .unprocessableEntity, detail: "入力内容に誤りがあります。errors の項目を直して送り直してください",
                   detailEnglish: "some fields are invalid; correct those in errors and send again",
                   extra: [("errors", .array(found.sorted { $0.key < $1.key }.map { key, problem in
                       .object([("field", .string(key)), ("detail", .string(problem.japanese)), ("detail_en", .string(problem.english))])
                   }))])
    }

    static func conflict(_ changes: [AuditEntry]) -> APIProblem {
        APIProblem(status: .conflict, detail: "読み込んだ後に他の人が保存しました。changes を確認し、新しい version で送り直してください（何も保存していません）",
                   detailEnglish: "someone saved after you read it; check changes and send again with the new version (nothing was saved)",
                   extra: [("changes", .array(changes.map { entry in
                       .object([("at", .string(PublicAPI.iso8601(entry.at))), ("actor", .string(entry.actor)), ("entity", .string(entry.entity)),
                                ("field", .string(entry.field)), ("before", .string(entry.before)), ("after", .string(entry.after))])
                   }))])
    }
}
