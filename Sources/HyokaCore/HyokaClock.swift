import Foundation

/// The time as Hyoka's writes and pages read it: audit entries, deadlines, sessions, the
/// read model's versions. Injected for the whole process rather than as a task-local,
/// because Fluent runs a transaction's body in a task of its own, where a task-local is
/// gone: a test of a time rule (or a replay) runs a request, an import or a cycle step at a
/// time it chooses with `HyokaClock.using({ fixed }) { … }`.
public enum HyokaClock {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var source: @Sendable () -> Date = { Date() }

    /// The current time by the injected clock.
    public static var date: Date {
        lock.withLock { source }()
    }

    private static func swap(_ clock: @escaping @Sendable () -> Date) -> @Sendable () -> Date {
        lock.withLock {
            let previous = source
            source = clock
            return previous
        }
    }

    /// Runs `body` with `clock` as the time of the whole process, then restores the one before.
    public static func using<T>(_ clock: @escaping @Sendable () -> Date, _ body: () async throws -> T) async rethrows -> T {
        let previous = swap(clock)
        defer { _ = swap(previous) }
        return try await body()
    }
}
