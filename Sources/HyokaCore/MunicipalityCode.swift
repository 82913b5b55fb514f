import Foundation

/// 全国地方公共団体コード: five digits (two for the prefecture, three for the municipality)
/// and a check digit. 北九州市 = 401005.
public struct MunicipalityCode: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The six digits.
    public let value: String

    public enum ValidationError: Error, Equatable, CustomStringConvertible {
        case wrongLength(String)
        case notDigits(String)
        case wrongCheckDigit(String, expected: Int)
        case unknownPrefecture(String)

        public var description: String {
            switch self {
            case let .wrongLength(code):
                "団体コード「\(code)」は6桁で入力してください (a municipality code has 6 digits, e.g. 401005)"
            case let .notDigits(code):
                "団体コード「\(code)」に数字以外が含まれています (a municipality code has digits only)"
            case let .wrongCheckDigit(code, expected):
                "団体コード「\(code)」の検査数字が違います。末尾は \(expected) です (wrong check digit: the last digit should be \(expected))"
            case let .unknownPrefecture(code):
                "団体コード「\(code)」の都道府県コード（先頭2桁）は01〜47です (the first two digits must be a prefecture, 01–47)"
            }
        }
    }

    /// Validates a six-digit code; full-width digits are accepted.
    public init(_ text: String) throws {
        let code = JapaneseText.compact(text)
        guard code.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw ValidationError.notDigits(text) }
        guard code.count == 6 else { throw ValidationError.wrongLength(text) }
        let digits = code.compactMap(\.wholeNumberValue)
        guard let prefecture = Int(code.prefix(2)), (1...47).contains(prefecture) else { throw ValidationError.unknownPrefecture(text) }
        let expected = MunicipalityCode.checkDigit(for: Array(digits.prefix(5)))
        guard digits[5] == expected else { throw ValidationError.wrongCheckDigit(text, expected: expected) }
        value = code
    }

    /// Builds the full code from the five-digit 団体コード without check digit (`40100`).
    public init(withoutCheckDigit text: String) throws {
        let code = JapaneseText.compact(text)
        guard code.count == 5, code.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw ValidationError.wrongLength(text) }
        try self.init(code + String(MunicipalityCode.checkDigit(for: code.compactMap(\.wholeNumberValue))))
    }

    /// Weights 6,5,4,3,2 on the five digits; r = sum mod 11; check = (11 − r) mod 10.
    public static func checkDigit(for digits: [Int]) -> Int {
        precondition(digits.count == 5, "a municipality code has five digits before its check digit")
        let sum = zip(digits, [6, 5, 4, 3, 2]).reduce(0) { $0 + $1.0 * $1.1 }
        return (11 - sum % 11) % 10
    }

    /// 都道府県コード: the first two digits (40 = 福岡県).
    public var prefectureCode: String { String(value.prefix(2)) }

    /// Whether this is the code of a prefecture itself (`400009` 福岡県).
    public var isPrefecture: Bool { value.dropFirst(2).prefix(3) == "000" }

    public var description: String { value }

    public static func < (lhs: MunicipalityCode, rhs: MunicipalityCode) -> Bool { lhs.value < rhs.value }
}
