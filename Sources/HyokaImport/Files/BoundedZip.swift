import Foundation
import ZIPFoundation

/// Reads a ZIP archive (an `.xlsx` is one) that came from outside, within bounds.
///
/// The directory is read here rather than through ZIPFoundation's `Archive`, because on
/// Linux its inflate loop reads on past an entry's compressed bytes until zlib reports the
/// end of the stream: a damaged stream never does, and the read never returned (found by
/// the fuzzer: `FuzzCrashRegressionTests`). Here every entry is located by its central
/// directory record and local header, every offset is checked against the file, and the
/// inflater (ZIPFoundation's zlib binding) is given exactly the entry's bytes, padded so
/// that zlib never reads past them, and stopped when it asks for more.
///
/// The sizes an archive declares can lie, so what is counted is what comes out of the
/// inflater, and the read stops the moment it passes a bound: a 1.5 MB bomb costs a few
/// megabytes, not gigabytes. Checksums are compared. Every refusal names the file and
/// the entry.
struct BoundedZip {
    struct Refused: Error, CustomStringConvertible {
        let description: String
    }

    struct Entry {
        let path: String
        /// 0 stored, 8 deflated.
        let method: UInt16
        let checksum: UInt32
        let compressedSize: Int
        let declaredSize: Int
        /// Where the entry's compressed bytes start in the file.
        let dataOffset: Int
        var isFile: Bool { !path.hasSuffix("/") }
    }

    /// Largest archive read at all (the staff upload is limited to 20 MB before this).
    static let maxArchiveBytes = 256 << 20
    static let maxEntries = 10_000

    let file: String
    let entries: [Entry]
    private let data: Data

    /// Reads the archive's directory; throws `Refused` when the file is not a ZIP archive
    /// this reader accepts (ZIP64 and encrypted entries are not: no workbook needs them).
    init(url: URL) throws {
        file = url.lastPathComponent
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        guard size <= Self.maxArchiveBytes else {
            throw Refused(description: "\(file): \(Self.maxArchiveBytes >> 20) MB を超える ZIP は読みません (archives over \(Self.maxArchiveBytes >> 20) MB are not read)")
        }
        data = try Data(contentsOf: url)
        entries = try Self.directory(of: data, file: file)
    }

    subscript(path: String) -> Entry? {
        entries.first { $0.path == path }
    }

    private static func notAZip(_ file: String, _ detail: String) -> Refused {
        Refused(description: "\(file): ZIP 形式として読めません（\(detail)）。元のファイルをもう一度保存・送信してください (not a readable ZIP archive: \(detail); save or send the file again)")
    }

    private static func directory(of data: Data, file: String) throws -> [Entry] {
        let bytes = [UInt8](data)
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        // The end-of-central-directory record: 22 bytes and a comment of up to 65,535.
        guard bytes.count >= 22 else { throw notAZip(file, "too short") }
        var end = -1
        var at = bytes.count - 22
        while at >= max(0, bytes.count - 22 - 65_535) {
            if bytes[at] == 0x50, bytes[at + 1] == 0x4B, bytes[at + 2] == 0x05, bytes[at + 3] == 0x06 { end = at; break }
            at -= 1
        }
        guard end >= 0 else { throw notAZip(file, "no end of central directory") }
        let count = u16(end + 10), directorySize = u32(end + 12), directoryOffset = u32(end + 16)
        guard count <= maxEntries, directoryOffset + directorySize <= end else { throw notAZip(file, "central directory out of bounds") }
        var entries: [Entry] = []
        var position = directoryOffset
        for _ in 0..<count {
            guard position + 46 <= end, u32(position) == 0x0201_4B50 else { throw notAZip(file, "bad central directory record") }
            let flags = u16(position + 8), method = u16(position + 10)
            let checksum = u32(position + 16), compressed = u32(position + 20), declared = u32(position + 24)
            let nameLength = u16(position + 28), extraLength = u16(position + 30), commentLength = u16(position + 32)
            let localOffset = u32(position + 42)
            guard position + 46 + nameLength <= end else { throw notAZip(file, "name out of bounds") }
            let path = String(decoding: bytes[(position + 46)..<(position + 46 + nameLength)], as: UTF8.self)
            guard flags & 1 == 0 else { throw Refused(description: "\(file): \(path) は暗号化されています。パスワードを外して保存し直してください (\(path) is encrypted; save it without a password)") }
            guard compressed != 0xFFFF_FFFF, declared != 0xFFFF_FFFF, localOffset != 0xFFFF_FFFF else {
                throw Refused(description: "\(file): \(path) は ZIP64 形式で、読みません (\(path) is a ZIP64 entry, which is not read)")
            }
            guard method == 0 || method == 8 else {
                throw Refused(description: "\(file): \(path) の圧縮方式（\(method)）は読めません (compression method \(method) of \(path) is not supported)")
            }
            // The local header repeats the name and has an extra field of its own length.
            guard localOffset + 30 <= bytes.count, u32(localOffset) == 0x0403_4B50 else { throw notAZip(file, "bad local header of \(path)") }
            let dataOffset = localOffset + 30 + u16(localOffset + 26) + u16(localOffset + 28)
            guard dataOffset + compressed <= bytes.count else { throw notAZip(file, "\(path) runs past the end of the file") }
            entries.append(Entry(path: path, method: UInt16(method), checksum: UInt32(checksum), compressedSize: compressed,
                                 declaredSize: declared, dataOffset: dataOffset))
            position += 46 + nameLength + extraLength + commentLength
        }
        return entries
    }

