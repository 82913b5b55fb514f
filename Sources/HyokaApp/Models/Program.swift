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
    /// 根拠法令
    @OptionalField(key: "legal_basis") var legalBasis: String?
    /// 事務事業区分
    @OptionalField(key: "category") var category: String?
    /// 事業期間の区分 (単年度繰返 …)
    @OptionalField(key: "period_kind") var periodKind: String?
    /// 予算科目, one account a line.
    @OptionalField(key: "budget_accounts") var budgetAccounts: String?
    /// 目的: 対象, 意図, 結果.
    @OptionalField(key: "purpose_target") var purposeTarget: String?
    @OptionalField(key: "purpose_intent") var purposeIntent: String?
    @OptionalField(key: "purpose_result") var purposeResult: String?
    /// 手段: 前年度実績, 今年度計画.
    @OptionalField(key: "means_previous_year") var meansPreviousYear: String?
    @OptionalField(key: "means_this_year") var meansThisYear: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}
