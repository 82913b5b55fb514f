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

    /// A program as the portal lists it, with the values HyokaCore derived when it was
    /// published (read from `PublicReadModel`, never computed here).
    struct ProgramRow: Sendable {
        var id: UUID
        var number: String?
        var name: String
        var department: String?
        var summary: String?
        var sdgGoals: [Int]
        var planNodes: [String]
        var grade: String?
        /// The grade the KPIs' rates suggest (計算値).
        var suggestedGrade: String?
        var direction: String?
        /// The fiscal year the money below is of: the latest the sheet shows, which on an
        /// evaluation sheet may be a year ahead (the PDCA sheet of R3 prints R4 and R5).
        var budgetYear: Int?
        var budget: Money?
        var settlement: Money?
        var personnelCost: Money?
        /// トータルコスト, and whether it stands on the 予算額 for want of a 決算額.
        var totalCost: Money?
        var totalCostUsesBudget: Bool
        /// 増減額 and 増減率 of the 予算額 against the year before.
        var budgetChange: Money?
        var budgetChangePercent: Decimal?
        /// The year before's 予算額 and 決算額, the base of the 増減.
        var previousBudget: Money? = nil
        var previousSettlement: Money? = nil
        /// 執行率 (決算額 ÷ 予算額, percent).
        var executionRate: Decimal?
        var trend: BudgetTrend?
        var rates: [Decimal]
        /// The normalized text search matches against, as UTF-8 (see `ProgramSearch.key`),
        /// written with the read model.
        var searchKey: [UInt8]
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
        return try await cache.value("published-municipalities", version: try await PortalCache.DataVersion.current(on: db).of(nil), compute: compute)
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

    /// Every published program of a year with its grade, budget, 増減 and KPI rates, from the
    /// read model; kept in memory until the municipality's data version moves.
    func programs(_ municipality: Municipality, year: Int) async throws -> [ProgramRow] {
        let municipalityID = try municipality.requireID(), db = self.db
        guard let cache else { return try await PublicReadModel.programs(municipalityID: municipalityID, year: year, on: db) }
        let version = try await PortalCache.DataVersion.current(on: db).of(municipalityID)
        return try await cache.rows("\(municipalityID)/\(year)", version: version) {
            try await PublicReadModel.programs(municipalityID: municipalityID, year: year, on: db)
        }
    }
}

extension PublicCatalog.ProgramRow {
    init(_ record: PublicReadModel.ProgramRecord) {
        func decimal(_ text: String?) -> Decimal? { text.flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) } }
        self.init(id: record.programId, number: record.number, name: record.name, department: record.department, summary: record.summary,
                  sdgGoals: record.sdgGoals.split(separator: ",").compactMap { Int($0) },
                  planNodes: record.planNodes.split(separator: "\u{1F}").map(String.init),
                  grade: record.grade, suggestedGrade: record.suggestedGrade, direction: record.direction, budgetYear: record.budgetYear,
                  budget: record.budgetYen.map(Money.init(yen:)), settlement: record.settlementYen.map(Money.init(yen:)),
                  personnelCost: record.personnelCostYen.map(Money.init(yen:)), totalCost: record.totalCostYen.map(Money.init(yen:)),
                  totalCostUsesBudget: record.totalCostUsesBudget, budgetChange: record.budgetChangeYen.map(Money.init(yen:)),
                  budgetChangePercent: decimal(record.budgetChangePercent),
                  previousBudget: record.previousBudgetYen.map(Money.init(yen:)), previousSettlement: record.previousSettlementYen.map(Money.init(yen:)),
                  executionRate: decimal(record.executionRate),
                  trend: record.trend.flatMap(BudgetTrend.init(rawValue:)),
                  rates: record.rates.split(separator: ";").compactMap { decimal(String($0)) }, searchKey: Array(record.searchKey.utf8))
    }
}
