import Foundation

/// Cursor pagination by key: every list is in the order of a total key, and a cursor is
/// the key of the last item given. The next page starts after it, so a record added or
/// removed meanwhile neither repeats nor skips what is left.
enum Keyset {
    enum Part: Comparable, Codable, Sendable {
        case int(Int64)
        case decimal(Decimal)
        case text(String)

        static func < (a: Part, b: Part) -> Bool {
            switch (a, b) {
            case let (.int(x), .int(y)): x < y
            case let (.decimal(x), .decimal(y)): x < y
            case let (.text(x), .text(y)): x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars)
            case (.int, _): true
            case (.decimal, .text): true
            default: false
            }
        }
    }

    typealias Key = [Part]

    static func less(_ a: Key, _ b: Key) -> Bool { a.lexicographicallyPrecedes(b) }

    static let defaultLimit = 100
    static let maximumLimit = 1000

    /// The cursor text: base64url of the key as JSON, with the list's ordering name so
    /// that a cursor of one ordering is not taken for another.
    static func cursor(_ key: Key, ordering: String) -> String {
        let data = (try? JSONEncoder().encode(Envelope(o: ordering, k: key))) ?? Data()
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func key(fromCursor text: String, ordering: String) throws -> Key {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let envelope = try? JSONDecoder().decode(Envelope.self, from: data), envelope.o == ordering else {
            throw APIProblem.badParameter("cursor", "前のページの next_cursor をそのまま渡してください（並び順を変えたときは最初のページから）",
                                          "pass the next_cursor of the previous page as it is (start again from the first page after changing the order)")
        }
        return envelope.k
    }

    private struct Envelope: Codable {
        var o: String
        var k: Key
    }

    /// One page of `items`, which are sorted by `key` (descending when `descending`).
    static func page<Item>(_ items: [Item], key: (Item) -> Key, descending: Bool = false, limit: Int?, cursor: String?, ordering: String) throws
        -> (items: ArraySlice<Item>, next: String?) {
        let limit = min(max(limit ?? defaultLimit, 1), maximumLimit)
        var start = items.startIndex
        if let cursor {
            let after = try Self.key(fromCursor: cursor, ordering: ordering)
            // Binary search for the first item past the cursor.
            var low = items.startIndex, high = items.endIndex
            while low < high {
                let mid = (low + high) / 2
                let k = key(items[mid])
                let past = descending ? less(k, after) : less(after, k)
                if past { high = mid } else { low = mid + 1 }
            }
            start = low
        }
        let end = min(start + limit, items.endIndex)
        let slice = items[start..<end]
        let next = end < items.endIndex ? slice.last.map { Self.cursor(key($0), ordering: ordering) } : nil
        return (slice, next)
    }

    /// Sorts by key.
    static func sorted<Item>(_ items: [Item], key: (Item) -> Key, descending: Bool = false) -> [Item] {
        items.map { (key($0), $0) }.sorted { descending ? less($1.0, $0.0) : less($0.0, $1.0) }.map(\.1)
    }
}
