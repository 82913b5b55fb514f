import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A progress bar on standard error, drawn only on a terminal and only for large inputs,
/// so that logs and pipes get the report alone.
enum ProgressBar {
    static let minimumRecords = 2_000

    static var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// The callback for `DatasetStore.progress`, or nil when no bar should be drawn.
    static func callback() -> (@Sendable (Int, Int) -> Void)? {
        guard isTerminal else { return nil }
        return { done, total in
            guard total >= minimumRecords else { return }
            FileHandle.standardError.write(Data(line(done: done, total: total).utf8))
            if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
        }
    }

    /// `\r[##########..........]  50% 5,000 / 10,000 件`
    static func line(done: Int, total: Int, width: Int = 30) -> String {
        let fraction = total == 0 ? 1 : Double(done) / Double(total)
        let filled = Int((fraction * Double(width)).rounded(.down))
        let percent = Int((fraction * 100).rounded(.down))
        return "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            + String(format: "%3d%%", percent) + " \(done.formatted()) / \(total.formatted()) 件"
    }
}
