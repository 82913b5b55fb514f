import Fluent
import Foundation

/// 部局マニフェスト of a department for a fiscal year.
final class Manifesto: Model, @unchecked Sendable {
    static let schema = "manifestos"

    @ID var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "department_id") var department: Department
    @Field(key: "fiscal_year") var fiscalYear: Int
    /// 役職
    @OptionalField(key: "head_title") var headTitle: String?
    /// 氏名
    @OptionalField(key: "head_name") var headName: String?
    /// 連絡先
    @OptionalField(key: "contact") var contact: String?
    /// 組織使命
    @OptionalField(key: "mission") var mission: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
