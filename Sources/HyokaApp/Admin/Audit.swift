import Fluent
import Foundation
import HyokaCore

/// Writes audit entries for changes made outside an import: forms, commands. Entries are
/// only ever inserted; nothing in the app updates or deletes them.
struct Audit {
    var actor: String
    var userID: UUID?
    /// `form`, `import`, `api` or `command`.
    var source: String

    struct Change {
        var field: String
        var before: String?
        var after: String?
    }

    func record(on db: any Database, municipalityID: UUID?, entity: String, id: UUID?, label: String?, _ changes: [Change]) async throws {
        let now = HyokaClock.date
        var entries: [AuditEntry] = []
        for change in changes where change.before != change.after {
            let entry = AuditEntry(municipalityID: municipalityID, userID: userID, actor: actor, source: source, at: now, entity: entity,
                                   entityID: id, label: label, field: change.field, before: change.before, after: change.after)
            try await entry.create(on: db)
            entries.append(entry)
        }
        // In the same transaction: a change the public may see moves its municipality's
        // data version, and nothing else does.
        try await PublicReadModel.advance(after: entries, on: db)
    }
}
