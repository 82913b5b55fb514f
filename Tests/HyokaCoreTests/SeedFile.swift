import Foundation

/// The published documents in `../shared/seeds` (beside the checkout), read as rows of
/// tab-separated cells with 1-based row and column numbers as in the document.
struct SeedFile {
    let name: String
    let rows: [[String]]

    static var directory: URL {
        if let path = ProcessInfo.processInfo.environment["HYOKA_SEEDS"] { return URL(fileURLWithPath: path) }
        // Tests/HyokaCoreTests/SeedFile.swift → package root → ../shared/seeds
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/seeds")
    }

    init(_ name: String) throws {
        self.name = name
        let text = try String(contentsOf: SeedFile.directory.appendingPathComponent(name), encoding: .utf8)
        rows = text.components(separatedBy: "\n").map { $0.components(separatedBy: "\t") }
    }

    /// The cell at a 1-based row and column, "" when the row is shorter.
    func cell(_ row: Int, _ column: Int) -> String {
        guard row >= 1, row <= rows.count, column >= 1, column <= rows[row - 1].count else { return "" }
        return rows[row - 1][column - 1]
    }
}
