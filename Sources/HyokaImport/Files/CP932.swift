import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Windows-31J (CP932), the encoding Japanese Excel opens a CSV in without asking.
/// Foundation on Linux has no Shift_JIS codec, so this goes through the C library's iconv.
public enum CP932 {
    /// Characters that Windows writes as a different code point than Unicode's mapping
    /// tables give for Shift_JIS: the text as Japanese Windows itself would store it.
    static let windowsForms: [Unicode.Scalar: Unicode.Scalar] = [
        "\u{2212}": "\u{FF0D}", // − MINUS SIGN → － FULLWIDTH HYPHEN-MINUS
        "\u{301C}": "\u{FF5E}", // 〜 WAVE DASH → ～ FULLWIDTH TILDE
        "\u{2016}": "\u{2225}", // ‖ DOUBLE VERTICAL LINE → ∥ PARALLEL TO
        "\u{2014}": "\u{2015}", // — EM DASH → ― HORIZONTAL BAR
        "\u{00A2}": "\u{FFE0}", "\u{00A3}": "\u{FFE1}", "\u{00AC}": "\u{FFE2}",
    ]

    /// What stands for a character CP932 cannot hold (an emoji, a kanji outside JIS and
    /// the IBM extensions): 〓 (ゲタ), the customary mark for a missing character.
    public static let substitute: Unicode.Scalar = "\u{3013}"

    public struct Encoded: Sendable {
        public var data: Data
        /// How many characters were replaced by 〓.
        public var substituted: Int
    }

    public enum EncodingError: Error, CustomStringConvertible {
        case unavailable
        public var description: String { "この環境の iconv は CP932 に対応していません (iconv on this system has no CP932 converter)" }
    }

    public static func encode(_ text: String) throws -> Encoded {
        let converter = iconv_open("CP932", "UTF-8")
        guard converter != iconv_t(bitPattern: -1) else { throw EncodingError.unavailable }
        defer { iconv_close(converter) }
        var data = Data()
        data.reserveCapacity(text.utf8.count)
        var substituted = 0
        // Line by line keeps the buffers small; a line that fails is redone one character
        // at a time so that only the characters CP932 lacks are substituted.
        var scalars = String.UnicodeScalarView()
        func flush() {
            guard !scalars.isEmpty else { return }
            let chunk = String(scalars)
            scalars.removeAll(keepingCapacity: true)
            if let bytes = convert(chunk, converter) { data.append(contentsOf: bytes); return }
            for scalar in chunk.unicodeScalars {
                if let bytes = convert(String(scalar), converter) {
                    data.append(contentsOf: bytes)
                } else {
                    substituted += 1
                    data.append(contentsOf: convert(String(substitute), converter) ?? [0x3F])
                }
            }
        }
        for scalar in text.unicodeScalars {
            scalars.append(scalar.isASCII ? scalar : (windowsForms[scalar] ?? scalar))
            if scalar == "\n" { flush() }
        }
        flush()
        return Encoded(data: data, substituted: substituted)
    }

    private static func convert(_ text: String, _ converter: iconv_t?) -> [UInt8]? {
        var input = Array(text.utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: input.count * 2 + 8)
        var inLeft = input.count, outLeft = output.count
        let result = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                var inPointer = source.baseAddress, outPointer = target.baseAddress
                return iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
            }
        }
        // Reset the converter's state after a failure, so the next call starts clean.
        guard result != -1 && inLeft == 0 else { iconv(converter, nil, nil, nil, nil); return nil }
        return output[0..<(output.count - outLeft)].map { UInt8(bitPattern: $0) }
    }
}
