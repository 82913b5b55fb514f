import Fluent
import Foundation

/// 事務事業: a program of a municipality, across fiscal years.
final class Program: Model, @unchecked Sendable {
    static let schema = "programs"

    @ID var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @OptionalParent(key: "department_id") var department: Department?
    /// 事務事業番号, where the municipality numbers its programs.
    @OptionalField(key: "number") var number: String?
    @Field(key: "name") var name: String
    /// 事業概要
    @OptionalField(key: "summary") var summary: String?
    /// SDG goal numbers 1–17, comma-separated (`4,10,11,17`).
    @Field(key: "sdg_goals") var sdgGoals: String
    @OptionalField(key: "start_fiscal_year") var startFiscalYear: Int?
    @OptionalField(key: "end_fiscal_year") var endFiscalYear: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
