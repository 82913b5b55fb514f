import Fluent
import Foundation
import HyokaCore

/// 地方公共団体: a city, town, village or prefecture, identified by its 全国地方公共団体コード.
final class Municipality: Model, @unchecked Sendable {
    static let schema = "municipalities"

    @ID var id: UUID?
    /// 団体コード, six digits with check digit (401005).
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @OptionalField(key: "name_en") var nameEnglish: String?
    /// 都道府県名
    @Field(key: "prefecture") var prefecture: String
    /// A `LowerIsBetterFormula` raw value: how this municipality rates lower-is-better KPIs.
    @Field(key: "lower_is_better_formula") var lowerIsBetterFormula: String
    /// The 事業費の増減 threshold in percent, as a decimal string (`5`).
    @Field(key: "budget_trend_threshold_percent") var budgetTrendThresholdPercent: String
    /// 人件費 per hour of 延べ業務時間, in yen (大船渡市: 4,000).
    @OptionalField(key: "personnel_cost_per_hour_yen") var personnelCostPerHourYen: Int64?
    /// The viewpoints of the municipality's evaluation checklist, one a line, in order.
    @OptionalField(key: "evaluation_viewpoints") var evaluationViewpoints: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(code: MunicipalityCode, name: String, nameEnglish: String? = nil, prefecture: String) {
        self.code = code.value
        self.name = name
        self.nameEnglish = nameEnglish
        self.prefecture = prefecture
        self.lowerIsBetterFormula = LowerIsBetterFormula.default.rawValue
        self.budgetTrendThresholdPercent = "\(BudgetTrend.defaultThresholdPercent)"
    }
}

extension Municipality {
    /// The settings as the domain's types, read from their columns in this one place.
    /// How lower-is-better KPIs are rated unless a KPI says otherwise.
    var formula: LowerIsBetterFormula {
        get { LowerIsBetterFormula(rawValue: lowerIsBetterFormula) ?? .default }
        set { lowerIsBetterFormula = newValue.rawValue }
    }

    /// 事業費の増減: the change in percent below which a budget counts as unchanged (横ばい).
    var budgetTrendThreshold: Decimal {
        get { Decimal(string: budgetTrendThresholdPercent, locale: Locale(identifier: "en_US_POSIX")) ?? BudgetTrend.defaultThresholdPercent }
        set { budgetTrendThresholdPercent = NSDecimalNumber(decimal: newValue).stringValue }
    }
}
