import Fluent
import Foundation

/// A municipality named as partner of a project.
final class CollaborationPartner: Model, @unchecked Sendable {
    static let schema = "collaboration_partners"

    @ID var id: UUID?
    @Parent(key: "project_id") var project: CollaborationProject
    @Field(key: "name") var name: String
    @Field(key: "sort_order") var sortOrder: Int

    init() {}
}
