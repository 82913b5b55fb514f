import Fluent
import Foundation
import HyokaCore
import HyokaImport
import SQLKit
import Vapor

/// The yearly cycle of a municipality: opened by a planner (carrying last year forward),
/// moved through its phases, published.
enum CycleService {
    /// What opening a cycle created.
    struct Opened: Sendable {
        var cycleID: UUID
        var sheets: Int
        var carriedTargets: Int
    }

    /// Opens `fiscalYear` in 準備. The sheets of the latest earlier cycle are carried forward
    /// (every program of the municipality when there is none), except programs that ended
    /// before the year; each KPI without a value for the year gets one holding the previous
    /// year's target, so editors enter actuals instead of retyping. Plan links and KPIs
    /// belong to the program, not to a year, so they come along as they are.
    static func open(municipalityID: UUID, fiscalYear: Int, inputDeadline: Date?, reviewDeadline: Date?, by user: User, on db: any Database) async throws -> Opened {
        try Access.require(user, .manageCycle, on: Policy.Target(municipalityID: municipalityID))
        guard (2000...2100).contains(fiscalYear) else {
            throw StaffError(status: .unprocessableEntity, japanese: "年度を西暦で入力してください（例: 2026）", english: "enter the fiscal year as a number like 2026")
        }
        if let inputDeadline, let reviewDeadline, reviewDeadline < inputDeadline {
            throw StaffError(status: .unprocessableEntity, japanese: "審査の期限は入力の期限より後にしてください", english: "the review deadline must come after the input deadline")
        }
        return try await db.writeTransaction { tx in
            let cycles = try await Cycle.query(on: tx).filter(\.$municipality.$id == municipalityID).all()
            if cycles.contains(where: { $0.fiscalYear == fiscalYear }) {
                throw StaffError(status: .conflict, japanese: "\(FiscalYear(fiscalYear).both)の評価サイクルはすでにあります", english: "the FY\(fiscalYear) cycle exists already")
            }
            let audit = Audit(actor: user.login, userID: user.id, source: "form")
            let cycle = Cycle()
            cycle.$municipality.id = municipalityID
            cycle.fiscalYear = fiscalYear
            cycle.phase = CyclePhase.preparation.rawValue
            cycle.inputDeadline = inputDeadline
            cycle.reviewDeadline = reviewDeadline
            try await cycle.create(on: tx)
            let cycleID = try cycle.requireID()
            try await audit.record(on: tx, municipalityID: municipalityID, entity: "cycles", id: cycleID, label: "\(fiscalYear)",
                                   [.init(field: "*", before: nil, after: "created"), .init(field: "phase", before: nil, after: cycle.phase)])

            // Every program of the municipality that runs in the year: a previous cycle that
            // held only some sheets (a pilot, a partial import) must not narrow the next one.
            let programs = try await Program.query(on: tx).filter(\.$municipality.$id == municipalityID).all()
                .filter { ($0.endFiscalYear ?? Int.max) >= fiscalYear && ($0.startFiscalYear ?? Int.min) <= fiscalYear }
            let programIDs = programs.compactMap(\.id)

            var entries: [AuditEntry] = []
            let now = HyokaClock.date
            func created(_ entity: String, _ id: UUID?, _ label: String) {
                entries.append(AuditEntry(municipalityID: municipalityID, userID: user.id, actor: user.login, source: "form", at: now,
                                          entity: entity, entityID: id, label: label, field: "*", before: nil, after: "created"))
            }
            let sheets = programs.map { program -> SheetStatus in
                let sheet = SheetStatus()
                sheet.id = UUID()
                sheet.$cycle.id = cycleID
                sheet.$program.id = program.id ?? UUID()
                sheet.status = SheetState.draft.rawValue
                sheet.version = 0
                created("sheets", sheet.id, "\(program.name) \(fiscalYear)")
                return sheet
            }
            // Multi-row INSERTs with the columns named once (Fluent reflects on every model).
            try await sheets.bulkCreate(on: tx)

            var carried: [IndicatorValue] = []
            for chunk in programIDs.chunked(into: 500) {
                // Only the KPIs' ids and names are needed: read with named columns rather than
                // decoding every field of 12,000 models.
                struct KPI: Decodable { var id: UUID; var name: String }
                let indicators: [KPI]
                if let sql = tx as? any SQLDatabase {
                    indicators = try await sql.select().columns("id", "name").from(Indicator.schema).where("program_id", .in, chunk).all(decoding: KPI.self)
                } else {
                    indicators = try await Indicator.query(on: tx).filter(\.$program.$id ~~ chunk).all().compactMap { i in i.id.map { KPI(id: $0, name: i.name) } }
                }
                let ids = indicators.map(\.id)
                // The latest value up to the year, per indicator: read with named columns
                // (Fluent's per-row reflection over every year of every KPI took most of
                // opening a year in a city of 3,000 programs).
                // Most KPIs have a value for the year before: read those two years first, and
                // go further back only for the KPIs that have none.
                var latest: [UUID: DatasetLoader.ValueRow] = [:]
                func keepLatest(_ rows: [DatasetLoader.ValueRow]) {
                    for row in rows where row.fiscalYear <= fiscalYear {
                        if let known = latest[row.indicator], known.fiscalYear >= row.fiscalYear { continue }
                        latest[row.indicator] = row
                    }
                }
                keepLatest(try await DatasetLoader.valueRows(of: ids, years: (fiscalYear - 1)...fiscalYear, on: tx))
                let older = ids.filter { latest[$0] == nil }
                if !older.isEmpty { keepLatest(try await DatasetLoader.valueRows(of: older, years: 1...(fiscalYear - 2), on: tx)) }
                for indicator in indicators {
                    let id = indicator.id
                    guard latest[id]?.fiscalYear != fiscalYear else { continue }
                    let last = latest[id]
                    let value = IndicatorValue()
                    value.id = UUID()
                    value.$indicator.id = id
                    value.fiscalYear = fiscalYear
                    value.targetRaw = last?.targetRaw ?? ""
                    value.targetValue = last.flatMap { Measure.parse($0.targetRaw).numericValue }.map { NSDecimalNumber(decimal: $0).stringValue }
                    value.actualRaw = ""
                    value.actualValue = nil
                    value.publishedRateRaw = nil
                    carried.append(value)
                    created("indicator_values", value.id, "\(indicator.name) \(fiscalYear)")
                }
            }
            try await carried.bulkCreate(on: tx)
            try await entries.bulkCreate(on: tx)
            try await PublicReadModel.advance(after: entries, on: tx)
            // A year with a cycle is public only once published (`PublicYears`): the
            // planned figures that earlier sheets printed for it leave the portal now.
            // Opening changes no published data, only which years are public: the stored
            // findings of the years still shown stay (running the checks again was a third
            // of opening a year).
            try await PublicReadModel.refresh(municipalityID: municipalityID, checks: .unchanged, on: tx)
            return Opened(cycleID: cycleID, sheets: sheets.count, carriedTargets: carried.filter { !$0.targetRaw.isEmpty }.count)
        }
    }

