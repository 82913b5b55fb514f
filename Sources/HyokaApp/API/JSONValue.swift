import Foundation

/// A JSON value with its object keys in the order they were written, so that the same data
/// always gives the same bytes (and so the same ETag), and so that the API's documents read
/// in the order of the workbook's columns.
indirect enum JSONValue: Equatable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    case null
    case bool(Bool)
    case int(Int64)
    case number(Decimal)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(Int64(value)) }
    init(booleanLiteral value: Bool) { self = .bool(value) }

    static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized == b.serialized }

    static func string(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
    static func int(_ value: Int?) -> JSONValue { value.map { .int(Int64($0)) } ?? .null }
    static func int64(_ value: Int64?) -> JSONValue { value.map(JSONValue.int) ?? .null }
    static func number(_ value: Decimal?) -> JSONValue { value.map(JSONValue.number) ?? .null }

    subscript(key: String) -> JSONValue? {
        guard case let .object(fields) = self else { return nil }
        return fields.first { $0.0 == key }?.1
    }

    var serialized: String {
        var out = ""
        write(to: &out, indent: nil)
        return out
    }

    /// Two-space indented, for documents people read (the OpenAPI document).
    var pretty: String {
        var out = ""
        write(to: &out, indent: "")
        return out + "\n"
    }

    private func write(to out: inout String, indent: String?) {
        let inner = indent.map { $0 + "  " }
        let separator = indent == nil ? "," : ",\n"
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i): out += String(i)
        case let .number(d): out += NSDecimalNumber(decimal: d).stringValue
        case let .string(s): Self.quote(s, into: &out)
        case let .array(items):
            guard !items.isEmpty else { out += "[]"; return }
            out += indent == nil ? "[" : "[\n"
            for (i, item) in items.enumerated() {
                if i > 0 { out += separator }
                out += inner ?? ""
                item.write(to: &out, indent: inner)
            }
            out += indent.map { "\n" + $0 + "]" } ?? "]"
        case let .object(fields):
            guard !fields.isEmpty else { out += "{}"; return }
            out += indent == nil ? "{" : "{\n"
            for (i, (key, value)) in fields.enumerated() {
                if i > 0 { out += separator }
                out += inner ?? ""
                Self.quote(key, into: &out)
                out += indent == nil ? ":" : ": "
                value.write(to: &out, indent: inner)
            }
            out += indent.map { "\n" + $0 + "}" } ?? "}"
        }
    }

    private static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20 || c.value == 0x2028 || c.value == 0x2029:
                out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
