import Fluent
import Foundation
import HyokaCore

/// 予算額・決算額・人件費 of a program for one fiscal year, in yen.
final class BudgetLine: Model, @unchecked Sendable {
    static let schema = "budget_lines"

    @ID var id: UUID?
    @Parent(key: "program_id") var program: Program
    @Field(key: "fiscal_year") var fiscalYear: Int
    /// 予算額
    @OptionalField(key: "budget_yen") var budgetYen: Int64?
    /// 決算額
    @OptionalField(key: "settlement_yen") var settlementYen: Int64?
    /// 人件費（目安）
    @OptionalField(key: "personnel_cost_yen") var personnelCostYen: Int64?
    /// 国庫支出金
    @OptionalField(key: "national_yen") var nationalYen: Int64?
    /// 県支出金
    @OptionalField(key: "prefectural_yen") var prefecturalYen: Int64?
    /// 地方債
    @OptionalField(key: "bond_yen") var bondYen: Int64?
    /// その他特定財源
    @OptionalField(key: "other_specific_yen") var otherSpecificYen: Int64?
    /// 一般財源
    @OptionalField(key: "general_yen") var generalYen: Int64?
    /// 正規職員従事人数 and 延べ業務時間, as decimal text (`1.5`).
    @OptionalField(key: "staff_count") var staffCount: String?
    @OptionalField(key: "work_hours") var workHours: String?
    /// A planned future year (計画), not a 予算 of an adopted budget.
    @Field(key: "is_planned") var isPlanned: Bool
    /// The 事業費の増減 a published document printed, kept for lint.
    @OptionalField(key: "published_trend") var publishedTrend: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() { isPlanned = false }
}

extension BudgetLine {
    /// The year's money as HyokaCore's derivation takes it.
    /// 財源内訳 as stored.
    var funding: FundingSources {
        FundingSources(national: nationalYen.map(Money.init(yen:)), prefectural: prefecturalYen.map(Money.init(yen:)), bond: bondYen.map(Money.init(yen:)),
                       otherSpecific: otherSpecificYen.map(Money.init(yen:)), general: generalYen.map(Money.init(yen:)))
    }

    var money: ProgramFigures.YearMoney {
        .init(budget: budgetYen.map(Money.init(yen:)), settlement: settlementYen.map(Money.init(yen:)), personnelCost: personnelCostYen.map(Money.init(yen:)))
    }
}