    /// Moves the cycle one phase on. Finalizing needs every sheet approved; publishing
    /// publishes every sheet with the cycle, and only then does the portal show them.
    /// Publishing while the checks report errors needs `override`, the planner's reason,
    /// which is audited.
    static func advance(_ cycleID: UUID, from expected: CyclePhase?, override: String? = nil, by user: User, on db: any Database) async throws -> CyclePhase {
        try await db.writeTransaction { tx in
            guard let cycle = try await Cycle.find(cycleID, on: tx) else { throw StaffError.notFound("評価サイクル", "cycle") }
            let phase = cycle.cyclePhase
            try Access.require(user, phase == .finalized ? .publishCycle : .manageCycle, on: Policy.Target(municipalityID: cycle.$municipality.id))
            // The button names the phase it moves from: a double click or a second planner
            // does not skip a phase.
            guard let expected else {
                throw StaffError(status: .unprocessableEntity, japanese: "フォームに現在の段階がありません。読み込み直してください", english: "the form does not say the current phase; reload")
            }
            guard phase == expected else {
                throw StaffError(status: .conflict, japanese: "評価サイクルはすでに「\(phase.japanese)」に進んでいます。画面を読み込み直してください",
                                 english: "the cycle is already in \(phase.english); reload the page")
            }
            let sheets = try await SheetStatus.query(on: tx).filter(\.$cycle.$id == cycleID).all()
            let unapproved = sheets.filter { $0.status != SheetState.approved.rawValue && $0.status != SheetState.published.rawValue }.count
            let next: CyclePhase
            switch CycleWorkflow.advance(phase, unapproved: unapproved) {
            case let .success(value): next = value
            case let .failure(refusal): throw StaffError(status: .conflict, japanese: refusal.japanese, english: refusal.english)
            }
            let audit = Audit(actor: user.login, userID: user.id, source: "form")
            // The checks run once over the municipality's data: their errors decide whether
            // the cycle may be published, and all of them go to the read model below.
            var checked: [LintFinding] = []
            if next == .published {
                checked = try await CycleChecks.all(of: cycle, on: tx)
                let errors = try await CycleChecks.findings(of: cycle, among: checked, on: tx).filter { $0.finding.severity == .error }
                let reason = override?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                if !errors.isEmpty {
                    guard !reason.isEmpty else {
                        throw StaffError(status: .conflict,
                                         japanese: "点検でエラーが\(errors.count)件残っています。シートを直すか、公表する理由を記録してから公表してください",
                                         english: "the checks report \(errors.count) errors; fix the sheets, or record why the cycle is published anyway")
                    }
                    try await audit.record(on: tx, municipalityID: cycle.$municipality.id, entity: "cycles", id: cycleID, label: "\(cycle.fiscalYear)",
                                           [.init(field: "publication_override", before: nil, after: "エラー\(errors.count)件: \(reason)")])
                }
            }
            guard try await claimPhase(cycleID, from: phase, to: next, on: tx) else { throw phaseMoved }
            cycle.phase = next.rawValue
            if next == .published { cycle.publishedAt = HyokaClock.date }
            try await cycle.save(on: tx)
            try await audit.record(on: tx, municipalityID: cycle.$municipality.id, entity: "cycles", id: cycleID, label: "\(cycle.fiscalYear)",
                                   [.init(field: "phase", before: phase.rawValue, after: next.rawValue)])
            if next == .published {
                // Every approved sheet in one UPDATE and its audit entries in multi-row
                // INSERTs: saving 3,000 sheets one by one was most of a publication's time.
                guard let sql = tx as? any SQLDatabase else { throw Abort(.internalServerError, reason: "an SQL database is needed") }
                let approved = sheets.filter { $0.status == SheetState.approved.rawValue }
                let now = HyokaClock.date
                try await sql.update(SheetStatus.schema)
                    .set("status", to: SheetState.published.rawValue).set("version", to: SQLRaw("version + 1")).set("updated_at", to: now)
                    .where("cycle_id", .equal, cycleID).where("status", .equal, SheetState.approved.rawValue).run()
                let entries = approved.map { sheet in
                    AuditEntry(municipalityID: cycle.$municipality.id, userID: user.id, actor: user.login, source: "form", at: now, entity: "sheets",
                               entityID: sheet.id, label: "\(cycle.fiscalYear)", field: "status",
                               before: SheetState.approved.rawValue, after: SheetState.published.rawValue)
                }
                try await entries.bulkCreate(on: tx)
                // What the public sees is derived now, in this transaction, not by the
                // first visitor.
                try await PublicReadModel.refresh(municipalityID: cycle.$municipality.id, checks: .ran(checked), on: tx)
            }
            return next
        }
    }

