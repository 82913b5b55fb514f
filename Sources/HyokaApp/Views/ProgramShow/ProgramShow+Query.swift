import Fluent
import Foundation
import HyokaCore
import HyokaImport
import Vapor

extension ProgramShow {
    /// Reads what the sheet shows: the program's published years, KPIs with their stored
    /// numbers and the read model's rates, money through `ProgramFigures`, evaluations, the
    /// read model's findings (by program id) and the corrections of the years shown.
    static func query(_ row: PublicCatalog.ProgramRow, scope: PortalScope, req: Request) async throws -> Model {
        let db = req.db
        let years = try await req.catalog.publishedYears(of: row.id, in: scope.municipality).filter(scope.years.contains)
        let shown = try await req.catalog.sheetYears(scope.municipality, year: scope.year)
        let indicators = try await Indicator.query(on: db).filter(\.$program.$id == row.id).sort(\.$sortOrder).all()
        let ids = indicators.compactMap(\.id)
        let values = ids.isEmpty ? [] : try await IndicatorValue.query(on: db).filter(\.$indicator.$id ~~ ids).filter(\.$fiscalYear ~~ shown).all()
        let budgets = try await BudgetLine.query(on: db).filter(\.$program.$id == row.id).filter(\.$fiscalYear ~~ shown).sort(\.$fiscalYear).all()
        let evaluations = try await Evaluation.query(on: db).filter(\.$program.$id == row.id).filter(\.$fiscalYear ~~ shown).sort(\.$fiscalYear).all()
        let links = try await PlanLink.query(on: db).filter(\.$program.$id == row.id).with(\.$planNode).all()
        let program = try await Program.find(row.id, on: db)
        let evaluationIDs = evaluations.compactMap(\.id)
        let checklists = evaluationIDs.isEmpty ? [] : try await EvaluationViewpoint.query(on: db).filter(\.$evaluation.$id ~~ evaluationIDs).sort(\.$position).all()
        // Derived when the sheet was published (`PublicReadModel`), by program and KPI id.
        let findings = try await PublicReadModel.findings(programID: row.id, years: shown, on: db)
        let rates = try await PublicReadModel.rates(programID: row.id, years: shown, on: db)
        // 訂正 after publication, of the years shown, newest first: the public sees what
        // changed since the figures were first published, when and why.
        let corrections = try await SheetCorrection.query(on: db)
            .join(SheetStatus.self, on: \SheetCorrection.$sheet.$id == \SheetStatus.$id)
            .join(Cycle.self, on: \SheetStatus.$cycle.$id == \Cycle.$id)
            .filter(SheetStatus.self, \.$program.$id == row.id)
            .filter(Cycle.self, \.$phase == CyclePhase.published.rawValue)
            .filter(Cycle.self, \.$fiscalYear ~~ years)
            .sort(\.$correctedAt, .descending).all()
            .map { Model.Correction(year: try $0.joined(Cycle.self).fiscalYear, date: $0.correctedAt, reason: $0.reason) }
        // The money of the years shown, through the one derivation, as the list row's was.
        let money = ProgramFigures(budgets: Dictionary(budgets.map { ($0.fiscalYear, $0.money) }, uniquingKeysWith: { a, _ in a }), kpis: [],
                                   thresholdPercent: scope.municipality.budgetTrendThreshold)
        let l = scope.language
        return Model(
            scope: scope.place,
            program: row, publishedYears: years,
            planNodes: links.map { .init(code: $0.planNode.code, title: $0.planNode.title, id: $0.planNode.id) },
            kpis: indicators.map { indicator in
                let own = values.filter { $0.$indicator.id == indicator.id }.sorted { $0.fiscalYear < $1.fiscalYear }
                return .init(anchor: String(indicator.id?.uuidString.prefix(8) ?? "x"), name: indicator.name, baseline: indicator.baselineRaw,
                             finalTarget: indicator.finalTargetRaw,
                             years: own.map { value in
                                 // The numbers stored with each value when it was written, not parsed again.
                                 .init(year: value.fiscalYear, target: value.targetRaw, actual: value.actualRaw,
                                       targetNumber: value.targetValue.flatMap(Decimal.posix), actualNumber: value.actualValue.flatMap(Decimal.posix),
                                       rate: indicator.id.flatMap { rates[$0]?[value.fiscalYear] })
                             }, baselineYear: indicator.baselineYear, finalTargetYear: indicator.finalTargetYear, unit: indicator.unit,
                             kind: IndicatorKind(rawValue: indicator.kind) ?? .outcome)
            },
            money: budgets.map { line in
                .init(year: line.fiscalYear, budget: line.money.budget, settlement: line.money.settlement, personnelCost: line.money.personnelCost,
                      totalCost: money.totalCost(in: line.fiscalYear), totalCostUsesBudget: money.totalCostUsesBudget(in: line.fiscalYear), trend: money.trend(in: line.fiscalYear), funding: line.funding,
                      staffCount: line.staffCount, workHours: line.workHours, isPlanned: line.isPlanned)
            },
            evaluations: evaluations.map { e in
                let stage = EvaluationStage(rawValue: e.stage)
                return .init(year: e.fiscalYear, stage: stage, stageText: stage.map { l($0.japanese, $0.english) } ?? e.stage, grade: e.grade,
                             direction: e.direction, comment: e.comment, improvement: e.improvement,
                             expectedOutcome: e.expectedOutcome, expectedCost: e.expectedCost,
                             viewpoints: checklists.filter { $0.$evaluation.id == e.id }.map { .init(viewpoint: $0.viewpoint, judgement: $0.judgement, reason: $0.reason) })
            },
            findings: findings, corrections: corrections,
            profile: program.map { p in
                .init(legalBasis: p.legalBasis, category: p.category, periodKind: p.periodKind, startYear: p.startFiscalYear, endYear: p.endFiscalYear,
                      budgetAccounts: (p.budgetAccounts ?? "").split(separator: "\n").map(String.init),
                      purposeTarget: p.purposeTarget, purposeIntent: p.purposeIntent, purposeResult: p.purposeResult,
                      meansPreviousYear: p.meansPreviousYear, meansThisYear: p.meansThisYear)
            } ?? .init())
    }
}

extension Decimal {
    /// A number as stored in a text column (`1234.5`), whatever the server's locale.
    static func posix(_ text: String) -> Decimal? {
        Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }
}
