import Foundation

/// The OpenAPI 3.1 document of the API, written from `APIRoutes.all` and the shapes the
/// answers are encoded with.
enum OpenAPIDocument {
    static let document: JSONValue = make()

    static func build() -> JSONValue { document }

    private static func make() -> JSONValue {
        var paths: [(String, [(String, JSONValue)])] = []
        for route in APIRoutes.all {
            let operation = self.operation(route)
            if let index = paths.firstIndex(where: { $0.0 == route.path }) {
                paths[index].1.append((route.method.rawValue.lowercased(), operation))
            } else {
                paths.append((route.path, [(route.method.rawValue.lowercased(), operation)]))
            }
        }
        let schemas = [APIProblem.schema, NamedSchema(name: "OpenAPIDocument", schema: .object([("type", "object")]))]
            + PublicAPI.schemas + StaffAPI.schemas
        return .object([
            ("openapi", "3.1.0"),
            ("info", .object([
                ("title", "Hyoka API"),
                ("version", .string(HyokaConfiguration.version)),
                ("summary", "行政評価（事務事業評価・施策評価・部局マニフェスト・連携事業・棚卸し）の公表データと職員の入力 / published performance evaluations, and staff writes"),
                ("description", """
                公開の読み取り（public, data）は認証なし・CORS 可。公表された評価サイクルのデータだけを返します。一覧は cursor で次のページへ（Link: rel="next" も同じ）。\
                応答には ETag があり、If-None-Match で 304 になります。職員の書き込み（staff）は Authorization: Bearer <token>（hyoka token create で発行）で、\
                フォームと同じ権限・検証・版の確認・監査を通ります。エラーは application/problem+json（title/detail は日本語、title_en/detail_en は英語）。\
                列の意味は docs/workbook.md（オープンデータの data_dictionary.csv）にあります。
                Public reads need no authentication and allow CORS; they only return data of published evaluation cycles. Lists page with cursor \
                (and a Link rel="next" header); answers carry an ETag and honour If-None-Match. Staff writes take a bearer token and go through the \
                same policy, validation, version check and audit as the forms. Errors are problem+json in Japanese and English.
                """),
                ("license", .object([("name", "Apache-2.0 (software); data: see /open-data"), ("identifier", "Apache-2.0")])),
            ])),
            ("servers", .array([.object([("url", "/")])])),
            ("tags", .array([
                .object([("name", "public"), ("description", "公表データ（団体・事業の検索・事業シート） / published data")]),
                .object([("name", "data"), ("description", "ワークブックの表（公表分） / the workbook's tables, published part")]),
                .object([("name", "staff"), ("description", "職員の入力（トークン必須） / staff writes (token)")]),
                .object([("name", "document"), ("description", "この文書 / this document")]),
            ])),
            ("paths", .object(paths.map { ($0.0, .object($0.1)) })),
            ("components", .object([
                ("schemas", .object(schemas.map { ($0.name, $0.schema) })),
                ("securitySchemes", .object([("bearer", bearerScheme)])),
                ("responses", .object([("NotModified", notModified)])),
            ])),
        ])
    }

    static let bearerScheme: JSONValue = .object([("type", "http"), ("scheme", "bearer"),
                                                  ("description", "hyoka token create --user LOGIN で発行 / issued with hyoka token create")])
    static let notModified: JSONValue = .object([("description", "If-None-Match の ETag と同じ / unchanged since the ETag given"),
                                                 ("headers", .object([("ETag", etagHeader)]))])

    static let etagHeader: JSONValue = .object([("description", "応答の ETag"), ("schema", .object([("type", "string")]))])

    private static func operation(_ route: APIRoute) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("operationId", .string(route.operationID)),
            ("tags", .array([.string(route.tag)])),
            ("summary", .string(route.summary)),
        ]
        if !route.description.isEmpty { fields.append(("description", .string(route.description))) }
        if !route.parameters.isEmpty {
            fields.append(("parameters", .array(route.parameters.map { p in
                .object([("name", .string(p.name)), ("in", .string(p.location.rawValue)), ("required", .bool(p.required)),
                         ("description", .string(p.description)), ("schema", p.schema)])
            })))
        }
        if let body = route.requestBody {
            fields.append(("requestBody", .object([("required", true), ("content", .object([
                ("application/json", .object([("schema", APIType.ref(body).schema)])),
            ]))])))
        }
        var headers: [(String, JSONValue)] = [("ETag", etagHeader)]
        if route.tag != "staff" {
            headers.append(("Access-Control-Allow-Origin", .object([("schema", .object([("type", "string")]))])))
        }
        var responses: [(String, JSONValue)] = [
            ("200", .object([("description", "OK"), ("headers", .object(headers)),
                             ("content", .object([("application/json", .object([("schema", route.response.schema)]))]))])),
        ]
        let statuses = Set(route.errors + [400]).sorted()
        for status in statuses {
            if status == 304 {
                responses.append(("304", .object([("$ref", "#/components/responses/NotModified")])))
                continue
            }
            let (title, english) = APIProblem.titles(.init(statusCode: status))
            responses.append((String(status), .object([("description", .string("\(title) / \(english)")),
                                                       ("content", .object([("application/problem+json", .object([("schema", APIType.ref("Problem").schema)]))]))])))
        }
        fields.append(("responses", .object(responses)))
        if route.requiresToken { fields.append(("security", .array([.object([("bearer", .array([]))])]))) }
        return .object(fields)
    }
}
