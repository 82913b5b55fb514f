import Fluent
import FluentSQLiteDriver  // SQLDatabase
import Foundation
import Vapor

/// Optimistic concurrency: every staff save names the version of the record it was based
/// on. `claim` moves the version on in one conditional UPDATE, so of two saves based on the
/// same version exactly one gets it (on PostgreSQL the second waits for the first's row lock,
/// then finds the version moved; SQLite serializes writers). Run it first inside the save's
/// transaction: when it fails nothing has been written.
enum RecordVersion {
    /// Tables with a `version` column a save may claim.
    enum Table: String {
        case sheets = "sheet_statuses"
        case evaluations, manifestoGoals = "manifesto_goals", collaborationProjects = "collaboration_projects"
        case inventoryReviews = "inventory_reviews"
    }

    /// The new version, or nil when the record is not at `expected` any more (or is gone).
    static func claim(_ table: Table, id: UUID, expected: Int, on database: any Database) async throws -> Int? {
        guard let sql = database as? any SQLDatabase else { throw Abort(.internalServerError, reason: "an SQL database is needed") }
        struct Row: Decodable { var version: Int }
        let row = try await sql.raw("""
            UPDATE \(ident: table.rawValue) SET version = version + 1 WHERE id = \(bind: id) AND version = \(bind: expected) RETURNING version
            """).first(decoding: Row.self)
        return row?.version
    }
}
