import Fluent
import Foundation
import HyokaCore
import HyokaImport

/// What the public may see: programs whose sheet is 公表 in a cycle whose phase is 公表.
/// Drafts, submitted and approved sheets, and cycles not yet published, never leave here.
struct PublicCatalog {
    let db: any Database
    /// When given, rows and findings are kept until the data changes.
    var cache: PortalCache? = nil

    /// A program as the portal lists it, with the values HyokaCore computes.
    struct ProgramRow: Sendable {
        var id: UUID
        var number: String?
        var name: String
        var department: String?
        var summary: String?
        var sdgGoals: [Int]
        var planNodes: [String]
        var grade: String?
        var direction: String?
        /// The fiscal year `budget`, `settlement`, `personnelCost` and `trend` are of: the
        /// latest the sheet shows, which on an evaluation sheet may be a year ahead (the
        /// PDCA sheet of R3 prints the budgets of R4 and R5).
        var budgetYear: Int?
        var budget: Money?
        var settlement: Money?
        var personnelCost: Money?
        var trend: BudgetTrend?
        var rates: [Decimal]
        /// The normalized text search matches against, as UTF-8 (see `ProgramSearch.indexed`);
        /// made once when the rows are cached, not on every search.
        var searchKey: [UInt8] = []

        var suggestedGrade: String? { GradeScale.evaluation.suggestedGrade(forRates: rates)?.label }
        var totalCost: Money? { (settlement ?? budget).map { HyokaCore.totalCost(programCost: $0, personnelCost: personnelCost ?? .zero) } }
    }

    /// Municipalities with at least one published cycle, by code.
    /// Kept by data version: every page asks, and a prefecture has hundreds of cycles.
    func municipalities() async throws -> [Municipality] {
        let db = self.db
        let compute: @Sendable () async throws -> [Municipality] = {
            let published = try await Cycle.query(on: db).filter(\.$phase == CyclePhase.published.rawValue).all().map(\.$municipality.id)
            guard !published.isEmpty else { return [] }
            return try await Municipality.query(on: db).filter(\.$id ~~ Set(published)).sort(\.$code).all()
        }
        guard let cache else { return try await compute() }
        return try await cache.value("published-municipalities", version: try await PortalCache.DataVersion.current(on: db), compute: compute)
    }

    /// Published fiscal years of a municipality, latest first.
    func years(_ municipality: Municipality) async throws -> [Int] {
        try await Cycle.query(on: db).filter(\.$municipality.$id == municipality.requireID())
            .filter(\.$phase == CyclePhase.published.rawValue).sort(\.$fiscalYear, .descending).all().map(\.fiscalYear)
    }

    /// The fiscal years a sheet of `year` shows, by the one rule of public years
    /// (HyokaCore's `PublicYears`, which `PublicView` follows too).
    func sheetYears(_ municipality: Municipality, year: Int) async throws -> [Int] {
        try await publicYears(municipality).onSheet(of: year)
    }

    func publicYears(_ municipality: Municipality) async throws -> PublicYears {
        let cycles = try await Cycle.query(on: db).filter(\.$municipality.$id == municipality.requireID()).all()
        return PublicYears(cycles: cycles.map { ($0.fiscalYear, $0.phase == CyclePhase.published.rawValue) })
    }

    /// The ids of the programs published for a year.
    func publishedProgramIDs(_ municipality: Municipality, year: Int) async throws -> [UUID] {
        guard let cycle = try await Cycle.query(on: db).filter(\.$municipality.$id == municipality.requireID())
            .filter(\.$fiscalYear == year).filter(\.$phase == CyclePhase.published.rawValue).first(), let cycleID = cycle.id else { return [] }
        return try await SheetStatus.query(on: db).filter(\.$cycle.$id == cycleID)
            .filter(\.$status == SheetState.published.rawValue).all().map(\.$program.id)
    }

    /// The fiscal years in which one program's sheet is published in a published cycle: one
    /// indexed query, where asking for every published id of each year read the whole
    /// municipality's sheets (3,000 rows a year in a city) on every sheet page.
    func publishedYears(of programID: UUID, in municipality: Municipality) async throws -> [Int] {
        let sheets = try await SheetStatus.query(on: db).filter(\.$program.$id == programID)
            .filter(\.$status == SheetState.published.rawValue)
            .join(Cycle.self, on: \SheetStatus.$cycle.$id == \Cycle.$id)
            .filter(Cycle.self, \.$municipality.$id == municipality.requireID())
            .filter(Cycle.self, \.$phase == CyclePhase.published.rawValue).all()
        return try sheets.map { try $0.joined(Cycle.self).fiscalYear }.sorted()
    }

