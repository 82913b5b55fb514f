import Foundation

/// A NumberFormatter made once and shared. Making one costs tens of microseconds (ICU
/// underneath), which added up to a quarter of a workbook export and of page rendering when
/// every rate made its own; using one is not thread-safe, hence the lock.
public final class SharedNumberFormatter: @unchecked Sendable {
    private let formatter = NumberFormatter()
    private let lock = NSLock()

    public init(_ configure: (NumberFormatter) -> Void) {
        formatter.locale = Locale(identifier: "en_US_POSIX")
        configure(formatter)
    }

    public func string(from number: NSNumber) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return formatter.string(from: number)
    }
}
