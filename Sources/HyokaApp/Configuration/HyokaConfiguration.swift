import Foundation
import Vapor

/// Settings, read in layers: command-line option, then the environment (which Vapor fills
/// from `.env` in the working directory), then a default that works on one machine.
public struct HyokaConfiguration: Sendable {
    public var database: DatabaseLocation
    /// Session cookies only over HTTPS (`HYOKA_SECURE_COOKIES=1`): set it when Hyoka is
    /// served behind an HTTPS proxy.
    public var secureCookies = false
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
        return configuration
    }
}

extension Application {
    private struct ConfigurationKey: StorageKey {
        typealias Value = HyokaConfiguration
    }

    /// The configuration `configure(_:_:)` was given.
    public var hyoka: HyokaConfiguration {
        get {
            guard let configuration = storage[ConfigurationKey.self] else {
                fatalError("configure(app, configuration) must run before the configuration is read")
            }
            return configuration
        }
        set { storage[ConfigurationKey.self] = newValue }
    }
}
