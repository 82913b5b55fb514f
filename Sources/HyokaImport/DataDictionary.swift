/// データ項目定義書: every table and column of the workbook with its Japanese name and
/// meaning, as documented in docs/workbook.md (the entries are generated from it).
public enum DataDictionary {
    public struct Table: Sendable {
        public var name: String
        public var summary: String
        public var columns: [Column]
    }

    public struct Column: Sendable {
        public var name: String
        public var japanese: String
        public var meaning: String
        /// ◆: written from HyokaCore's computation, never read on import.
        public var computed: Bool
    }

    /// The dictionary as a table, for the open-data bundle (one row per column).
    public static var workbookTable: WorkbookTable {
        WorkbookTable(name: "data_dictionary", columns: ["table", "table_summary", "column", "japanese", "meaning", "computed"],
                      rows: tables.flatMap { table in
                          table.columns.map { [table.name, table.summary, $0.name, $0.japanese, $0.meaning, $0.computed ? "true" : "false"] }
                      })
    }

    public static func table(_ name: String) -> Table? { tables.first { $0.name == name } }
}
