import Foundation
import HyokaCore
import HyokaImport

/// `/programs/{id}`: the sheet of a program in PDCA form, from published years only. Split
/// as SwiftPackageIndex-Server splits its pages: `+Query` reads the database and the read
/// model, `+Model` holds plain values, `+View` renders them (and imports no Fluent), so a
/// snapshot test renders the page from a model it builds by hand.
enum ProgramShow {
    struct Model: Sendable {
        struct PlanNode: Sendable {
            var code: String
            var title: String
            /// Its page (`/plans/{id}`).
            var id: UUID? = nil
        }

        /// One year of a KPI: the texts as published, the numbers stored with them, and the
        /// 達成率 the read model holds (nil when the year holds none).
        struct KPIYear: Sendable {
            var year: Int
            var target: String
            var actual: String
            var targetNumber: Decimal?
            var actualNumber: Decimal?
            var rate: AchievementRate.Result?
        }

        struct KPI: Sendable {
            /// A short, stable fragment of the KPI's id, for the chart's element ids.
            var anchor: String
            var name: String
            var baseline: String
            var finalTarget: String
            var years: [KPIYear]
            /// 基準年度 and 目標年度, when stored apart from the texts.
            var baselineYear: Int? = nil
            var finalTargetYear: Int? = nil
            /// The unit its values are in (件, %, 人), when stored: the chart's axis says it.
            var unit: String? = nil
            /// 成果指標, 活動指標 or 対象指標.
            var kind: IndicatorKind = .outcome
        }

        /// One year of money, with what the one derivation (`ProgramFigures`) gives for it.
        struct MoneyYear: Sendable {
            var year: Int
            var budget: Money?
            var settlement: Money?
            var personnelCost: Money?
            var totalCost: Money?
            /// トータルコスト stands on the 予算額, for want of a 決算額.
            var totalCostUsesBudget = false
            var trend: BudgetTrend?
            /// 財源内訳, when the sheet states it.
            var funding = FundingSources()
            /// 正規職員従事人数 and 延べ業務時間 as stored (`1.5`, `280`).
            var staffCount: String? = nil
            var workHours: String? = nil
            /// A planned future year (計画).
            var isPlanned = false
        }

        struct Evaluation: Sendable {
            var year: Int
            var stage: EvaluationStage?
            var stageText: String
            var grade: String?
            var direction: String?
            var comment: String?
            var improvement: String?
            /// 期待成果 (成果, コスト).
            var expectedOutcome: String? = nil
            var expectedCost: String? = nil
            /// The checklist: each viewpoint's judgement and reason, in order.
            var viewpoints: [Viewpoint] = []
        }

        struct Viewpoint: Sendable {
            var viewpoint: String
            var judgement: String
            var reason: String?
        }

        /// What real sheets hold beside the summary: 根拠法令, 区分, 事業期間, 予算科目, 目的 and
        /// 手段. Empty for a municipality whose sheets do not have them.
        struct Profile: Sendable {
            var legalBasis: String?
            var category: String?
            var periodKind: String?
            var startYear: Int?
            var endYear: Int?
            var budgetAccounts: [String] = []
            var purposeTarget: String?
            var purposeIntent: String?
            var purposeResult: String?
            var meansPreviousYear: String?
            var meansThisYear: String?

            var hasPurpose: Bool { [purposeTarget, purposeIntent, purposeResult, meansPreviousYear, meansThisYear].contains { $0 != nil } }
        }

        struct Correction: Sendable {
            var year: Int
            var date: Date
            var reason: String
        }

        var scope: PagePlace
        var program: PublicCatalog.ProgramRow
        /// The years this program's sheet is published in, for links to the others.
        var publishedYears: [Int]
        var planNodes: [PlanNode]
        var kpis: [KPI]
        var money: [MoneyYear]
        var evaluations: [Evaluation]
        var findings: [LintFinding]
        var corrections: [Correction]
        var profile = Profile()
    }
}
