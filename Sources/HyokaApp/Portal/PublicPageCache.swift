import Fluent
import Foundation
import NIOCore
import Synchronization
import Vapor

/// Whole public pages, kept until the data changes. A portal page depends only on its
/// address (municipality, year, language and filters are all in the query) and on the data,
/// never on who asks (the portal sets no cookie), so a page rendered once is served again
/// as bytes while the data version (the audit log's latest time, see `PortalCache`) stays
/// the same. The version itself is read at most once a second (`DataVersionClock`), so a
/// kept page costs no query at all. A request with
/// `Cache-Control: no-cache` is always rendered anew (and `Benchmarks/run` uses that to
/// measure the work behind a page). Bounded in bytes; the least recently used page goes first.
/// The same keeps PDFs, open-data bundles and downloads, which cost far more to make.
struct PublicPageCache: AsyncMiddleware {
    /// The gate of the work behind this request when it is expensive (a sheet PDF, an
    /// open-data bundle, a download), else nil. A gated request that waited for its turn
    /// looks in the store again first: of twenty asking for the same new bundle at once,
    /// one makes it and the others are served what it made.
    var gate: @Sendable (Request) -> WorkGate? = { _ in nil }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard req.method == .GET else { return try await next.respond(to: req) }
        let renderAnew = req.headers[.cacheControl].contains { $0.lowercased().contains("no-cache") }
        let store = req.application.publicPages
        let version = try await req.application.dataVersionClock.current(on: req.db)
        let key = req.url.string
        @Sendable func notModified(_ etag: String) -> Response? {
            // A browser or proxy that holds this address at this data version needs nothing more.
            guard !renderAnew, req.headers[.ifNoneMatch].contains(where: { $0.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == etag } })
            else { return nil }
            let response = Response(status: .notModified)
            response.headers.replaceOrAdd(name: .eTag, value: etag)
            response.headers.replaceOrAdd(name: .cacheControl, value: Self.cacheControl)
            return response
        }
        @Sendable func kept() async -> Response? {
            guard !renderAnew, let page = await store.page(key, version: version) else { return nil }
            if let unchanged = notModified(page.etag) { return unchanged }
            let response = Response(status: .ok, headers: page.headers, body: .init(buffer: page.body))
            response.headers.replaceOrAdd(name: "X-Hyoka-Cache", value: "hit")
            return response
        }
        @Sendable func render() async throws -> Response {
            let response = try await next.respond(to: req)
            guard response.status == .ok, !(response.headers.cacheControl?.noStore ?? false) else { return response }
            // The page follows the data version of the municipality it showed (set by
            // `PortalScope.resolve`), or every municipality's when it showed none.
            let scope = req.pageMunicipality
            let stamp = version.of(scope)
            let etag = Self.etag(key: key, stamp: stamp)
            response.headers.replaceOrAdd(name: .eTag, value: etag)
            response.headers.replaceOrAdd(name: .cacheControl, value: Self.cacheControl)
            if let body = response.body.buffer {
                await store.keep(key, Store.Page(scope: scope, stamp: stamp, etag: etag, headers: response.headers, body: body))
            }
            return notModified(etag) ?? response
        }
        if let page = await kept() { return page }
        guard let gate = gate(req) else { return try await render() }
        return try await gate.run {
            if let page = await kept() { return page }
            return try await render()
        }
    }

    /// Browsers keep public pages but ask again each time, with the ETag: a page of an
    /// unchanged data version costs a 304 and no bytes.
    static let cacheControl = "public, no-cache"

    /// The ETag of an address at a data version: it changes when, and only when, what the
    /// public may see changes (a publication, a correction, an import), or Hyoka's own
    /// version does (a new release may render the same data differently). The same in every
    /// process, so several servers behind one address agree.
    static func etag(key: String, stamp: PortalCache.DataVersion.Stamp) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a: stable across processes, unlike Hasher
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return "W/\"\(HyokaConfiguration.version)-\(stamp.tag)-\(String(hash, radix: 16))\""
    }

    actor Store {
        struct Page: Sendable {
            /// The municipality the page showed, or nil for the whole deployment.
            var scope: UUID?
            var stamp: PortalCache.DataVersion.Stamp
            var etag: String
            var headers: HTTPHeaders
            var body: ByteBuffer
        }

        private var pages: [String: Page] = [:]
        private var recency: [String: UInt64] = [:]
        private var clock: UInt64 = 0
        private var bytes = 0
        let capacity: Int

        /// 64 MiB holds some 3,000 pages of a city, more than its visitors ask for in a day.
        init(capacity: Int = 64 << 20) {
            self.capacity = capacity
        }

        func page(_ key: String, version: PortalCache.DataVersion) -> Page? {
            guard let page = pages[key], page.stamp == version.of(page.scope) else { return nil }
            clock += 1
            recency[key] = clock
            return page
        }

        func keep(_ key: String, _ page: Page) {
            if let old = pages[key] { bytes -= old.body.readableBytes }
            pages[key] = page
            bytes += page.body.readableBytes
            clock += 1
            recency[key] = clock
            while bytes > capacity, let oldest = recency.min(by: { $0.value < $1.value })?.key {
                bytes -= pages[oldest]?.body.readableBytes ?? 0
                pages[oldest] = nil
                recency[oldest] = nil
            }
        }
    }
}

