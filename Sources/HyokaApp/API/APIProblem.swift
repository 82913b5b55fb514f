import Foundation
import Vapor

/// An API error as `application/problem+json` (RFC 9457), in Japanese (`title`, `detail`)
/// and English (`title_en`, `detail_en`), with what to do next in the detail.
struct APIProblem: AbortError {
    var status: HTTPResponseStatus
    var detail: String
    var detailEnglish: String
    /// Extra members: `errors` of a 422, `changes` of a 409.
    var extra: [(String, JSONValue)] = []
    var headers: HTTPHeaders = [:]

    var reason: String { "\(detail) (\(detailEnglish))" }

    static func badParameter(_ name: String, _ japanese: String, _ english: String) -> APIProblem {
        APIProblem(status: .badRequest, detail: "パラメータ \(name): \(japanese)", detailEnglish: "parameter \(name): \(english)")
    }

    static let unauthorized = APIProblem(
        status: .unauthorized,
        detail: "API トークンが必要です。Authorization: Bearer <token> を付けてください（トークンは管理者が hyoka token create で発行します）",
        detailEnglish: "an API token is required: send Authorization: Bearer <token> (an administrator issues one with hyoka token create)",
        headers: ["WWW-Authenticate": "Bearer realm=\"hyoka\""])

    static func titles(_ status: HTTPResponseStatus) -> (String, String) {
        switch status.code {
        case 304: ("変更なし", "Not Modified")
        case 400: ("リクエストが正しくありません", "Bad Request")
        case 401: ("認証が必要です", "Unauthorized")
        case 403: ("権限がありません", "Forbidden")
        case 404: ("見つかりません", "Not Found")
        case 405: ("このメソッドは使えません", "Method Not Allowed")
        case 409: ("競合しています", "Conflict")
        case 413: ("リクエストが大きすぎます", "Content Too Large")
        case 415: ("この形式は受け付けません", "Unsupported Media Type")
        case 422: ("入力内容に誤りがあります", "Unprocessable Content")
        default: ("サーバーでエラーが発生しました", "Internal Server Error")
        }
    }

    /// Any error thrown on an API route, as a problem document.
    static func response(for error: any Error, on request: Request) -> Response {
        let problem: APIProblem
        switch error {
        case let p as APIProblem:
            problem = p
        case let e as StaffError:
            problem = APIProblem(status: e.status, detail: e.japanese, detailEnglish: e.english)
        case let e as DecodingError:
            problem = APIProblem(status: .badRequest, detail: "JSON の本文を読めません: \(Self.describe(e))。API 文書（/api/openapi.json）の形で送ってください",
                                 detailEnglish: "the JSON body cannot be read: \(Self.describe(e)); send it as /api/openapi.json describes")
        case let e as any AbortError where e.status.code < 500:
            let notFound = e.status == .notFound
            problem = APIProblem(status: e.status,
                                 detail: notFound ? "このアドレスには公表されたデータがありません。/api/openapi.json でアドレスを確認してください" : e.reason,
                                 detailEnglish: notFound ? "nothing published at this address; see /api/openapi.json for the routes" : e.reason)
        default:
            request.logger.report(error: error)
            problem = APIProblem(status: .internalServerError, detail: "時間をおいてもう一度お試しください。続く場合は管理者にお知らせください",
                                 detailEnglish: "please try again later; if it persists, tell the site's operator")
        }
        return problem.response(instance: request.url.path)
    }

    func response(instance: String) -> Response {
        let (title, titleEnglish) = Self.titles(status)
        let body = JSONValue.object([
            ("type", "about:blank"), ("status", .int(Int64(status.code))), ("title", .string(title)), ("title_en", .string(titleEnglish)),
            ("detail", .string(detail)), ("detail_en", .string(detailEnglish)), ("instance", .string(instance)),
        ] + extra)
        var headers = self.headers
        headers.replaceOrAdd(name: .contentType, value: "application/problem+json; charset=utf-8")
        return Response(status: status, headers: headers, body: .init(string: body.serialized))
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, context): "\((context.codingPath + [key]).map(\.stringValue).joined(separator: ".")) がありません (missing)"
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            context.codingPath.isEmpty ? "JSON として読めません (not JSON)" : "\(context.codingPath.map(\.stringValue).joined(separator: ".")) の型が違います (wrong type)"
        @unknown default: "?"
        }
    }

    /// The problem schema of the OpenAPI document.
    static let schema = NamedSchema(name: "Problem", schema: .object([
        ("type", "object"),
        ("description", "エラー（RFC 9457 problem details）。日本語と英語の説明つき / An error, in Japanese and English"),
        ("required", .array(["type", "status", "title", "title_en", "detail", "detail_en", "instance"])),
        ("properties", .object([
            ("type", .object([("type", "string")])),
            ("status", .object([("type", "integer")])),
            ("title", .object([("type", "string"), ("description", "日本語の見出し")])),
            ("title_en", .object([("type", "string"), ("description", "title in English")])),
            ("detail", .object([("type", "string"), ("description", "日本語の説明と次にすること")])),
            ("detail_en", .object([("type", "string"), ("description", "what went wrong and what to do, in English")])),
            ("instance", .object([("type", "string")])),
            ("errors", .object([("type", "array"), ("description", "422: each field's problem"), ("items", .object([
                ("type", "object"), ("required", .array(["field", "detail", "detail_en"])),
                ("properties", .object([("field", .object([("type", "string")])), ("detail", .object([("type", "string")])), ("detail_en", .object([("type", "string")]))])),
            ]))])),
            ("changes", .object([("type", "array"), ("description", "409: what others saved since the version the request was based on"), ("items", .object([
                ("type", "object"), ("required", .array(["at", "actor", "field"])),
                ("properties", .object([
                    ("at", .object([("type", "string"), ("format", "date-time")])), ("actor", .object([("type", "string")])),
                    ("entity", .object([("type", "string")])), ("field", .object([("type", "string")])),
                    ("before", .object([("type", .array(["string", "null"]))])), ("after", .object([("type", .array(["string", "null"]))])),
                ])),
            ]))])),
        ])),
    ]))
}
