import Fluent
import Foundation
import HyokaCore
import HyokaImport
import SQLKit

/// The read model of what the public may see (tables of M022), derived by HyokaCore's one
/// derivation (`ProgramFigures`) when public data changes, inside the transaction that
/// changes it: opening, publishing or reopening a cycle, a correction, an import (which also
/// carries a municipality's settings), a record form's evaluation. The portal, the sheet
/// and its PDF read it and derive nothing; a visitor never waits for a municipality to be
/// checked, and a draft never reaches it (only programs published in a published cycle,
/// and only the public years, are written).
enum PublicReadModel {
    /// The derivation the rows are computed with. Raise it when a release derives or stores
    /// differently: at start (`ensureCurrent`) every municipality's rows are computed again.
    ///
    /// 2: search keys in `JapaneseText.searchForm` (spelling variants folded); the year
    /// before's 予算額 and 決算額 stored for the list's download.
    /// 3: a sheet shows the settled years up to three before its year (`PublicYears.onSheet`),
    /// so the year before the first published one can be the base of its 増減.
    static let derivation = 3

    /// A published program in a published year, with its derived values.
    struct ProgramRecord: Codable, Sendable {
        var id: UUID
        var municipalityId: UUID
        var fiscalYear: Int
        var programId: UUID
        var number: String?
        var name: String
        var department: String?
        var summary: String?
        /// SDG goal numbers, comma-separated.
        var sdgGoals: String
        /// The codes of the plan nodes (施策) the program serves, separated by U+001F.
        var planNodes: String
        var grade: String?
        var suggestedGrade: String?
        var direction: String?
        var budgetYear: Int?
        var budgetYen: Int64?
        var settlementYen: Int64?
        var personnelCostYen: Int64?
        var totalCostYen: Int64?
        var totalCostUsesBudget: Bool
        var budgetChangeYen: Int64?
        /// The 予算額 and 決算額 of the year before `budgetYear`, the base of its 増減.
        var previousBudgetYen: Int64?
        var previousSettlementYen: Int64?
        var budgetChangePercent: String?
        var executionRate: String?
        var trend: String?
        /// The year's KPI rates that have one, in KPI order, separated by `;`.
        var rates: String
        var searchKey: String
    }

    /// A KPI's 達成率 in one year: the rate, or the reason there is none (`AchievementRate.Missing`).
    struct KPIRateRecord: Codable, Sendable {
        var id: UUID
        var municipalityId: UUID
        var programId: UUID
        var indicatorId: UUID
        var fiscalYear: Int
        var rate: String?
        var missing: String?
    }

    /// A finding of the checks about public data, by the ids of the program and KPI it is about.
    struct FindingRecord: Codable, Sendable {
        var id: UUID
        var municipalityId: UUID
        var programId: UUID?
        var indicatorId: UUID?
        var fiscalYear: Int?
        var rule: String
        var tableName: String
        var record: String
        var field: String
        var japanese: String
        var english: String
    }

