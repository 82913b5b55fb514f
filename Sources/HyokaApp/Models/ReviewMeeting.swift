import Fluent
import Foundation

/// X会議: a public review meeting.
final class ReviewMeeting: Model, @unchecked Sendable {
    static let schema = "review_meetings"

    @ID var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "held_on") var heldOn: Date
    @Field(key: "title") var title: String
    @OptionalField(key: "theme") var theme: String?
    @OptionalField(key: "minutes") var minutes: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
