import Fluent
import Foundation
import HyokaCore
import ArgumentParser
import Vapor

/// Issues, lists and revokes API tokens, and finds the account a presented token belongs
/// to. Each change is audited; the token itself is shown once and never stored.
enum APITokens {
    /// Makes a token for an account; returns the token text (shown once) and its record.
    static func create(login: String, label: String, actor: String, on db: any Database) async throws -> (token: String, record: APIToken) {
        try await db.transaction { tx in
            let user = try await UserCommand.find(login, on: tx)
            guard !user.isDisabled else { throw ArgumentParser.ValidationError("account \(login) is disabled; tokens are only issued to active accounts") }
            let token = APIToken.generate()
            let record = APIToken()
            record.$user.id = try user.requireID()
            record.label = label
            record.tokenHash = APIToken.hash(token)
            record.prefix = String(token.prefix(12))
            try await record.create(on: tx)
            try await Audit(actor: actor, userID: nil, source: "command").record(
                on: tx, municipalityID: user.$municipality.id, entity: "api_tokens", id: record.id, label: "\(login) \(label)",
                [.init(field: "prefix", before: nil, after: record.prefix)])
            return (token, record)
        }
    }

    /// Revokes a token by its id or its prefix (as `hyoka token list` shows them).
    static func revoke(_ reference: String, login: String, actor: String, on db: any Database) async throws -> APIToken {
        try await db.transaction { tx in
            let user = try await UserCommand.find(login, on: tx)
            let tokens = try await APIToken.query(on: tx).filter(\.$user.$id == user.requireID()).all()
            let matches = tokens.filter { $0.id?.uuidString.lowercased() == reference.lowercased() || $0.prefix == reference }
            guard matches.count == 1, let token = matches.first else {
                throw ArgumentParser.ValidationError("\(login) has no token \(reference); `hyoka token list --user \(login)` shows the ids and prefixes")
            }
            guard token.revokedAt == nil else { return token }
            token.revokedAt = HyokaClock.date
            try await token.save(on: tx)
            try await Audit(actor: actor, userID: nil, source: "command").record(
                on: tx, municipalityID: user.$municipality.id, entity: "api_tokens", id: token.id, label: "\(login) \(token.label)",
                [.init(field: "revoked_at", before: nil, after: ISO8601DateFormatter().string(from: token.revokedAt ?? HyokaClock.date))])
            return token
        }
    }

    /// The active account a bearer token stands for, or nil (unknown, revoked, disabled).
    static func user(presenting token: String, on db: any Database) async throws -> User? {
        guard token.hasPrefix("hyoka_"), token.count < 200 else { return nil }
        guard let record = try await APIToken.query(on: db).filter(\.$tokenHash == APIToken.hash(token)).with(\.$user).first(),
              record.revokedAt == nil, !record.user.isDisabled else { return nil }
        // When it was last used, for `hyoka token list`; at most once a minute per token.
        if record.lastUsedAt.map({ HyokaClock.date.timeIntervalSince($0) > 60 }) ?? true {
            record.lastUsedAt = HyokaClock.date
            try await record.save(on: db)
        }
        return record.user
    }
}