    /// Every published program of a year with its grade, budget, 増減 and KPI rates.
    func programs(_ municipality: Municipality, year: Int) async throws -> [ProgramRow] {
        guard let cache else { return try await computePrograms(municipality, year: year) }
        let version = try await PortalCache.DataVersion.current(on: db)
        let uncached = PublicCatalog(db: db)
        return try await cache.rows("\(try municipality.requireID())/\(year)", version: version) {
            try await uncached.computePrograms(municipality, year: year).map(ProgramSearch.indexed)
        }
    }

    /// The lint findings of a municipality's data, for the sheets. Findings about a fiscal
    /// year not published are left out, so that a draft never shows through them.
    func findings(_ municipality: Municipality, publishedYears: [Int]) async throws -> [LintFinding] {
        let code = municipality.code, db = self.db
        let compute: @Sendable () async throws -> [LintFinding] = {
            Lint.check(try await DatasetLoader.load(on: db, municipalityCode: code))
                .filter { $0.fiscalYear.map(publishedYears.contains) ?? true }
        }
        guard let cache else { return try await compute() }
        return try await cache.findings("\(try municipality.requireID())/findings/\(publishedYears)", version: try await PortalCache.DataVersion.current(on: db), compute: compute)
    }

    private func computePrograms(_ municipality: Municipality, year: Int) async throws -> [ProgramRow] {
        let ids = try await publishedProgramIDs(municipality, year: year)
        guard !ids.isEmpty else { return [] }
        let budgetYears = try await sheetYears(municipality, year: year).filter { $0 >= year - 1 }
        let formula = municipality.formula
        let threshold = municipality.budgetTrendThreshold
        var programs: [Program] = []
        var evaluations: [UUID: Evaluation] = [:]
        var budgets: [UUID: [Int: BudgetLine]] = [:]
        var indicators: [Indicator] = []
        var links: [UUID: [String]] = [:]
        for chunk in ids.chunked(into: 500) {
            programs += try await Program.query(on: db).filter(\.$id ~~ chunk).with(\.$department).all()
            for e in try await Evaluation.query(on: db).filter(\.$program.$id ~~ chunk).filter(\.$fiscalYear == year)
                .filter(\.$stage == EvaluationStage.selfAssessment.rawValue).all() {
                if let id = e.$program.id { evaluations[id] = e }
            }
            for b in try await BudgetLine.query(on: db).filter(\.$program.$id ~~ chunk).filter(\.$fiscalYear ~~ budgetYears).all() {
                budgets[b.$program.id, default: [:]][b.fiscalYear] = b
            }
            indicators += try await Indicator.query(on: db).filter(\.$program.$id ~~ chunk).all()
            for link in try await PlanLink.query(on: db).filter(\.$program.$id ~~ chunk).with(\.$planNode).all() {
                links[link.$program.id, default: []].append(link.planNode.code)
            }
        }
        var values: [UUID: [Int: IndicatorValue]] = [:]
        for chunk in indicators.compactMap(\.id).chunked(into: 500) {
            for v in try await IndicatorValue.query(on: db).filter(\.$indicator.$id ~~ chunk).filter(\.$fiscalYear ~~ [year, year - 1]).all() {
                values[v.$indicator.id, default: [:]][v.fiscalYear] = v
            }
        }
        var rates: [UUID: [Decimal]] = [:]
        for indicator in indicators {
            guard let programID = indicator.$program.id, let id = indicator.id, let value = values[id]?[year] else { continue }
            if let rate = try? indicator.stored(defaultFormula: formula).rate(target: value.targetRaw, actual: value.actualRaw,
                                                                              previousActual: values[id]?[year - 1]?.actualRaw).get() {
                rates[programID, default: []].append(rate)
            }
        }
        return programs.compactMap { p in
            guard let id = p.id else { return nil }
            let budgetYear = budgets[id].flatMap { lines in lines.keys.filter { lines[$0]?.budgetYen != nil || lines[$0]?.settlementYen != nil }.max() }
            let current = budgetYear.flatMap { budgets[id]?[$0] }, previous = budgetYear.flatMap { budgets[id]?[$0 - 1] }
            let trend: BudgetTrend? = if let now = current?.budgetYen, let before = previous?.budgetYen {
                BudgetTrend.classify(previous: Money(yen: before), current: Money(yen: now), thresholdPercent: threshold)
            } else { nil }
            return ProgramRow(id: id, number: p.number, name: p.name, department: p.department?.name, summary: p.summary,
                              sdgGoals: p.sdgGoals.split(separator: ",").compactMap { Int($0) }, planNodes: (links[id] ?? []).sorted(),
                              grade: evaluations[id]?.grade, direction: evaluations[id]?.direction,
                              budgetYear: budgetYear, budget: current?.budgetYen.map(Money.init(yen:)), settlement: current?.settlementYen.map(Money.init(yen:)),
                              personnelCost: current?.personnelCostYen.map(Money.init(yen:)), trend: trend, rates: rates[id] ?? [])
        }
    }
}