    static let encoder = SQLQueryEncoder(keyEncodingStrategy: .convertToSnakeCase, nilEncodingStrategy: .asNil)
    static let decoder = SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase)

    // MARK: Writing

    /// Where a refresh takes the checks' findings from.
    enum Checks {
        /// Run the checks over the municipality's data.
        case run
        /// The checks' findings over all the municipality's data, already run in this
        /// transaction (publication runs them to decide whether it may publish).
        case ran([LintFinding])
        /// The data did not change, only which years are public (opening a year): keep the
        /// stored findings of the years still shown.
        case unchanged
    }

    /// Computes a municipality's read model anew and moves its data version. Call it inside
    /// the transaction that changed its public data.
    static func refresh(municipalityID: UUID, checks: Checks = .run, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        guard let municipality = try await Municipality.find(municipalityID, on: db) else { return }
        if sql.dialect.name == "sqlite" {
            // A refresh rewrites tens of thousands of rows in one transaction; SQLite's
            // default 2 MB page cache spilled them to the log mid-transaction and read the
            // same pages again. The connection keeps the larger cache for later writes.
            try await sql.raw("PRAGMA cache_size = -65536").run()
        }
        let cycles = try await Cycle.query(on: db).filter(\.$municipality.$id == municipalityID).all()
        let years = PublicYears(cycles: cycles.map { ($0.fiscalYear, $0.cyclePhase == .published) })
        let (programs, rates) = try await derive(municipality, years: years, on: db)
        for table in ["public_programs", "public_kpi_rates"] {
            try await sql.delete(from: table).where("municipality_id", .equal, municipalityID).run()
        }
        try await insert(programs, into: "public_programs", on: sql)
        try await insert(rates, into: "public_kpi_rates", on: sql)
        let shown = Set(years.published.flatMap(years.onSheet(of:)))
        if case .unchanged = checks {
            // Findings of no year stay; those of a year no longer public go.
            let delete = sql.delete(from: "public_findings").where("municipality_id", .equal, municipalityID)
            if years.published.isEmpty {
                try await delete.run()
            } else {
                try await delete.where("fiscal_year", .notIn, shown.sorted()).run()
            }
        } else {
            try await sql.delete(from: "public_findings").where("municipality_id", .equal, municipalityID).run()
            if !years.published.isEmpty {
                let found: [LintFinding] = switch checks {
                case let .ran(findings): findings
                default: Lint.check(try await DatasetLoader.load(on: db, municipalityCode: municipality.code))
                }
                try await insert(try await findings(found.filter { $0.fiscalYear.map(shown.contains) ?? true }, of: municipalityID, on: sql),
                                 into: "public_findings", on: sql)
            }
        }
        try await advance([municipalityID], refreshed: !years.published.isEmpty, on: db)
    }

    /// `refresh` of every municipality whose rows were computed by another derivation (or
    /// never): run at start, after the migrations, so that a release that derives
    /// differently, or a database migrated from before the read model, serves current rows.
    static func ensureCurrent(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        struct Row: Decodable { var municipalityId: UUID; var derivation: Int }
        let current = try await sql.select().columns("municipality_id", "derivation").from("public_versions").all(decoding: Row.self, with: decoder)
        let done = Set(current.filter { $0.derivation == derivation }.map(\.municipalityId))
        for municipality in try await Municipality.query(on: db).all() {
            guard let id = municipality.id, !done.contains(id) else { continue }
            try await db.transaction { try await refresh(municipalityID: id, on: $0) }
        }
    }

    /// Moves the data version of each municipality (a publication, a correction, a record
    /// form: anything `DataVersion.counts`), in the caller's transaction. `refreshed` says,
    /// after `refresh`, whether the municipality has anything published; the rows are then
    /// marked as computed by this release's derivation.
    static func advance(_ municipalityIDs: Set<UUID>, refreshed published: Bool? = nil, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        let now = Int64(HyokaClock.date.timeIntervalSince1970 * 1_000_000)
        for id in municipalityIDs.sorted(by: { $0.uuidString < $1.uuidString }) {
            try await sql.insert(into: "public_versions").columns("municipality_id", "version", "changed_at", "derivation", "published")
                .values(SQLBind(id), SQLBind(Int64(1)), SQLBind(now), SQLBind(published == nil ? 0 : derivation), SQLBind(published ?? false))
                .onConflict(with: ["municipality_id"]) { update in
                    var update = update.set("version", to: SQLRaw("public_versions.version + 1")).set(excludedValueOf: "changed_at")
                    if published != nil { update = update.set(excludedValueOf: "derivation").set(excludedValueOf: "published") }
                    return update
                }.run()
        }
    }

    /// Moves the versions of the municipalities whose public data `entries` change.
    static func advance(after entries: [AuditEntry], on db: any Database) async throws {
        let ids = Set(entries.filter { PortalCache.DataVersion.counts(entity: $0.entity, source: $0.source) }.compactMap { $0.$municipality.id })
        guard !ids.isEmpty else { return }
        try await advance(ids, on: db)
    }

    private static func insert<Row: StoredRow>(_ rows: [Row], into table: String, on sql: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        // SQLite binds at most 32,766 values per statement; a program row has 27 columns.
        // The columns are listed once and each row's values bound as they are (an Encodable
        // encoder converting every key of every row was a tenth of a publication).
        for chunk in rows.chunked(into: 1_000) {
            let insert = sql.insert(into: table).columns(Row.columns)
            for row in chunk { insert.values(row.binds.map { SQLBind($0) as any SQLExpression }) }
            try await insert.run()
        }
    }

    /// Every program published in a published year, with every value derived, and their
    /// KPIs' rates in the public years their sheets show. The whole municipality at once:
    /// each record is read once, each value text parsed once, each program's figures
    /// derived once for all its years (a derivation per year read and parsed everything
    /// again for each published year).
    static func derive(_ municipality: Municipality, years: PublicYears, on db: any Database)
        async throws -> (programs: [ProgramRecord], rates: [KPIRateRecord]) {
        let municipalityID = try municipality.requireID()
        guard let sql = db as? any SQLDatabase else { return ([], []) }
        // Read with named columns into plain rows, one query per kind for the whole
        // municipality: decoding Fluent models by reflection was a third of the time.
        struct Published: Decodable { var programId: UUID; var fiscalYear: Int }
        struct ProgramRow: Decodable { var id: UUID; var name: String; var number: String?; var summary: String?; var sdgGoals: String; var department: String? }
        struct EvaluationRow: Decodable { var programId: UUID; var fiscalYear: Int; var grade: String?; var direction: String? }
        struct MoneyRow: Decodable { var programId: UUID; var fiscalYear: Int; var budgetYen: Int64?; var settlementYen: Int64?; var personnelCostYen: Int64?; var isPlanned: Bool }
        struct KPIRow: Decodable {
            var id: UUID; var programId: UUID; var direction: String; var formula: String?; var baselineRaw: String; var baselineYear: Int?
        }
        struct ValueRow: Decodable { var indicatorId: UUID; var fiscalYear: Int; var targetRaw: String; var actualRaw: String }
        struct LinkRow: Decodable { var programId: UUID; var code: String }
        func rows<Row: Decodable>(_ query: SQLQueryString, as: Row.Type) async throws -> [Row] {
            // Columns are named as the rows' properties are (`AS "programId"`), so no key
            // strategy converts every key of every row.
            try await sql.raw(query).all(decoding: Row.self)
        }
        // Which programs are published in which years: one join.
        var publishedIn: [UUID: [Int]] = [:]
        for row in try await rows("""
            SELECT s.program_id AS "programId", c.fiscal_year AS "fiscalYear" FROM sheet_statuses s JOIN cycles c ON s.cycle_id = c.id
            WHERE c.municipality_id = \(bind: municipalityID) AND c.phase = \(bind: CyclePhase.published.rawValue)
              AND s.status = \(bind: SheetState.published.rawValue)
            """, as: Published.self) {
            publishedIn[row.programId, default: []].append(row.fiscalYear)
        }
        guard !publishedIn.isEmpty else { return ([], []) }
        // The public years each published year's sheet shows, and the public year before
        // the first of them (for 増減 and 前年度比).
        var shownBy: [Int: [Int]] = [:]
        var loaded: Set<Int> = []
        for year in years.published {
            let shown = years.onSheet(of: year)
            shownBy[year] = shown
            loaded.formUnion(shown)
            let before = (shown.min() ?? year) - 1
            if years.isPublic(before) { loaded.insert(before) }
        }
        let loadedYears = SQLGroupExpression(loaded.sorted().map { SQLBind($0) as any SQLExpression })
        let publishedYears = SQLGroupExpression(years.published.sorted().map { SQLBind($0) as any SQLExpression })
        let programs = try await rows("""
            SELECT p.id, p.name, p.number, p.summary, p.sdg_goals AS "sdgGoals", d.name AS department
            FROM programs p LEFT JOIN departments d ON p.department_id = d.id WHERE p.municipality_id = \(bind: municipalityID)
            """, as: ProgramRow.self).filter { publishedIn[$0.id] != nil }
        var evaluations: [UUID: [Int: EvaluationRow]] = [:]
        for e in try await rows("""
            SELECT e.program_id AS "programId", e.fiscal_year AS "fiscalYear", e.grade, e.direction FROM evaluations e JOIN programs p ON e.program_id = p.id
            WHERE p.municipality_id = \(bind: municipalityID) AND e.stage = \(bind: EvaluationStage.selfAssessment.rawValue)
              AND e.fiscal_year IN \(publishedYears)
            """, as: EvaluationRow.self) {
            evaluations[e.programId, default: [:]][e.fiscalYear] = e
        }
        var budgets: [UUID: [Int: ProgramFigures.YearMoney]] = [:]
        /// Planned years (計画): printed on the sheet, never the list's 予算 of a year.
        var plannedYears: [UUID: Set<Int>] = [:]
        for b in try await rows("""
            SELECT b.program_id AS "programId", b.fiscal_year AS "fiscalYear", b.budget_yen AS "budgetYen", b.settlement_yen AS "settlementYen",
                   b.personnel_cost_yen AS "personnelCostYen", b.is_planned AS "isPlanned" FROM budget_lines b
            JOIN programs p ON b.program_id = p.id WHERE p.municipality_id = \(bind: municipalityID) AND b.fiscal_year IN \(loadedYears)
            """, as: MoneyRow.self) {
            if b.isPlanned { plannedYears[b.programId, default: []].insert(b.fiscalYear) }
            budgets[b.programId, default: [:]][b.fiscalYear] = .init(budget: b.budgetYen.map(Money.init(yen:)), settlement: b.settlementYen.map(Money.init(yen:)),
                                                                     personnelCost: b.personnelCostYen.map(Money.init(yen:)))
        }
        var indicators: [UUID: [KPIRow]] = [:]
        for indicator in try await rows("""
            SELECT i.id, i.program_id AS "programId", i.direction, i.formula, i.baseline_raw AS "baselineRaw", i.baseline_year AS "baselineYear" FROM indicators i
            JOIN programs p ON i.program_id = p.id WHERE p.municipality_id = \(bind: municipalityID) ORDER BY i.sort_order, i.name
            """, as: KPIRow.self) {
            indicators[indicator.programId, default: []].append(indicator)
        }
        var values: [UUID: [Int: (target: String, actual: String)]] = [:]
        var texts: Set<String> = []
        for v in try await rows("""
            SELECT v.indicator_id AS "indicatorId", v.fiscal_year AS "fiscalYear", v.target_raw AS "targetRaw", v.actual_raw AS "actualRaw" FROM indicator_values v JOIN indicators i ON v.indicator_id = i.id
            JOIN programs p ON i.program_id = p.id WHERE p.municipality_id = \(bind: municipalityID) AND v.fiscal_year IN \(loadedYears)
            """, as: ValueRow.self) {
            values[v.indicatorId, default: [:]][v.fiscalYear] = (v.targetRaw, v.actualRaw)
            texts.insert(v.targetRaw)
            texts.insert(v.actualRaw)
        }
        var links: [UUID: [String]] = [:]
        for link in try await rows("""
            SELECT l.program_id AS "programId", n.code FROM plan_links l JOIN plan_nodes n ON l.plan_node_id = n.id JOIN programs p ON l.program_id = p.id
            WHERE p.municipality_id = \(bind: municipalityID)
            """, as: LinkRow.self) {
            links[link.programId, default: []].append(link.code)
        }
        for indicator in indicators.values.joined() { texts.insert(indicator.baselineRaw) }
        // Each value text parsed once (a rate parses its target, actual, baseline and last
        // year's actual; parsing was most of the derivation's time).
        let measures = Dictionary(texts.map { ($0, Measure.parse($0)) }, uniquingKeysWith: { a, _ in a })
        let parse: @Sendable (String) -> Measure = { measures[$0] ?? Measure.parse($0) }
        let formula = municipality.formula, threshold = municipality.budgetTrendThreshold
        let allShown = Array(Set(shownBy.values.joined())).sorted()
        var rows: [ProgramRecord] = [], rates: [KPIRateRecord] = []
        for program in programs {
            let id = program.id
            let kpis = indicators[id] ?? []
            let figures = ProgramFigures(
                budgets: budgets[id] ?? [:],
                kpis: kpis.map { kpi in
                    ProgramFigures.KPI(stored: StoredKPI(columns: kpi.direction, formula: kpi.formula, defaultFormula: formula,
                                                         baselineText: kpi.baselineRaw, baselineYear: kpi.baselineYear),
                                       values: values[kpi.id] ?? [:])
                },
                thresholdPercent: threshold, parse: parse)
            for (index, indicator) in kpis.enumerated() {
                let indicatorID = indicator.id
                for year in allShown {
                    guard let result = figures.rate(of: index, in: year) else { continue }
                    let (rate, missing): (String?, String?) = switch result {
                    case let .success(rate): ("\(rate)", nil)
                    case let .failure(reason): (nil, reason.rawValue)
                    }
                    rates.append(KPIRateRecord(id: UUID(), municipalityId: municipalityID, programId: id, indicatorId: indicatorID,
                                               fiscalYear: year, rate: rate, missing: missing))
                }
            }
            let searchKey = ProgramSearch.key(name: program.name, summary: program.summary, department: program.department, number: program.number)
            let sdgGoals = program.sdgGoals.split(separator: ",").compactMap { Int($0) }.map(String.init).joined(separator: ",")
            let planNodes = (links[id] ?? []).sorted().joined(separator: "\u{1F}")
            for year in (publishedIn[id] ?? []).sorted() {
                // The money of a list row: the latest year the sheet shows with a budget or a
                // settlement, from the year before on (an evaluation sheet prints a year ahead).
                let budgetYear = figures.latestBudgetYear(among: (shownBy[year] ?? [year]).filter { $0 >= year - 1 && !(plannedYears[id]?.contains($0) ?? false) })
                let money = budgetYear.flatMap { budgets[id]?[$0] }
                let evaluation = evaluations[id]?[year]
                let yearRates = figures.rates(in: year)
                rows.append(ProgramRecord(
                    id: UUID(), municipalityId: municipalityID, fiscalYear: year, programId: id, number: program.number, name: program.name,
                    department: program.department, summary: program.summary, sdgGoals: sdgGoals, planNodes: planNodes,
                    grade: evaluation?.grade, suggestedGrade: figures.suggestedGrade(in: year)?.label,
                    direction: evaluation?.direction,
                    budgetYear: budgetYear, budgetYen: money?.budget?.yen, settlementYen: money?.settlement?.yen, personnelCostYen: money?.personnelCost?.yen,
                    totalCostYen: budgetYear.flatMap(figures.totalCost(in:))?.yen, totalCostUsesBudget: budgetYear.map(figures.totalCostUsesBudget(in:)) ?? false,
                    budgetChangeYen: budgetYear.flatMap(figures.budgetChange(in:))?.yen,
                    previousBudgetYen: budgetYear.flatMap { budgets[id]?[$0 - 1]?.budget?.yen },
                    previousSettlementYen: budgetYear.flatMap { budgets[id]?[$0 - 1]?.settlement?.yen },
                    budgetChangePercent: budgetYear.flatMap(figures.budgetChangePercent(in:)).map { "\($0)" },
                    executionRate: budgetYear.flatMap(figures.executionRate(in:)).map { "\($0)" },
                    trend: budgetYear.flatMap(figures.trend(in:))?.rawValue,
                    rates: yearRates.map { "\($0)" }.joined(separator: ";"), searchKey: searchKey))
            }
        }
        return (rows, rates)
    }

    /// The checks' findings, with the program and KPI they are about turned from names into
    /// ids here, once, where the names are unique (a municipality's programs, a program's KPIs).
    static func findings(_ found: [LintFinding], of municipalityID: UUID, on sql: any SQLDatabase) async throws -> [FindingRecord] {
        guard !found.isEmpty else { return [] }
        struct Named: Decodable { var id: UUID; var name: String }
        struct KPI: Decodable { var id: UUID; var programId: UUID; var name: String }
        let programs = try await sql.select().columns("id", "name").from(Program.schema).where("municipality_id", .equal, municipalityID)
            .all(decoding: Named.self, with: decoder)
        let programIDs = Dictionary(programs.map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
        var indicatorIDs: [String: UUID] = [:]
        for chunk in programs.map(\.id).chunked(into: 500) {
            for kpi in try await sql.select().columns("id", "program_id", "name").from(Indicator.schema).where("program_id", .in, chunk)
                .all(decoding: KPI.self, with: decoder) {
                indicatorIDs["\(kpi.programId)/\(kpi.name)"] = kpi.id
            }
        }
        return found.map { finding in
            let programID = finding.program.flatMap { programIDs[$0] }
            let indicatorID = programID.flatMap { id in finding.indicator.flatMap { indicatorIDs["\(id)/\($0)"] } }
            return FindingRecord(id: UUID(), municipalityId: municipalityID, programId: programID, indicatorId: indicatorID,
                                 fiscalYear: finding.fiscalYear, rule: finding.rule.rawValue, tableName: finding.table, record: finding.record,
                                 field: finding.field, japanese: finding.japanese, english: finding.english)
        }
    }

    // MARK: Reading

    /// Where else a search finds programs: each other published municipality and year of
    /// the deployment whose programs' search keys hold every word, with how many, most first.
    struct Elsewhere: Decodable, Sendable {
        var code: String
        var name: String
        var nameEnglish: String?
        var fiscalYear: Int
        var count: Int
    }

    static func elsewhere(words: [String], notIn municipalityID: UUID, year: Int, limit: Int = 12, on db: any Database) async throws -> [Elsewhere] {
        guard let sql = db as? any SQLDatabase, !words.isEmpty else { return [] }
        // Keys and words are both normalized (NFKC, lower case), so LIKE compares them as
        // the list's own search does; the words' own % and _ are escaped.
        let likes = words.map { word -> any SQLExpression in
            let escaped = word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            return SQLQueryString("p.search_key LIKE \(bind: "%" + escaped + "%") ESCAPE '\\'")
        }
        return try await sql.raw("""
            SELECT m.code, m.name, m.name_en AS "nameEnglish", p.fiscal_year AS "fiscalYear", COUNT(*) AS count
            FROM public_programs p JOIN municipalities m ON m.id = p.municipality_id
            WHERE \(SQLList(likes, separator: SQLRaw(" AND "))) AND NOT (p.municipality_id = \(bind: municipalityID) AND p.fiscal_year = \(bind: year))
            GROUP BY m.code, m.name, m.name_en, p.fiscal_year ORDER BY COUNT(*) DESC, m.code, p.fiscal_year DESC LIMIT \(unsafeRaw: String(limit))
            """).all(decoding: Elsewhere.self)
    }

    /// The published programs of a municipality's year, as the portal lists them.
    static func programs(municipalityID: UUID, year: Int, on db: any Database) async throws -> [PublicCatalog.ProgramRow] {
        guard let sql = db as? any SQLDatabase else { return [] }
        // Columns named as the record's properties: decoding 3,000 rows through a key
        // strategy that converts every key of every row was most of the first list's time.
        return try await sql.raw("SELECT \(unsafeRaw: ProgramRecord.selection) FROM public_programs WHERE municipality_id = \(bind: municipalityID) AND fiscal_year = \(bind: year) ORDER BY name")
            .all(decoding: ProgramRecord.self).map(PublicCatalog.ProgramRow.init)
    }

    /// One published program's row of a year: one indexed read, where the sheet used to read
    /// the whole municipality's year (3,000 rows) to find it.
    static func program(_ programID: UUID, of municipalityID: UUID, year: Int, on db: any Database) async throws -> PublicCatalog.ProgramRow? {
        guard let sql = db as? any SQLDatabase else { return nil }
        return try await sql.raw("SELECT \(unsafeRaw: ProgramRecord.selection) FROM public_programs WHERE program_id = \(bind: programID) AND municipality_id = \(bind: municipalityID) AND fiscal_year = \(bind: year)")
            .first(decoding: ProgramRecord.self).map(PublicCatalog.ProgramRow.init)
    }

    /// The KPI rates of one program's KPIs in `years`, by indicator id and year.
    static func rates(programID: UUID, years: [Int], on db: any Database) async throws -> [UUID: [Int: AchievementRate.Result]] {
        guard let sql = db as? any SQLDatabase, !years.isEmpty else { return [:] }
        var rates: [UUID: [Int: AchievementRate.Result]] = [:]
        for record in try await sql.select().column("*").from("public_kpi_rates").where("program_id", .equal, programID)
            .where("fiscal_year", .in, years).all(decoding: KPIRateRecord.self, with: decoder) {
            rates[record.indicatorId, default: [:]][record.fiscalYear] = record.result
        }
        return rates
    }

    /// The findings about one program (its budget, evaluation and KPIs) in `years` or of no year.
    static func findings(programID: UUID, years: [Int], on db: any Database) async throws -> [LintFinding] {
        guard let sql = db as? any SQLDatabase else { return [] }
        return try await sql.select().column("*").from("public_findings").where("program_id", .equal, programID)
            .orderBy("rule").orderBy("record").all(decoding: FindingRecord.self, with: decoder)
            .filter { $0.fiscalYear.map(years.contains) ?? true }
            .compactMap(\.finding)
    }
}

