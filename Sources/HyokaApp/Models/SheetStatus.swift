import Fluent
import Foundation
import HyokaCore

/// A program's sheet in a cycle: its status and version (for conflicting saves).
final class SheetStatus: Model, @unchecked Sendable {
    static let schema = "sheet_statuses"

    @ID var id: UUID?
    @Parent(key: "cycle_id") var cycle: Cycle
    @Parent(key: "program_id") var program: Program
    /// A `SheetState` raw value.
    @Field(key: "status") var status: String
    @Field(key: "version") var version: Int
    @OptionalField(key: "return_reason") var returnReason: String?
    /// Errors and warnings of Hyoka's checks as of the last staff save (M021).
    @Field(key: "check_errors") var checkErrors: Int
    @Field(key: "check_warnings") var checkWarnings: Int
    @OptionalField(key: "checked_at") var checkedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {
        checkErrors = 0
        checkWarnings = 0
    }
}

extension SheetStatus {
    /// The sheet's state as the domain's enum; an unknown value counts as a draft.
    var state: SheetState {
        get { SheetState(rawValue: status) ?? .draft }
        set { status = newValue.rawValue }
    }
}
