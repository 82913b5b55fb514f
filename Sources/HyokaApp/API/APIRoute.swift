import Foundation
import Vapor

/// A parameter of an API route, as the OpenAPI document states it. The route checks every
/// request against these before its handler runs, so what the document promises about a
/// parameter is what the server enforces.
struct APIParameter: Sendable {
    enum Location: String, Sendable { case path, query }

    var name: String
    var location: Location
    var type: APIType
    var required: Bool
    var description: String
    var minimum: Int? = nil
    var maximum: Int? = nil
    var pattern: String? = nil
    var maxLength: Int? = nil

    var schema: JSONValue {
        guard case var .object(fields) = type.schema else { return type.schema }
        if let minimum { fields.append(("minimum", .int(Int64(minimum)))) }
        if let maximum { fields.append(("maximum", .int(Int64(maximum)))) }
        if let pattern { fields.append(("pattern", .string(pattern))) }
        if let maxLength { fields.append(("maxLength", .int(Int64(maxLength)))) }
        return .object(fields)
    }

    /// Refuses a value the document does not allow, naming the parameter.
    func check(_ value: String) throws {
        if let maxLength, value.count > maxLength {
            throw APIProblem.badParameter(name, "\(maxLength) 文字以内にしてください", "at most \(maxLength) characters")
        }
        if let pattern, value.range(of: pattern, options: .regularExpression) == nil {
            throw APIProblem.badParameter(name, "形式が違います（\(pattern)）", "does not match \(pattern)")
        }
        switch type {
        case .integer:
            guard let number = Int(value) else { throw APIProblem.badParameter(name, "整数で指定してください", "must be an integer") }
            if let minimum, number < minimum { throw APIProblem.badParameter(name, "\(minimum) 以上にしてください", "must be at least \(minimum)") }
            if let maximum, number > maximum { throw APIProblem.badParameter(name, "\(maximum) 以下にしてください", "must be at most \(maximum)") }
        case let .enumeration(values):
            guard values.contains(value) else {
                throw APIProblem.badParameter(name, "次のどれかにしてください: \(values.joined(separator: ", "))", "must be one of \(values.joined(separator: ", "))")
            }
        case .uuid:
            guard UUID(uuidString: value) != nil else { throw APIProblem.badParameter(name, "UUID で指定してください", "must be a UUID") }
        default:
            break
        }
    }
}

/// One route of the JSON API: how it is registered and how the OpenAPI document describes
/// it. `APIRoutes.all` is the one list both are made from.
struct APIRoute: Sendable {
    var method: HTTPMethod
    /// `/api/v1/municipalities/{code}`
    var path: String
    var operationID: String
    var tag: String
    var summary: String
    var description: String
    var parameters: [APIParameter] = []
    var requestBody: String? = nil
    /// The schema of a 200 answer.
    var response: APIType
    /// Write routes need a bearer token.
    var requiresToken = false
    /// The error statuses the route can answer, besides 400 (a parameter) and 500.
    var errors: [Int]
    var handler: @Sendable (Request) async throws -> Response

    /// Vapor's path components: `{code}` → `:code`.
    var pathComponents: [PathComponent] {
        path.split(separator: "/").map { segment in
            segment.hasPrefix("{") ? .parameter(String(segment.dropFirst().dropLast())) : .constant(String(segment))
        }
    }

    /// Checks the parameters, then answers.
    func respond(_ req: Request) async throws -> Response {
        for parameter in parameters {
            let value: String? = switch parameter.location {
            case .path: req.parameters.get(parameter.name)
            case .query: try? req.query.get(String.self, at: parameter.name)
            }
            guard let value else {
                if parameter.required { throw APIProblem.badParameter(parameter.name, "指定してください", "is required") }
                continue
            }
            do {
                try parameter.check(value)
            } catch let problem as APIProblem where parameter.location == .path {
                // A path that names nothing that can exist is simply not there.
                throw APIProblem(status: .notFound, detail: problem.detail + "。該当するデータはありません", detailEnglish: problem.detailEnglish + "; nothing is there")
            }
        }
        return try await handler(req)
    }
}

extension Request {
    /// A checked query parameter (see `APIRoute.respond`).
    func apiQuery(_ name: String) -> String? {
        (try? query.get(String.self, at: name)).flatMap { $0.isEmpty ? nil : $0 }
    }

    func apiQueryInt(_ name: String) -> Int? { apiQuery(name).flatMap(Int.init) }

    func apiPath(_ name: String) -> String { parameters.get(name) ?? "" }
}

/// JSON answers of the API: an ETag made from the bytes, 304 for a matching If-None-Match,
/// CORS for the public reads.
enum APIResponse {
    static func json(_ value: JSONValue, for req: Request, status: HTTPResponseStatus = .ok, publicRead: Bool = true, link: String? = nil) -> Response {
        let body = value.serialized
        let etag = "\"" + SHA256.hash(data: Data(body.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
        var headers: HTTPHeaders = ["ETag": etag, "Cache-Control": publicRead ? "no-cache" : "private, no-store"]
        if publicRead {
            headers.add(name: "Access-Control-Allow-Origin", value: "*")
            headers.add(name: "Access-Control-Expose-Headers", value: "ETag, Link")
        }
        if let link { headers.add(name: "Link", value: "<\(link)>; rel=\"next\"") }
        if status == .ok, req.method == .GET || req.method == .HEAD, matches(req.headers.first(name: .ifNoneMatch), etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers.add(name: .contentType, value: "application/json; charset=utf-8")
        return Response(status: status, headers: headers, body: .init(string: body))
    }

    /// If-None-Match: `*`, or a list of tags, weak or strong (compared weakly, RFC 9110).
    static func matches(_ header: String?, _ etag: String) -> Bool {
        guard let header else { return false }
        return header.split(separator: ",").contains { candidate in
            let tag = candidate.trimmingCharacters(in: .whitespaces)
            return tag == "*" || tag == etag || tag == "W/" + etag
        }
    }
}

/// Answers CORS preflights for the public API and gives API errors as problem documents.
struct APIMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.url.path.hasPrefix("/api/") else { return try await next.respond(to: request) }
        if request.method == .OPTIONS {
            // Reads only: no Authorization header is allowed across origins, so a page on
            // another site cannot use a staff token it does not hold anyway.
            return Response(status: .noContent, headers: [
                "Access-Control-Allow-Origin": "*",
                "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
                "Access-Control-Allow-Headers": "Accept, If-None-Match",
                "Access-Control-Max-Age": "86400",
            ])
        }
        do {
            return try await next.respond(to: request)
        } catch {
            let response = APIProblem.response(for: error, on: request)
            if !request.url.path.hasPrefix("/api/v1/staff") { response.headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: "*") }
            return response
        }
    }
}
