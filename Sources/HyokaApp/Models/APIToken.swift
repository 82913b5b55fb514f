import Vapor  // SHA256 (swift-crypto, re-exported)
import Fluent
import Foundation

/// A bearer token of a staff account for the API's write routes (`hyoka token`).
final class APIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "label") var label: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "prefix") var prefix: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}

    /// `hyoka_` and 43 characters of base64url: 256 random bits from the system's generator.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "hyoka_" + text
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