    /// Moves the phase in one conditional UPDATE, as a save claims its version: of two
    /// requests that both read the same phase (a double click, two planners), the second
    /// waits for the first's row lock (PostgreSQL) or its write lock (SQLite), then finds the
    /// phase moved and changes nothing. False when the phase was not `from` any more.
    static func claimPhase(_ cycleID: UUID, from: CyclePhase, to: CyclePhase, on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError, reason: "an SQL database is needed") }
        struct Row: Decodable { var id: UUID }
        return try await sql.raw("""
            UPDATE cycles SET phase = \(bind: to.rawValue) WHERE id = \(bind: cycleID) AND phase = \(bind: from.rawValue) RETURNING id
            """).first(decoding: Row.self) != nil
    }

    static let phaseMoved = StaffError(status: .conflict, japanese: "評価サイクルの段階が同時に変更されました。画面を読み込み直してください",
                                       english: "the cycle's phase was changed at the same moment; reload the page")

    /// Moves the cycle one phase back (審査 → 入力 to let sections edit again, 確定 → 審査 to
    /// return a sheet), with the planner's reason, audited. Sheets keep their states.
    static func back(_ cycleID: UUID, from expected: CyclePhase?, reason: String?, by user: User, on db: any Database) async throws -> CyclePhase {
        try await db.writeTransaction { tx in
            guard let cycle = try await Cycle.find(cycleID, on: tx) else { throw StaffError.notFound("評価サイクル", "cycle") }
            try Access.require(user, .manageCycle, on: Policy.Target(municipalityID: cycle.$municipality.id))
            let phase = cycle.cyclePhase
            guard let expected, phase == expected else {
                throw StaffError(status: .conflict, japanese: "評価サイクルの段階が変わっています（現在: \(phase.japanese)）。画面を読み込み直してください",
                                 english: "the cycle's phase has changed (now \(phase.english)); reload the page")
            }
            let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard !reason.isEmpty else {
                throw StaffError(status: .unprocessableEntity, japanese: "段階を戻す理由を書いてください（各課への説明として記録されます）",
                                 english: "write why the phase goes back (it is recorded for the sections)")
            }
            let previous: CyclePhase
            switch CycleWorkflow.back(phase) {
            case let .success(value): previous = value
            case let .failure(refusal): throw StaffError(status: .conflict, japanese: refusal.japanese, english: refusal.english)
            }
            guard try await claimPhase(cycleID, from: phase, to: previous, on: tx) else { throw phaseMoved }
            cycle.phase = previous.rawValue
            try await cycle.save(on: tx)
            try await Audit(actor: user.login, userID: user.id, source: "form").record(
                on: tx, municipalityID: cycle.$municipality.id, entity: "cycles", id: cycleID, label: "\(cycle.fiscalYear)",
                [.init(field: "phase", before: phase.rawValue, after: previous.rawValue), .init(field: "phase_back_reason", before: nil, after: reason)])
            return previous
        }
    }

    /// Sets the deadlines of a cycle not yet published.
    static func setDeadlines(_ cycleID: UUID, input: Date?, review: Date?, by user: User, on db: any Database) async throws {
        try await db.writeTransaction { tx in
            guard let cycle = try await Cycle.find(cycleID, on: tx) else { throw StaffError.notFound("評価サイクル", "cycle") }
            try Access.require(user, .manageCycle, on: Policy.Target(municipalityID: cycle.$municipality.id))
            if let input, let review, review < input {
                throw StaffError(status: .unprocessableEntity, japanese: "審査の期限は入力の期限より後にしてください", english: "the review deadline must come after the input deadline")
            }
            let format = { (date: Date?) in date.map { StaffForm.day($0) } }
            let before = (format(cycle.inputDeadline), format(cycle.reviewDeadline))
            cycle.inputDeadline = input
            cycle.reviewDeadline = review
            try await cycle.save(on: tx)
            try await Audit(actor: user.login, userID: user.id, source: "form").record(
                on: tx, municipalityID: cycle.$municipality.id, entity: "cycles", id: cycleID, label: "\(cycle.fiscalYear)",
                [.init(field: "input_deadline", before: before.0, after: format(input)), .init(field: "review_deadline", before: before.1, after: format(review))])
        }
    }
}