    /// The entry's bytes. `expandedSoFar` counts what all entries read so far expanded to,
    /// against `limit`; `ratio` applies once an entry is past `ratioFloor`.
    func extract(_ entry: Entry, expandedSoFar: inout Int, limit: Int, ratio: Int, ratioFloor: Int) throws -> Data {
        let compressed = data.subdata(in: entry.dataOffset..<(entry.dataOffset + entry.compressedSize))
        var out = Data()
        var total = expandedSoFar
        let megabytes = limit >> 20
        let path = entry.path, file = self.file
        func take(_ chunk: Data) throws {
            total += chunk.count
            if total > limit {
                throw Refused(description: "\(file): 展開すると \(megabytes) MB を超えます（\(path)）。不要なシートや画像を削除してください (expands past \(megabytes) MB at \(path); remove unused sheets and images)")
            }
            if out.count + chunk.count > ratioFloor, (out.count + chunk.count) / max(compressed.count, 1) > ratio {
                throw Refused(description: "\(file): \(path) の圧縮率が異常です（\(ratio) 倍超）。ZIP 爆弾の疑いがあるため読みません (\(path) expands more than \(ratio) times: refused as a possible ZIP bomb)")
            }
            out.append(chunk)
        }
        do {
            if entry.method == 0 {
                try take(compressed)
            } else {
                // zlib is told each chunk is `size` bytes long, so every chunk is that long:
                // the entry's bytes, then zeros (a damaged stream then fails on them), and a
                // request past that ends the read.
                _ = try Data.decompress(size: Int64(compressed.count), bufferSize: 64 << 10, skipCRC32: true, provider: { position, size in
                    guard position <= Int64(compressed.count) else { throw Refused(description: "\(file): \(path) の圧縮データが途中で終わっています (the compressed data of \(path) ends too soon)") }
                    var chunk = compressed.subdata(in: Int(position)..<min(compressed.count, Int(position) + size))
                    if chunk.count < size { chunk.append(Data(count: size - chunk.count)) }
                    return chunk
                }, consumer: take)
            }
        } catch let refused as Refused {
            throw refused
        } catch {
            throw Refused(description: "\(file): \(path) が壊れていて展開できません。元のファイルをもう一度保存・送信してください (\(path) is damaged and cannot be expanded; save or send the file again)")
        }
        guard out.crc32(checksum: 0) == entry.checksum else {
            throw Refused(description: "\(file): \(path) が壊れています（チェックサムが合いません）。元のファイルをもう一度保存・送信してください (\(path) is damaged: its checksum does not match; save or send the file again)")
        }
        expandedSoFar = total
        return out
    }
}
