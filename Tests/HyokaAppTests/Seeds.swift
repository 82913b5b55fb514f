import Foundation

/// The published seed documents beside the checkout (`../shared/seeds`), or `HYOKA_SEEDS`.
enum Seeds {
    static var directory: URL {
        if let path = ProcessInfo.processInfo.environment["HYOKA_SEEDS"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/seeds")
    }

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// `../shared/real-data`: real cities' and the government's files (read, never copied).
    static func realData(_ path: String) -> URL {
        directory.deletingLastPathComponent().appendingPathComponent("real-data").appendingPathComponent(path)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