/// A read-model row as the INSERT writes it: its columns in order and their values.
protocol StoredRow {
    static var columns: [String] { get }
    var binds: [any Encodable & Sendable] { get }
}

extension PublicReadModel.ProgramRecord: StoredRow {
    static let columns = ["id", "municipality_id", "fiscal_year", "program_id", "number", "name", "department", "summary", "sdg_goals", "plan_nodes",
                          "grade", "suggested_grade", "direction", "budget_year", "budget_yen", "settlement_yen", "personnel_cost_yen", "total_cost_yen",
                          "total_cost_uses_budget", "budget_change_yen", "budget_change_percent", "execution_rate", "trend", "rates", "search_key",
                          "previous_budget_yen", "previous_settlement_yen"]
    var binds: [any Encodable & Sendable] {
        [id, municipalityId, fiscalYear, programId, number, name, department, summary, sdgGoals, planNodes, grade, suggestedGrade, direction,
         budgetYear, budgetYen, settlementYen, personnelCostYen, totalCostYen, totalCostUsesBudget, budgetChangeYen, budgetChangePercent,
         executionRate, trend, rates, searchKey, previousBudgetYen, previousSettlementYen]
    }
}

extension PublicReadModel.ProgramRecord {
    /// The columns as the record's property names (`budget_yen AS "budgetYen"`), for reading
    /// rows without a key strategy.
    static let selection = columns.map { column in
        let parts = column.split(separator: "_")
        let camel = parts.enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.prefix(1).uppercased() + $0.element.dropFirst() }.joined()
        return column == camel ? column : "\(column) AS \"\(camel)\""
    }.joined(separator: ", ")
}

