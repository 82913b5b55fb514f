import Fluent
import Foundation

/// 訂正: a change to a sheet after it was published, with its date and reason, which the
/// public sheet shows beside the corrected figures.
final class SheetCorrection: Model, @unchecked Sendable {
    static let schema = "sheet_corrections"

    @ID var id: UUID?
    @Parent(key: "sheet_status_id") var sheet: SheetStatus
    @Field(key: "corrected_at") var correctedAt: Date
    @Field(key: "reason") var reason: String
    /// The display name of who corrected it (the section, as the public sees it).
    @Field(key: "author") var author: String

    init() {}

    init(sheetID: UUID, at date: Date, reason: String, author: String) {
        self.$sheet.id = sheetID
        self.correctedAt = date
        self.reason = reason
        self.author = author
    }
}
