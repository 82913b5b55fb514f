import Foundation

/// Where a file stops being UTF-8: the line, the column (in characters) and the byte, so
/// that a person can find the cell that was saved in another encoding (a CP932 name pasted
/// into a UTF-8 file, a cut multi-byte character).
public enum UTF8Position {
    public static let japanese = "UTF-8 ではない文字があります。Excel では「CSV UTF-8（コンマ区切り）」で保存し直してください"
    public static let english = "the file is not UTF-8 here; save it again as CSV UTF-8 (comma delimited) in Excel"

    public struct Found: Equatable, Sendable {
        /// 1-based, counted from the start of the file.
        public var line: Int
        public var column: Int
        /// 0-based offset of the first byte that is not UTF-8.
        public var byte: Int
    }

    /// nil when the whole of `data` is UTF-8.
    public static func find(in data: Data) -> Found? {
        // Foundation's validation is fast; the walk below only runs to place an error.
        if String(data: data, encoding: .utf8) != nil { return nil }
        let bytes = [UInt8](data)
        var line = 1, column = 1, index = 0
        while index < bytes.count {
            let length = sequenceLength(bytes, at: index)
            guard length > 0 else { return Found(line: line, column: column, byte: index) }
            if bytes[index] == 0x0A { line += 1; column = 1 } else { column += 1 }
            index += length
        }
        return nil
    }

    /// The import issue for a file that is not UTF-8, at its first invalid byte.
    public static func issue(in data: Data, file: String) -> ImportIssue {
        guard let found = find(in: data) else { return .error(at: SourceLocation(file: file), japanese, english) }
        return .error(at: SourceLocation(file: file, line: found.line, column: found.column),
                      "\(japanese)（\(found.line) 行 \(found.column) 文字目、バイト位置 \(found.byte)）",
                      "\(english) (line \(found.line), character \(found.column), byte \(found.byte))")
    }

    /// The length of the well-formed UTF-8 sequence at `index` (RFC 3629), 0 when there is none.
    static func sequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let first = bytes[index]
        func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            index + offset < bytes.count && range.contains(bytes[index + offset])
        }
        switch first {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return continuation(1) ? 2 : 0
        case 0xE0: return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return continuation(1) && continuation(2) ? 3 : 0
        case 0xED: return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : 0
        case 0xF0: return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4: return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default: return 0
        }
    }
}
