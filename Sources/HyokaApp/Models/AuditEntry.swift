import Fluent
import Foundation

/// One recorded change. Created, never updated or deleted.
final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_entries"

    @ID var id: UUID?
    @OptionalParent(key: "municipality_id") var municipality: Municipality?
    @OptionalParent(key: "user_id") var user: User?
    @Field(key: "actor") var actor: String
    /// `form`, `import`, `api` or `command`.
    @Field(key: "source") var source: String
    @Field(key: "at") var at: Date
    @Field(key: "entity") var entity: String
    @OptionalField(key: "entity_id") var entityID: UUID?
    @OptionalField(key: "entity_label") var entityLabel: String?
    @Field(key: "field") var field: String
    @OptionalField(key: "before") var before: String?
    @OptionalField(key: "after") var after: String?

    init() {}

    init(municipalityID: UUID?, userID: UUID? = nil, actor: String, source: String, at: Date,
         entity: String, entityID: UUID?, label: String?, field: String, before: String?, after: String?) {
        self.$municipality.id = municipalityID
        self.$user.id = userID
        self.actor = actor
        self.source = source
        self.at = at
        self.entity = entity
        self.entityID = entityID
        self.entityLabel = label
        self.field = field
        self.before = before
        self.after = after
    }
}
