import Foundation
import Testing
@testable import HyokaCore

/// The one derivation of a program's figures.
@Suite struct ProgramFiguresTests {
    static func k(_ thousands: Int64) -> Money { Money(yen: thousands * 1_000) }

    static func figures(threshold: Decimal = 5) -> ProgramFigures {
        let kpi = ProgramFigures.KPI(
            stored: StoredKPI(direction: .higherIsBetter, formula: .twoMinusRatio, baselineText: "100", baselineYear: 2022),
            values: [2023: ("200", "150"), 2024: ("200", "190"), 2025: ("前年度比増", "200")])
        let qualitative = ProgramFigures.KPI(stored: StoredKPI(direction: .qualitative, formula: .twoMinusRatio, baselineText: "", baselineYear: nil),
                                             values: [2024: ("完了", "完了")])
        return ProgramFigures(budgets: [2023: .init(budget: k(46_190), settlement: k(45_000), personnelCost: k(8_000)),
                                        2024: .init(budget: k(44_090), settlement: nil, personnelCost: k(8_000)),
                                        2025: .init(budget: k(37_544), settlement: k(40_000), personnelCost: nil)],
                              kpis: [kpi, qualitative], thresholdPercent: threshold)
    }

    @Test func moneyFollowsTheDomainRules() {
        let f = Self.figures()
        // トータルコスト: 決算 + 人件費, or 予算 + 人件費 (marked) while no 決算 is stored.
        #expect(f.totalCost(in: 2023) == Self.k(53_000) && !f.totalCostUsesBudget(in: 2023))
        #expect(f.totalCost(in: 2024) == Self.k(52_090) && f.totalCostUsesBudget(in: 2024))
        #expect(f.totalCost(in: 2025) == Self.k(40_000))
        #expect(f.totalCost(in: 2026) == nil && f.trend(in: 2023) == nil)
        // 46,190 → 44,090 is −4.55 %: 維持 at 5 %, 減額 at 4 %.
        #expect(f.trend(in: 2024) == .maintain && Self.figures(threshold: 4).trend(in: 2024) == .decrease)
        #expect(f.budgetChange(in: 2024) == Money(yen: -2_100_000) && f.budgetChangePercent(in: 2024) == Decimal(string: "-4.55"))
        #expect(f.trend(in: 2025) == .decrease)
        // 執行率 = 決算 ÷ 予算; none without a 決算.
        #expect(f.executionRate(in: 2023) == Decimal(string: "97.4") && f.executionRate(in: 2024) == nil)
        #expect(f.latestBudgetYear(among: [2023, 2024]) == 2024 && f.latestBudgetYear(among: [2026]) == nil)
    }

    @Test func ratesAndTheSuggestedGrade() throws {
        let f = Self.figures()
        #expect(try f.rate(of: 0, in: 2024)?.get() == 95)
        // 前年度比増 against last year's actual 190: 200 ÷ 190.
        let relative = try #require(try f.rate(of: 0, in: 2025)?.get())
        #expect(AchievementRate.format(relative) == "105.3%")
        #expect(f.rate(of: 1, in: 2024) == .failure(.qualitative))
        #expect(f.rate(of: 0, in: 2026) == nil && f.rate(of: 7, in: 2024) == nil)
        #expect(f.rates(in: 2024) == [95])
        #expect(f.suggestedGrade(in: 2024) == GradeScale.evaluation.suggestedGrade(forRates: [95]))
        #expect(f.suggestedGrade(in: 2026) == nil)
    }
}

@Suite struct DigitGroupingTests {
    @Test(arguments: [("22,8億円", true), ("1,811億円", false), ("12万件", false), ("1,0000人", true), ("1234,567", true),
                      ("２２，８億円", true), ("１，８１１億円", false), ("26万人", false), ("令和5年度 3,799千円, 4,221千円", false), ("", false)])
    func commasThatDoNotGroupInThreesAreIrregular(text: String, irregular: Bool) {
        #expect(DigitGrouping.isIrregular(text) == irregular, "\(text)")
    }
}

@Suite struct ApproximateMoneyTests {
    @Test(arguments: [(Int64(2_129_365_000), "約21.3億円", "about ¥2.13 billion"), (85_000_000, "約8,500万円", "about ¥85.0 million"),
                      (1_500_000, "約150万円", "about ¥1.5 million"), (9_999, "9,999円", "¥9,999"), (-44_000_000, "約-4,400万円", "about -¥44.0 million"),
                      (100_000_000, "約1.0億円", "about ¥100.0 million"), (0, "0円", "¥0")])
    func amountsReadAsCitizensReadThem(yen: Int64, japanese: String, english: String) {
        #expect(Money(yen: yen).approximate(japanese: true) == japanese)
        #expect(Money(yen: yen).approximate(japanese: false) == english)
    }
}