extension Application {
    private struct PublicPagesKey: StorageKey {
        typealias Value = PublicPageCache.Store
    }

    private struct DataVersionClockKey: StorageKey {
        typealias Value = DataVersionClock
    }

    /// Set by `configure` before any request, like the portal cache.
    var dataVersionClock: DataVersionClock {
        get { configured(DataVersionClockKey.self, "the data version clock") }
        set { storage[DataVersionClockKey.self] = newValue }
    }

    /// Set by `configure` before any request, like the portal cache.
    var publicPages: PublicPageCache.Store {
        get { configured(PublicPagesKey.self, "the page cache") }
        set { storage[PublicPagesKey.self] = newValue }
    }
}

/// The data version, read from the database at most once per `freshness`: the page cache
/// asks on every request, and even one indexed lookup per page was most of the cost of a
/// kept page (BENCHMARKS.md). A write through this server (any request other than GET or
/// HEAD) forgets the reading at once, so staff see their own changes on the next page; a
/// write by another process (`hyoka import` while `hyoka serve` runs) shows within
/// `freshness`.
final class DataVersionClock: Sendable {
    let freshness: TimeAmount
    private let reading = Mutex<(version: PortalCache.DataVersion, at: NIODeadline)?>(nil)

    init(freshness: TimeAmount = .seconds(1)) {
        self.freshness = freshness
    }

    func current(on db: any Database) async throws -> PortalCache.DataVersion {
        let now = NIODeadline.now()
        if let kept = reading.withLock({ $0 }), now - kept.at < freshness { return kept.version }
        let version = try await PortalCache.DataVersion.current(on: db)
        reading.withLock { $0 = (version, now) }
        return version
    }

    func forget() {
        reading.withLock { $0 = nil }
    }

    /// Forgets the reading after every request that may have written.
    struct AfterWrites: AsyncMiddleware {
        func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            guard req.method != .GET, req.method != .HEAD else { return try await next.respond(to: req) }
            // Whether it answered or failed, it may have written.
            defer { req.application.dataVersionClock.forget() }
            return try await next.respond(to: req)
        }
    }
}

extension Request {
    private struct PageMunicipalityKey: StorageKey {
        typealias Value = UUID
    }

    /// The municipality whose data this public page shows, when it shows one.
    var pageMunicipality: UUID? {
        get { storage[PageMunicipalityKey.self] }
        set { storage[PageMunicipalityKey.self] = newValue }
    }
}
