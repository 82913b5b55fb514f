import Fluent
import Foundation
import HyokaCore

/// The evaluation cycle of a municipality's fiscal year.
final class Cycle: Model, @unchecked Sendable {
    static let schema = "cycles"

    @ID var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "fiscal_year") var fiscalYear: Int
    /// A `CyclePhase` raw value.
    @Field(key: "phase") var phase: String
    @OptionalField(key: "input_deadline") var inputDeadline: Date?
    @OptionalField(key: "review_deadline") var reviewDeadline: Date?
    @OptionalField(key: "published_at") var publishedAt: Date?
    /// The file its published data was imported from, when it was imported.
    @OptionalField(key: "source_document") var sourceDocument: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

extension Cycle {
    /// The phase as the domain's enum: the column holds its raw value. An unknown value
    /// (a row written by hand) counts as 準備, where nothing is public or editable yet.
    var cyclePhase: CyclePhase {
        get { CyclePhase(rawValue: phase) ?? .preparation }
        set { phase = newValue.rawValue }
    }
}
