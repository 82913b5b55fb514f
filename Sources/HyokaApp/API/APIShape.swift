import Foundation
import HyokaImport

/// The JSON type of a field, as the OpenAPI document states it.
indirect enum APIType: Sendable {
    case string
    case enumeration([String])
    case uuid
    case dateTime
    case integer
    case number
    case boolean
    case array(APIType)
    /// A named schema of `components/schemas`.
    case ref(String)
    /// An object whose values are strings (the fields of a record form).
    case stringMap
    case nullable(APIType)

    var schema: JSONValue {
        switch self {
        case .string: .object([("type", "string")])
        case let .enumeration(values): .object([("type", "string"), ("enum", .array(values.map(JSONValue.string)))])
        case .uuid: .object([("type", "string"), ("format", "uuid")])
        case .dateTime: .object([("type", "string"), ("format", "date-time")])
        case .integer: .object([("type", "integer")])
        case .number: .object([("type", "number")])
        case .boolean: .object([("type", "boolean")])
        case let .array(item): .object([("type", "array"), ("items", item.schema)])
        case let .ref(name): .object([("$ref", .string("#/components/schemas/\(name)"))])
        case .stringMap: .object([("type", "object"), ("additionalProperties", .object([("type", "string")]))])
        case let .nullable(inner):
            // OpenAPI 3.1 is JSON Schema: null is one more type.
            switch inner {
            case .ref, .nullable: .object([("oneOf", .array([inner.schema, .object([("type", "null")])]))])
            case let .enumeration(values): .object([("type", .array(["string", "null"])), ("enum", .array(values.map(JSONValue.string) + [.null]))])
            default:
                if case let .object(fields) = inner.schema, case let .string(type)? = inner.schema["type"] {
                    .object(fields.map { $0.0 == "type" ? ("type", .array([.string(type), "null"])) : $0 })
                } else { inner.schema }
            }
        }
    }
}

/// One field of a response object: its name, type and meaning, and how it is read from the
/// value. The schema in the OpenAPI document and the JSON the route answers are both made
/// from this list, so they cannot disagree.
struct APIField<Value>: Sendable {
    var name: String
    var type: APIType
    var description: String
    var value: @Sendable (Value) -> JSONValue
}

/// A response object: a named schema and its encoder. Every field is always present
/// (null when not set), so every field is `required`.
struct APIShape<Value>: Sendable {
    var name: String
    var description: String
    var fields: [APIField<Value>]

    func encode(_ value: Value) -> JSONValue {
        .object(fields.map { ($0.name, $0.value(value)) })
    }

    var schema: NamedSchema {
        NamedSchema(name: name, schema: .object([
            ("type", "object"),
            ("description", .string(description)),
            ("required", .array(fields.map { .string($0.name) })),
            ("additionalProperties", false),
            ("properties", .object(fields.map { ($0.name, Self.described($0.type.schema, $0.description)) })),
        ]))
    }

    /// `$ref` cannot carry siblings in every validator; a description goes beside it only
    /// where the schema is not a bare reference.
    private static func described(_ schema: JSONValue, _ description: String) -> JSONValue {
        guard case var .object(fields) = schema, schema["$ref"] == nil, !description.isEmpty else { return schema }
        fields.append(("description", .string(description)))
        return .object(fields)
    }
}

/// A schema of `components/schemas`, type-erased for the document.
struct NamedSchema: Sendable {
    var name: String
    var schema: JSONValue
}

/// The workbook's tables as API objects: one schema per table, its fields the table's
/// columns with their types, and the meaning from the data dictionary (docs/workbook.md).
enum TableShapes {
    /// What a workbook column holds as JSON. Cells are text in the workbook; the API gives
    /// numbers, booleans and null (for an empty cell) their JSON types.
    static func type(table: String, column: String) -> APIType {
        let integerColumns: Set<String> = ["fiscal_year", "start_fiscal_year", "end_fiscal_year", "baseline_year", "final_target_year", "goal_number", "position"]
        let numberColumns: Set<String> = ["value", "achievement_rate", "execution_rate", "budget_trend_threshold_percent", "staff_count", "work_hours"]
        let booleanColumns: Set<String> = ["all_members", "is_repost", "record_high", "published_record_high", "is_planned"]
        if integerColumns.contains(column) || column.hasSuffix("_yen") || (table == "manifesto_goals" && column == "number") { return .integer }
        if numberColumns.contains(column) || column.hasSuffix("_value") { return .number }
        if booleanColumns.contains(column) { return .boolean }
        return .string
    }

    static func schemaName(_ table: String) -> String {
        "Table_" + table
    }

    static func shape(_ table: String) -> APIShape<[String]> {
        let columns = Workbook.schema.first { $0.table == table }?.columns ?? []
        let dictionary = DataDictionary.table(table)
        return APIShape(name: schemaName(table), description: "\(table): \(dictionary?.summary ?? "")", fields: columns.enumerated().map { index, column in
            let type = type(table: table, column: column)
            let entry = dictionary?.columns.first { $0.name == column }
            return APIField(name: column, type: .nullable(type), description: entry.map { "\($0.japanese)\($0.computed ? "（計算値）" : ""): \($0.meaning)" } ?? "") { row in
                value(index < row.count ? row[index] : "", as: type)
            }
        })
    }

    /// A cell as JSON; empty is null. A cell that does not read as its column's type stays
    /// text, which the schema then refuses: `APITests` reads every cell of the demo and the
    /// seeds so that this cannot happen unnoticed.
    static func value(_ cell: String, as type: APIType) -> JSONValue {
        guard !cell.isEmpty else { return .null }
        switch type {
        case .integer: return Int64(cell).map(JSONValue.int) ?? .string(cell)
        case .number: return Decimal(string: cell, locale: Locale(identifier: "en_US_POSIX")).map(JSONValue.number) ?? .string(cell)
        case .boolean: return cell == "true" ? .bool(true) : cell == "false" ? .bool(false) : .string(cell)
        default: return .string(cell)
        }
    }
}
