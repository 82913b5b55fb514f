import Fluent
import SQLKit
import Foundation
import HyokaImport
import Vapor

/// Keeps what the portal reads for a municipality and year (its rows of the read model, the
/// public dataset of the API and open data) until that municipality's data version moves.
actor PortalCache {
    /// The data versions of every municipality (`public_versions`, moved by
    /// `PublicReadModel.advance` in the transaction of each write that changes what the
    /// municipality publishes). One small table read at most once a second
    /// (`DataVersionClock`); another process's publication shows within that second.
    struct DataVersion: Equatable, Sendable {
        /// One municipality's version: a counter, and when it last moved (so that a counter
        /// restarted in a new database never repeats an ETag a browser holds).
        struct Stamp: Hashable, Sendable {
            var version: Int64
            var changedAt: Int64

            var tag: String { "\(version).\(changedAt)" }
        }

        var municipalities: [UUID: Stamp] = [:]
        /// The municipalities with something published: the portal's municipality list.
        var published: Set<UUID> = []

        /// The stamp a page of `municipality` follows; nil for a page of the whole
        /// deployment, which follows every municipality. A municipality's page also follows
        /// the list of published municipalities, which its menus show.
        func of(_ municipality: UUID?) -> Stamp {
            let list = Int64(truncatingIfNeeded: published.reduce(0) { $0 ^ $1.hashValueStable })
            guard let municipality else {
                let all = municipalities.values
                return Stamp(version: all.reduce(0) { $0 &+ $1.version } &+ list, changedAt: all.map(\.changedAt).max() ?? 0)
            }
            let own = municipalities[municipality] ?? Stamp(version: 0, changedAt: 0)
            return Stamp(version: own.version, changedAt: own.changedAt ^ list)
        }

        /// What changes here never reaches a public page: staff accounts and API tokens.
        /// (Adding one account made the next public sheet take 8 s: every cache was cold.)
        static let unpublishedEntities: Set<String> = ["users", "api_tokens", "sessions"]
        /// A sheet's content and steps as the sections edit them (forms, the API, the
        /// department workbook) are drafts until the cycle is published, and publishing
        /// writes a `cycles` row of its own; a correction after publication is audited as
        /// `correction`, not as these. So these rows never move the version either, and a
        /// day of saves in the 入力 phase leaves the portal's kept pages as they are.
        static let draftEntities: Set<String> = ["sheets", "indicator_values", "budgets", "evaluations"]
        static let draftSources: Set<String> = ["form", "api", "workbook"]

        /// Whether an audited write may change what its municipality publishes.
        static func counts(entity: String, source: String) -> Bool {
            !unpublishedEntities.contains(entity) && !(draftEntities.contains(entity) && draftSources.contains(source))
        }

        static func current(on db: any Database) async throws -> DataVersion {
            guard let sql = db as? any SQLDatabase else { return DataVersion() }
            struct Row: Decodable { var municipalityId: UUID; var version: Int64; var changedAt: Int64; var published: Bool }
            var current = DataVersion()
            for row in try await sql.select().columns("municipality_id", "version", "changed_at", "published").from("public_versions")
                .all(decoding: Row.self, with: PublicReadModel.decoder) {
                current.municipalities[row.municipalityId] = Stamp(version: row.version, changedAt: row.changedAt)
                if row.published { current.published.insert(row.municipalityId) }
            }
            return current
        }
    }

    private struct Entry<Value: Sendable> {
        var version: DataVersion.Stamp
        var value: Value
    }

    private var rows: [String: Entry<[PublicCatalog.ProgramRow]>] = [:]
    private var others: [String: Entry<any Sendable>] = [:]
    /// Bounded so that a crawler walking every year of every municipality cannot grow it
    /// without end; the oldest key goes first.
    private let capacity: Int
    private var order: [String] = []

    init(capacity: Int = 64) {
        self.capacity = capacity
    }

    func rows(_ key: String, version: DataVersion.Stamp, compute: @Sendable () async throws -> [PublicCatalog.ProgramRow]) async throws -> [PublicCatalog.ProgramRow] {
        if let entry = rows[key], entry.version == version { return entry.value }
        let value = try await compute()
        rows[key] = Entry(version: version, value: value)
        remember(key)
        return value
    }

    /// Any other value read for a municipality (the public dataset of the API and open data), by key.
    func value<Value: Sendable>(_ key: String, version: DataVersion.Stamp, compute: @Sendable () async throws -> Value) async throws -> Value {
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

extension UUID {
    /// A hash of the id that is the same in every process (`hashValue` is seeded per process).
    var hashValueStable: Int {
        let (a, b) = (uuid.0, uuid.1), (c, d) = (uuid.2, uuid.3), (e, f) = (uuid.4, uuid.5), (g, h) = (uuid.6, uuid.7)
        return [a, b, c, d, e, f, g, h].reduce(0) { $0 << 8 | Int($1) }
    }
}
