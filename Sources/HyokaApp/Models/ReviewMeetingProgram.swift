import Fluent
import Foundation

/// A program discussed at a review meeting.
final class ReviewMeetingProgram: Model, @unchecked Sendable {
    static let schema = "review_meeting_programs"

    @ID var id: UUID?
    @Parent(key: "meeting_id") var meeting: ReviewMeeting
    @Parent(key: "program_id") var program: Program

    init() {}
}
