import Fluent
import Foundation
import HyokaImport
import Vapor

/// Keeps what the portal computes for a municipality and year (every public row with its
/// rates, the lint findings) until the data changes. Every write to the database leaves
/// audit entries (imports, forms, commands alike), so the latest time in the audit log is a
/// data version that also sees writes made by another process, such as `hyoka import`
/// while `hyoka serve` runs. It is one lookup at the end of the `at` index. (It used to
/// count the log as well: at prefecture scale that is millions of rows scanned on every
/// request, see BENCHMARKS.md. The time alone misses a write only if it is stamped no later
/// than the latest entry, i.e. if the clock steps back.)
actor PortalCache {
    struct DataVersion: Equatable, Sendable {
        var latest: Date?

        /// What changes here never reaches a public page: staff accounts and API tokens.
        /// (Adding one account made the next public sheet take 8 s: every cache was cold.)
        static let unpublishedEntities = ["users", "api_tokens"]
        /// A sheet's content and steps as the sections edit them (forms, the API, the
        /// department workbook) are drafts until the cycle is published, and publishing
        /// writes a `cycles` row of its own; a correction after publication is audited as
        /// `correction`, not as these. So these rows never move the version either, and a
        /// day of saves in the 入力 phase leaves the portal's kept pages as they are.
        static let draftEntities = ["sheets", "indicator_values", "budgets", "evaluations"]
        static let draftSources = ["form", "api", "workbook"]

        /// The time of the latest audited change to data the public may see. Newest first
        /// on the `at` index, stopping at the first row that counts.
        static func current(on db: any Database) async throws -> DataVersion {
            DataVersion(latest: try await AuditEntry.query(on: db).filter(\.$entity !~ unpublishedEntities)
                .group(.or) { $0.filter(\.$entity !~ draftEntities).filter(\.$source !~ draftSources) }
                .sort(\.$at, .descending).field(\.$at).first()?.at)
        }
    }

    private struct Entry<Value: Sendable> {
        var version: DataVersion
        var value: Value
    }

    private var rows: [String: Entry<[PublicCatalog.ProgramRow]>] = [:]
    private var findings: [String: Entry<[LintFinding]>] = [:]
    private var others: [String: Entry<any Sendable>] = [:]
    /// Bounded so that a crawler walking every year of every municipality cannot grow it
    /// without end; the oldest key goes first.
    private let capacity: Int
    private var order: [String] = []

    init(capacity: Int = 64) {
        self.capacity = capacity
    }

    func rows(_ key: String, version: DataVersion, compute: @Sendable () async throws -> [PublicCatalog.ProgramRow]) async throws -> [PublicCatalog.ProgramRow] {
        if let entry = rows[key], entry.version == version { return entry.value }
        let value = try await compute()
        rows[key] = Entry(version: version, value: value)
        remember(key)
        return value
    }

    func findings(_ key: String, version: DataVersion, compute: @Sendable () async throws -> [LintFinding]) async throws -> [LintFinding] {
        if let entry = findings[key], entry.version == version { return entry.value }
        let value = try await compute()
        findings[key] = Entry(version: version, value: value)
        remember(key)
        return value
    }

    /// Any other computed value (the public dataset of the API and open data), by key.
    func value<Value: Sendable>(_ key: String, version: DataVersion, compute: @Sendable () async throws -> Value) async throws -> Value {
        if let entry = others[key], entry.version == version, let value = entry.value as? Value { return value }
        let value = try await compute()
        others[key] = Entry(version: version, value: value)
        remember(key)
        return value
    }

    private func remember(_ key: String) {
        order.removeAll { $0 == key }
        order.append(key)
        while order.count > capacity {
            let oldest = order.removeFirst()
            rows[oldest] = nil
            findings[oldest] = nil
            others[oldest] = nil
        }
    }
}

extension Application {
    private struct PortalCacheKey: StorageKey {
        typealias Value = PortalCache
    }

    /// The portal's cache, one per application; `configure` sets it before any request,
    /// because storage is not safe to fill lazily from concurrent requests.
    var portalCache: PortalCache {
        get { configured(PortalCacheKey.self, "the portal cache") }
        set { storage[PortalCacheKey.self] = newValue }
    }
}

extension Request {
    /// What the public may see, through the application's cache.
    var catalog: PublicCatalog { PublicCatalog(db: db, cache: application.portalCache) }
}
