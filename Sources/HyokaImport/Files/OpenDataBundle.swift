import Foundation
import ZIPFoundation

/// The open-data bundle (オープンデータ一式): one ZIP with the workbook's CSV files twice,
/// in UTF-8 with a byte-order mark (Excel then opens them as UTF-8) and in CP932 (what older
/// Japanese Excel and many city systems expect), the same data as JSON, the data
/// dictionary in both encodings, and a notice of the licence. Made from `PublicView` only.
public enum OpenDataBundle {
    /// The licence the data is published under; CC BY 4.0 unless the operator sets another.
    public struct Licence: Sendable, Equatable {
        public var name: String
        public var url: String

        public init(name: String, url: String) {
            self.name = name
            self.url = url
        }

        public static let ccBy4 = Licence(name: "CC BY 4.0", url: "https://creativecommons.org/licenses/by/4.0/deed.ja")
    }

    public struct Summary: Sendable {
        public var tables: Int
        public var rows: Int
        /// Characters CP932 could not hold, written as 〓 in the CP932 files only.
        public var substituted: Int
    }

    /// `hyoka-401005-2024.zip`, or `hyoka-401005-all.zip` for every year.
    public static func fileName(municipalityCode: String, year: Int?) -> String {
        "hyoka-\(municipalityCode)-\(year.map(String.init) ?? "all").zip"
    }

    /// Writes the bundle of `publicData` (already passed through `PublicView`) to `url`.
    /// `publisher` is named in the attribution; `asOf` says when the data was taken.
    @discardableResult
    public static func write(_ publicData: Dataset, publisher: String, year: Int?, licence: Licence, asOf: String, siteURL: String? = nil,
                             to url: URL) throws -> Summary {
        let tables = Workbook.tables(from: publicData, siteURL: siteURL)
        let folder = String(url.lastPathComponent.dropLast(url.pathExtension.isEmpty ? 0 : url.pathExtension.count + 1))
        var files: [(String, Data)] = []
        var substituted = 0
        for table in tables + [DataDictionary.workbookTable] {
            let text = csvWithCRLF(table.spreadsheetCSV)
            files.append(("utf8/\(table.name).csv", Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)))
            let cp932 = try CP932.encode(text)
            substituted += cp932.substituted
            files.append(("cp932/\(table.name).csv", cp932.data))
        }
        files.append(("hyoka.json", Data(WorkbookFiles.json(tables).utf8)))
        let rows = tables.reduce(0) { $0 + $1.rows.count }
        let readme = readme(tables: tables, publisher: publisher, year: year, licence: licence, asOf: asOf, substituted: substituted)
        files.insert(("README.txt", Data([0xEF, 0xBB, 0xBF]) + Data(csvWithCRLF(readme).utf8)), at: 0)
        files.insert(("LICENSE.txt", Data([0xEF, 0xBB, 0xBF]) + Data(csvWithCRLF(notice(publisher: publisher, licence: licence)).utf8)), at: 1)

        // Written to a temporary file and moved, so that a failure leaves no half bundle.
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).partial")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let archive = try Archive(url: temporary, accessMode: .create)
        // A fixed time in the entries: the same data gives the same bytes.
        let date = Date(timeIntervalSince1970: 946_684_800)
        for (path, data) in files {
            try archive.addEntry(with: "\(folder)/\(path)", type: .file, uncompressedSize: Int64(data.count), modificationDate: date,
                                 compressionMethod: .deflate) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
        }
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
        try FileManager.default.moveItem(at: temporary, to: url)
        return Summary(tables: tables.count, rows: rows, substituted: substituted)
    }

    /// Windows line ends: the convention for CSV (RFC 4180) and for text Excel and Notepad open.
    /// One pass over the bytes: every line end, LF or CRLF, becomes CRLF; a lone CR stays.
    static func csvWithCRLF(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + text.utf8.count / 32)
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == 0x0A && previous != 0x0D { out.append(0x0D) }
            out.append(byte)
            previous = byte
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func notice(publisher: String, licence: Licence) -> String {
        """
        このデータは\(publisher)が公表した行政評価の情報を Hyoka で整理したものです。
        ライセンス: \(licence.name)（\(licence.url)）
        利用するときは出典を記載してください。例: 「出典: \(publisher) 行政評価オープンデータ」
        内容を加工したときは、加工したことを記載してください。

        This data is the performance evaluation information published by \(publisher), structured by Hyoka.
        Licence: \(licence.name) (\(licence.url))
        Credit the source when you use it, e.g. "Source: \(publisher), performance evaluation open data",
        and say so when you have changed it.

        """
    }

    static func readme(tables: [WorkbookTable], publisher: String, year: Int?, licence: Licence, asOf: String, substituted: Int) -> String {
        let scope = year.map { "\($0)年度（FY\($0)）" } ?? "全年度（all fiscal years）"
        var text = """
        \(publisher) 行政評価オープンデータ — \(scope)
        \(publisher) performance evaluation open data — \(scope)
        データ時点 / data as of: \(asOf)

        公表済みの評価サイクルのデータだけを含みます（作成中・審査中のデータは含みません）。
        Only data of published evaluation cycles is included; nothing in draft or under review.

        ファイル / Files
        - utf8/*.csv   UTF-8（BOM 付き）。Excel でそのまま開けます。 UTF-8 with a byte-order mark; opens in Excel as is.
        - cp932/*.csv  Shift_JIS（CP932）。同じ内容です。 The same files in CP932 (Shift_JIS).
        - hyoka.json   同じデータの JSON 形式。 The same data as one JSON document.
        - */data_dictionary.csv  データ項目定義書（表・列ごとの日本語名と意味）。 The data dictionary: every table and column.
        - LICENSE.txt  ライセンスと出典の表記。 The licence and how to credit the source.

        列の意味は data_dictionary.csv にあります。◆（computed=true）の列は Hyoka が計算した値です（達成率・増減・トータルコストなど）。
        金額（*_yen）は円単位の整数、年度は西暦（2024 = 令和6年度）です。
        Column meanings are in data_dictionary.csv; computed=true columns are computed by Hyoka (rates, trends, total costs).
        Amounts (*_yen) are integer yen; fiscal years are Gregorian (2024 = Reiwa 6).

        CSV では、表計算ソフトが数式として実行してしまう「= + - @」などで始まる値の先頭に「'」を付けています（数値はそのまま）。元の値は hyoka.json にあります。
        In the CSV files a value a spreadsheet would run as a formula (starting with = + - @, a tab or CR) begins with an added '; numbers are unchanged. hyoka.json has the values exactly.

        """
        if substituted > 0 {
            text += """
            CP932 で表せない文字 \(substituted) 字は cp932/*.csv では「〓」にしています。正確な文字は utf8/*.csv を使ってください。
            \(substituted) characters CP932 cannot hold are written as 〓 in cp932/*.csv; utf8/*.csv has them exactly.


            """
        }
        text += "表 / Tables (rows)\n"
        for table in tables {
            let summary = DataDictionary.table(table.name)?.summary ?? ""
            text += "- \(table.name).csv (\(table.rows.count)) \(summary)\n"
        }
        text += "\nライセンス / Licence: \(licence.name) \(licence.url)\n"
        return text
    }
}