extension PublicReadModel.KPIRateRecord: StoredRow {
    static let columns = ["id", "municipality_id", "program_id", "indicator_id", "fiscal_year", "rate", "missing"]
    var binds: [any Encodable & Sendable] { [id, municipalityId, programId, indicatorId, fiscalYear, rate, missing] }
}

extension PublicReadModel.FindingRecord: StoredRow {
    static let columns = ["id", "municipality_id", "program_id", "indicator_id", "fiscal_year", "rule", "table_name", "record", "field", "japanese", "english"]
    var binds: [any Encodable & Sendable] { [id, municipalityId, programId, indicatorId, fiscalYear, rule, tableName, record, field, japanese, english] }
}

extension PublicReadModel.KPIRateRecord {
    var result: AchievementRate.Result { Self.result(rate: rate, missing: missing) }

    /// A stored rate, or the reason there is none.
    static func result(rate: String?, missing: String?) -> AchievementRate.Result {
        if let rate, let value = Decimal(string: rate, locale: Locale(identifier: "en_US_POSIX")) { return .success(value) }
        return .failure(missing.flatMap(AchievementRate.Missing.init(rawValue:)) ?? .qualitative)
    }
}

extension PublicReadModel.FindingRecord {
    var finding: LintFinding? {
        guard let rule = LintRule(rawValue: rule) else { return nil }
        return LintFinding(rule: rule, municipalityCode: "", table: tableName, record: record, field: field, fiscalYear: fiscalYear,
                           japanese: japanese, english: english)
    }
}
