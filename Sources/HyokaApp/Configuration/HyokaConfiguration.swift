import Foundation
import HyokaImport
import Vapor

/// Settings, read in layers: command-line option, then the environment (which Vapor fills
/// from `.env` in the working directory), then a default that works on one machine.
public struct HyokaConfiguration: Sendable {
    public var database: DatabaseLocation
    /// Session cookies only over HTTPS (`HYOKA_SECURE_COOKIES=1`): set it when Hyoka is
    /// served behind an HTTPS proxy.
    public var secureCookies = false
    /// The licence the open data is published under (`HYOKA_OPEN_DATA_LICENSE_NAME`,
    /// `HYOKA_OPEN_DATA_LICENSE_URL`); CC BY 4.0 unless set.
    public var openDataLicence = OpenDataBundle.Licence.ccBy4
    /// The address the site is reached at, for the absolute links of the Atom feed
    /// (`HYOKA_PUBLIC_URL`, e.g. https://hyoka.example.lg.jp); else the request's Host.
    public var publicURL: String?
    /// Seconds a connection may send and receive nothing before the server closes it
    /// (`HYOKA_IDLE_TIMEOUT`, 30 unless set): a half-sent request (slowloris) does not hold
    /// a connection for long. Longer than any page or PDF takes to make.
    public var idleTimeoutSeconds = 30
    /// Hyoka's version, reported by `/healthz` and `--version`.
    public static let version = "0.1.0"

    /// A setting that cannot be read, named in the message.
    public struct InvalidSetting: Error, CustomStringConvertible {
        public var description: String
    }

    public init(database: DatabaseLocation) {
        self.database = database
    }

    /// `option` is the `--database` value when given.
    public static func resolve(databaseOption option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> HyokaConfiguration {
        let text = option ?? environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? DatabaseLocation.defaultSQLitePath
        var configuration = HyokaConfiguration(database: try DatabaseLocation(parsing: text))
        switch environment["HYOKA_SECURE_COOKIES"]?.lowercased() {
        case nil, "", "0", "false", "no": configuration.secureCookies = false
        case "1", "true", "yes": configuration.secureCookies = true
        case let other?: throw InvalidSetting(description: "HYOKA_SECURE_COOKIES=\(other) を読めません。1（HTTPSのみ）か 0 を指定してください (use 1 or 0)")
        }
        if let name = environment["HYOKA_OPEN_DATA_LICENSE_NAME"], !name.isEmpty {
            guard let url = environment["HYOKA_OPEN_DATA_LICENSE_URL"], !url.isEmpty else {
                throw InvalidSetting(description: "HYOKA_OPEN_DATA_LICENSE_NAME を設定したときは HYOKA_OPEN_DATA_LICENSE_URL（ライセンス本文の URL）も設定してください (set HYOKA_OPEN_DATA_LICENSE_URL too)")
            }
            configuration.openDataLicence = OpenDataBundle.Licence(name: name, url: url)
        }
        if let text = environment["HYOKA_IDLE_TIMEOUT"], !text.isEmpty {
            guard let seconds = Int(text), (5...3_600).contains(seconds) else {
                throw InvalidSetting(description: "HYOKA_IDLE_TIMEOUT=\(text) を読めません。5〜3600 の秒数を指定してください (use a number of seconds from 5 to 3600)")
            }
            configuration.idleTimeoutSeconds = seconds
        }
        if let url = environment["HYOKA_PUBLIC_URL"], !url.isEmpty {
            guard let parsed = URL(string: url), parsed.scheme == "https" || parsed.scheme == "http", parsed.host != nil else {
                throw InvalidSetting(description: "HYOKA_PUBLIC_URL=\(url) を読めません。https://hyoka.example.lg.jp のように書いてください (use an absolute http(s) URL)")
            }
            configuration.publicURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        return configuration
    }
}

extension Application {
    /// A value `configure(_:_:)` stores before any request: storage is not safe to fill
    /// lazily from concurrent requests, so a missing value is a programming error.
    func configured<Key: StorageKey>(_ key: Key.Type, _ name: String) -> Key.Value {
        guard let value = storage[key] else { fatalError("configure(app, configuration) must run before \(name) is used") }
        return value
    }

    private struct ConfigurationKey: StorageKey {
        typealias Value = HyokaConfiguration
    }

    /// The configuration `configure(_:_:)` was given.
    public var hyoka: HyokaConfiguration {
        get { configured(ConfigurationKey.self, "the configuration") }
        set { storage[ConfigurationKey.self] = newValue }
    }
}
