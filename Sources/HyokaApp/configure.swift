import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Vapor

/// Sets up the database, the migrations and the routes. The one place an `Application`
/// becomes Hyoka: the commands and the tests all go through it.
public func configure(_ app: Application, _ configuration: HyokaConfiguration) throws {
    app.hyoka = configuration
    switch configuration.database {
    case let .sqlite(path):
        app.databases.use(.sqlite(.file(path), sqlLogLevel: .debug), as: .sqlite)
    case .sqliteInMemory:
        app.databases.use(.sqlite(.memory, sqlLogLevel: .debug), as: .sqlite)
    case let .postgres(url):
        app.databases.use(try .postgres(url: url, sqlLogLevel: .debug), as: .psql)
    }
    app.migrations.add(HyokaMigrations.all)
    app.portalCache = PortalCache()
    app.publicPages = PublicPageCache.Store()
    app.dataVersionClock = DataVersionClock()
    app.sheetPrinter = SheetPrinter(chromium: ChromiumPDF.locate())
    app.downloadGate = WorkGate(limit: 2, queueLimit: 8)
    // Half-sent requests are dropped after the idle timeout (docs/security.md: what the
    // server bounds itself, and what a reverse proxy in front adds).
    app.http.server.configuration.idleTimeout = .seconds(Int64(configuration.idleTimeoutSeconds))
    // Pages, CSV and JSON gzip-compressed for clients that ask (a slow phone connection);
    // ZIP, PDF and images are sent as they are.
    app.http.server.configuration.responseCompression = .enabledForCompressibleTypes
    app.sessions.use(.fluent)
    app.sessions.configuration = StaffSession.cookieSettings(secure: configuration.secureCookies)
    app.loginThrottle = LoginThrottle()
    // Errors as pages on the portal, JSON elsewhere.
    app.middleware = Middlewares()
    app.middleware.use(SecurityHeaders(strictTransport: configuration.secureCookies))
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(PortalErrorMiddleware())
    // Inside the portal's: API errors become problem documents, never pages.
    app.middleware.use(APIMiddleware())
    app.middleware.use(DataVersionClock.AfterWrites())
    try routes(app)
}

/// Brings the database schema up to date. SQLite files get write-ahead logging first, so
/// that the portal reads while an import writes.
public func migrate(_ app: Application) async throws {
    if case .sqlite = app.hyoka.database, let sql = app.db as? any SQLDatabase {
        try await sql.raw("PRAGMA journal_mode=WAL").run()
    }
    try await app.autoMigrate()
    // A database migrated from before the read model, or rows derived by an earlier
    // release, are derived now, once, before any request.
    try await PublicReadModel.ensureCurrent(on: app.db)
}
