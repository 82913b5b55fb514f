import Foundation
import Vapor

/// Settings, read in layers: command-line option, then the environment (which Vapor fills
/// from `.env` in the working directory), then a default that works on one machine.
public struct HyokaConfiguration: Sendable {
    public var database: DatabaseLocation
    /// Hyoka's version, reported by `/healthz` and `--version`.
    public static let version = "0.1.0"

    public init(database: DatabaseLocation) {
        self.database = database
    }

    /// `option` is the `--database` value when given.
    public static func resolve(databaseOption option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> HyokaConfiguration {
        let text = option ?? environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? DatabaseLocation.defaultSQLitePath
        return HyokaConfiguration(database: try DatabaseLocation(parsing: text))
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
