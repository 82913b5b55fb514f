import Fluent
import Foundation

/// A member municipality of a region.
final class RegionMember: Model, @unchecked Sendable {
    static let schema = "region_members"

    @ID var id: UUID?
    @Parent(key: "region_id") var region: Region
    @Field(key: "name") var name: String
    @OptionalField(key: "municipality_code") var municipalityCode: String?
    @Field(key: "sort_order") var sortOrder: Int

    init() {}
}