/// Hyoka's checks over a cycle: the findings of the cycle's year about the programs that
/// have a sheet in it (the same `Lint` as `hyoka lint`, the public sheet and the sheet form).
enum CycleChecks {
    struct Finding: Sendable {
        var program: String
        var sheetID: UUID?
        var finding: LintFinding
    }

    static func findings(of cycle: Cycle, on db: any Database) async throws -> [Finding] {
        guard let municipality = try await Municipality.find(cycle.$municipality.id, on: db) else { return [] }
        let year = cycle.fiscalYear
        let dataset = try await DatasetLoader.load(on: db, municipalityCode: municipality.code, fiscalYears: (year - 1)...year)
        return try await findings(of: cycle, among: Lint.check(dataset), on: db)
    }

    /// The checks over all the municipality's data (publication keeps them for the portal).
    static func all(of cycle: Cycle, on db: any Database) async throws -> [LintFinding] {
        guard let municipality = try await Municipality.find(cycle.$municipality.id, on: db) else { return [] }
        return Lint.check(try await DatasetLoader.load(on: db, municipalityCode: municipality.code))
    }

    /// Of `found`, those of the cycle's year (or of no year) about a program with a sheet in it.
    static func findings(of cycle: Cycle, among found: [LintFinding], on db: any Database) async throws -> [Finding] {
        guard let cycleID = cycle.id else { return [] }
        let year = cycle.fiscalYear
        struct Sheet: Decodable { var id: UUID; var name: String }
        let sheets = try await DatasetLoader.rows("""
            SELECT s.id, p.name FROM sheet_statuses s JOIN programs p ON s.program_id = p.id WHERE s.cycle_id = \(bind: cycleID)
            """, as: Sheet.self, on: db)
        let sheetOf = Dictionary(sheets.map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
        return found.compactMap { finding -> Finding? in
            guard finding.fiscalYear == year || finding.fiscalYear == nil else { return nil }
            // Findings name their record: a program, or `program / indicator`.
            let program = finding.record.components(separatedBy: " / ").first ?? finding.record
            guard let sheetID = sheetOf[program] else { return nil }
            return Finding(program: program, sheetID: sheetID, finding: finding)
        }
    }
}
