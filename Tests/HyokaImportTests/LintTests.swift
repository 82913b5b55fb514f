import Foundation
import HyokaCore
import Testing
@testable import HyokaImport

@Suite struct LintTests {
    static func seeds() throws -> Dataset {
        var d = Dataset()
        let read: [(String, (DelimitedText, ReadOptions) -> ReadResult, Int?)] = [
            ("program-evaluation-table.txt", ProgramTableReader.read, 2024), ("policy-pdca-sheet.txt", PDCASheetReader.read, nil),
            ("regional-collaboration-plan.txt", CollaborationPlanReader.read, nil), ("department-manifesto.txt", ManifestoReader.read, nil),
            ("reform-overview.txt", HeadlinesReader.read, 2023),
        ]
        for (file, reader, year) in read {
            d.merge(reader(try LayoutReaderTests.seed(file), ReadOptions(municipalityCode: file == "department-manifesto.txt" ? "242161" : "401005", fiscalYear: year)).dataset)
        }
        return d
    }

    /// The seeds' real inconsistencies, and nothing else: every printed rate and 増減 is
    /// right; four indicators need their printed rate to tell their direction; seven rated
    /// indicators print no baseline; one program is spelled two ways.
    @Test func findsWhatIsReallyInTheSeeds() throws {
        let findings = Lint.check(try Self.seeds())
        let byRule = Dictionary(grouping: findings, by: \.rule).mapValues { $0.map(\.record).sorted() }
        #expect(Set(byRule.keys) == [.directionFromPublishedRate, .indicatorWithoutBaseline, .similarProgramNames])
        // The PDCA sheet spells one program two ways (インフォーメーション / インフォメーション).
        #expect(byRule[.similarProgramNames] == ["多文化共生ワンストップインフォメーションセンター運営事業", "多文化共生ワンストップインフォーメーションセンター運営事業"])
        #expect(byRule[.directionFromPublishedRate] == [
            "情報発信・取材協力事業 / 北九州市の情報接触度(地域ブランド調査によるもの)",
            "情報発信・取材協力事業 / 北九州市の認知度(地域ブランド調査によるもの)",
            "東アジア（環黄海）経済交流推進機構推進事業 / 東アジア経済交流推進機構における会議数",
            "証明書コンビニ交付サービス維持管理事業 / コンビニ交付対象証明書に占めるコンビニ交付の利用率の向上",
        ])
        #expect(byRule[.indicatorWithoutBaseline]?.count == 7)
        #expect(byRule[.indicatorWithoutBaseline]?.contains("公共施設マネジメント推進事業 / 公共施設保有量の縮減") == true)
    }

    @Test func eachRuleFires() {
        let code = "401005"
        var d = Dataset()
        d.municipalities = [MunicipalityRecord(code: code, name: "北九州市", prefecture: "福岡県")]
        d.plans = [PlanRecord(municipalityCode: code, name: "基本計画", startFiscalYear: 2024, endFiscalYear: 2028)]
        d.planNodes = [PlanNodeRecord(municipalityCode: code, plan: "基本計画", code: "I-1", title: "施策", level: "施策")]
        d.programs = [ProgramRecord(municipalityCode: code, name: "A事業"), ProgramRecord(municipalityCode: code, name: "B事業")]
        d.planLinks = [PlanLinkRecord(municipalityCode: code, plan: "基本計画", nodeCode: "I-1", program: "A事業"),
                       PlanLinkRecord(municipalityCode: code, plan: "基本計画", nodeCode: "I-1", program: "B事業")]
        var kpi = IndicatorRecord(municipalityCode: code, owner: .program(name: "A事業"), name: "参加者数", direction: .higherIsBetter, directionSource: .inferred)
        kpi.baselineRaw = "100人"
        kpi.finalTargetRaw = "200人 (R12年度)"
        d.indicators = [kpi]
        var value = IndicatorValueRecord(municipalityCode: code, owner: .program(name: "A事業"), indicatorName: "参加者数", fiscalYear: 2024)
        value.targetRaw = "150人"
        value.actualRaw = "60人"
        value.publishedRateRaw = "45.0%"   // 60 / 150 = 40.0%
        d.indicatorValues = [value]
        var previous = BudgetRecord(municipalityCode: code, program: "A事業", fiscalYear: 2023)
        previous.budget = Money(yen: 100_000)
        var current = BudgetRecord(municipalityCode: code, program: "A事業", fiscalYear: 2024)
        current.budget = Money(yen: 98_000)    // −2%: 維持
        current.settlement = Money(yen: 90_000)
        current.publishedTrend = "減額"
        var over = BudgetRecord(municipalityCode: code, program: "B事業", fiscalYear: 2024)
        over.budget = Money(yen: 1_000)
        over.settlement = Money(yen: 1_200)
        d.budgets = [previous, current, over]
        var evaluation = EvaluationRecord(municipalityCode: code, subject: .program(name: "A事業"), fiscalYear: 2024, stage: .selfAssessment)
        evaluation.grade = "大変順調"   // 40% suggests 遅れ
        d.evaluations = [evaluation]

        let findings = Lint.check(d)
        let rules = Set(findings.map(\.rule))
        #expect(rules == [.rateMismatch, .trendMismatch, .settlementOverBudget, .gradeFarFromSuggestion, .targetYearOutsidePlan, .programWithoutIndicator])
        let rate = try? #require(findings.first { $0.rule == .rateMismatch })
        #expect(rate?.japanese.contains("40.0%") == true && rate?.fiscalYear == 2024 && rate?.table == "indicator_values")
        #expect(findings.first { $0.rule == .programWithoutIndicator }?.record == "B事業")
        #expect(findings.first { $0.rule == .settlementOverBudget }?.severity == .error)
        #expect(Lint.table(findings).contains("計 6 件"))
        // 表記ゆれ within one department; the same name in another department is another program.
        d.programs += [ProgramRecord(municipalityCode: code, name: "市民センター・管理運営事業", department: "地域振興課"),
                       ProgramRecord(municipalityCode: code, name: "市民センター管理運営事業", department: "地域振興課"),
                       ProgramRecord(municipalityCode: code, name: "しみんセンター管理運営事業", department: "総務課")]
        let similar = Lint.check(d).filter { $0.rule == .similarProgramNames }
        #expect(similar.map(\.record).sorted() == ["市民センター・管理運営事業", "市民センター管理運営事業"])
        #expect(similar.allSatisfy { $0.severity == .warning && $0.fiscalYear == nil })
        #expect(JapaneseText.spellingKey("ﾃﾞｼﾞﾀﾙ・トランスフォーメーション") == JapaneseText.spellingKey("デジタルトランスフォメーション"))
        #expect(findings.first { $0.rule == .settlementOverBudget }?.japanese.contains("1,200円") == true)
    }

    /// 財源内訳 adds up to the year's 予算額 or 決算額 (大船渡市: 事業費計 = the five parts in
    /// 2,442 of 2,442 blocks); a sum equal to neither is flagged, with both figures named.
    @Test func fundingThatDoesNotAddUpIsFlagged() {
        let code = "032034"
        func line(_ year: Int, budget: Int64?, settlement: Int64?, parts: [Int64?]) -> BudgetRecord {
            var line = BudgetRecord(municipalityCode: code, program: "不法投棄対策事業", fiscalYear: year)
            line.budget = budget.map { Money(yen: $0 * 1_000) }
            line.settlement = settlement.map { Money(yen: $0 * 1_000) }
            let money = parts.map { $0.map { Money(yen: $0 * 1_000) } }
            (line.national, line.prefectural, line.bond, line.otherSpecific, line.general) = (money[0], money[1], money[2], money[3], money[4])
            return line
        }
        var d = Dataset()
        d.municipalities = [MunicipalityRecord(code: code, name: "大船渡市", prefecture: "岩手県")]
        d.programs = [ProgramRecord(municipalityCode: code, name: "不法投棄対策事業")]
        d.budgets = [
            line(2021, budget: 3_089, settlement: nil, parts: [nil, 500, nil, nil, 2_589]),      // adds up to the budget
            line(2022, budget: 3_200, settlement: 3_050, parts: [nil, 500, nil, 0, 2_550]),       // to the settlement
            line(2023, budget: 3_100, settlement: 3_000, parts: [nil, 500, nil, nil, 2_590]),     // to neither: 3,090
            line(2024, budget: 3_100, settlement: nil, parts: [nil, nil, nil, nil, nil]),         // no parts: nothing to check
        ]
        let found = Lint.check(d).filter { $0.rule == .fundingSumMismatch }
        #expect(found.map(\.fiscalYear) == [2023])
        #expect(found.first?.japanese == "財源内訳の合計 3,090千円 が事業費（予算額 3,100千円・決算額 3,000千円）と一致しません")
        #expect(found.first?.severity == .warning)
        // The demo city's parts add up, as a real sheet's do.
        #expect(!Lint.check(DemoCity().dataset()).contains { $0.rule == .fundingSumMismatch })
    }

    @Test func findingsAreExported() throws {
        let tables = Workbook.tables(from: try Self.seeds())
        let lint = try #require(tables.first { $0.name == "lint_findings" })
        #expect(lint.rows.count == 13)
        #expect(lint.columns == ["municipality_code", "rule", "severity", "table", "record", "field", "fiscal_year", "message_ja", "message_en"])
        // Computed as a whole: an edited finding is not read back.
        #expect(Workbook.dataset(from: tables).issues.isEmpty)
    }
}
