import Vapor

/// Bounds expensive anonymous work (a sheet PDF: a Chromium process; an open-data bundle:
/// the whole public data set): at most `limit` at once and `queueLimit` waiting. Beyond
/// that the request is answered at once with 503 and `Retry-After`, instead of joining a
/// queue that grows until every visitor waits (the probe's 30th PDF waited 31 s; 20
/// bundles at once pushed a search to 12 s). What was made is kept per data version
/// (`PublicPageCache`), so the gate only meets work that was not done before.
actor WorkGate {
    let limit: Int
    let queueLimit: Int
    /// Seconds a client is asked to wait before trying again.
    let retryAfter: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int, queueLimit: Int, retryAfter: Int = 10) {
        self.limit = limit
        self.queueLimit = queueLimit
        self.retryAfter = retryAfter
    }

    /// Waits for a turn, or throws `busy` when `queueLimit` requests are already waiting.
    func enter() async throws {
        if running < limit {
            running += 1
            return
        }
        guard waiting.count < queueLimit else { throw busy }
        // The turn is handed over by `leave()`, which keeps `running` as it is.
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
    }

    func run<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        try await enter()
        defer { leave() }
        return try await work()
    }

    nonisolated var busy: Abort {
        Abort(.serviceUnavailable, headers: ["Retry-After": String(retryAfter)],
              reason: "混み合っています。\(retryAfter)秒ほどおいてからもう一度お試しください (busy: try again in about \(retryAfter) seconds)")
    }

    /// For tests and the health page: how many run and wait now.
    var load: (running: Int, waiting: Int) { (running, waiting.count) }
}

extension Application {
    private struct DownloadGateKey: StorageKey { typealias Value = WorkGate }

    /// Open-data bundles and the result downloads (CSV, Excel): two at a time, eight waiting.
    var downloadGate: WorkGate {
        get { storage[DownloadGateKey.self] ?? WorkGate(limit: 2, queueLimit: 8) }
        set { storage[DownloadGateKey.self] = newValue }
    }
}
