import Fluent
import Foundation

/// 役割分担: what one party (北九州市, 連携市町) does in a project.
final class CollaborationRole: Model, @unchecked Sendable {
    static let schema = "collaboration_roles"

    @ID var id: UUID?
    @Parent(key: "project_id") var project: CollaborationProject
    @Field(key: "party") var party: String
    @Field(key: "role") var role: String
    @Field(key: "sort_order") var sortOrder: Int

    init() {}
}
