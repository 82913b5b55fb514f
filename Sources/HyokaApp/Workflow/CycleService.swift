import Fluent
import Foundation
import HyokaCore
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
        return try await db.transaction { tx in
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

            var programIDs: [UUID]
            if let previous = cycles.filter({ $0.fiscalYear < fiscalYear }).max(by: { $0.fiscalYear < $1.fiscalYear }), let previousID = previous.id {
                programIDs = try await SheetStatus.query(on: tx).filter(\.$cycle.$id == previousID).all().map(\.$program.id)
            } else {
                programIDs = try await Program.query(on: tx).filter(\.$municipality.$id == municipalityID).all().compactMap(\.id)
            }
            var programs: [Program] = []
            for chunk in programIDs.chunked(into: 500) {
                programs += try await Program.query(on: tx).filter(\.$id ~~ chunk).all()
            }
            programs = programs.filter { ($0.endFiscalYear ?? Int.max) >= fiscalYear && ($0.startFiscalYear ?? Int.min) <= fiscalYear }
            programIDs = programs.compactMap(\.id)

            var entries: [AuditEntry] = []
            let now = Date()
            func created(_ entity: String, _ id: UUID?, _ label: String) {
                entries.append(AuditEntry(municipalityID: municipalityID, userID: user.id, actor: user.login, source: "form", at: now,
                                          entity: entity, entityID: id, label: label, field: "*", before: nil, after: "created"))
            }
            let sheets = programs.map { program -> SheetStatus in
                let sheet = SheetStatus()
                sheet.id = UUID()
                sheet.$cycle.id = cycleID
                sheet.$program.id = program.id!
                sheet.status = SheetState.draft.rawValue
                sheet.version = 0
                created("sheets", sheet.id, "\(program.name) \(fiscalYear)")
                return sheet
            }
            for chunk in sheets.chunked(into: 500) { try await chunk.create(on: tx) }

            var carried: [IndicatorValue] = []
            for chunk in programIDs.chunked(into: 500) {
                let indicators = try await Indicator.query(on: tx).filter(\.$program.$id ~~ chunk).all()
                let ids = indicators.compactMap(\.id)
                var values: [UUID: [Int: IndicatorValue]] = [:]
                for idChunk in ids.chunked(into: 500) {
                    for v in try await IndicatorValue.query(on: tx).filter(\.$indicator.$id ~~ idChunk).filter(\.$fiscalYear <= fiscalYear).all() {
                        values[v.$indicator.id, default: [:]][v.fiscalYear] = v
                    }
                }
                for indicator in indicators {
                    guard let id = indicator.id, values[id]?[fiscalYear] == nil else { continue }
                    let last = values[id]?.keys.max().flatMap { values[id]?[$0] }
                    let value = IndicatorValue()
                    value.id = UUID()
                    value.$indicator.id = id
                    value.fiscalYear = fiscalYear
                    value.targetRaw = last?.targetRaw ?? ""
                    value.targetValue = last?.targetValue
                    value.actualRaw = ""
                    value.actualValue = nil
                    carried.append(value)
                    created("indicator_values", value.id, "\(indicator.name) \(fiscalYear)")
                }
            }
            for chunk in carried.chunked(into: 500) { try await chunk.create(on: tx) }
            for chunk in entries.chunked(into: 1_000) { try await chunk.create(on: tx) }
            return Opened(cycleID: cycleID, sheets: sheets.count, carriedTargets: carried.filter { !$0.targetRaw.isEmpty }.count)
        }
    }

    /// Moves the cycle one phase on. Finalizing needs every sheet approved; publishing
    /// publishes every sheet with the cycle, and only then does the portal show them.
    static func advance(_ cycleID: UUID, from expected: CyclePhase?, by user: User, on db: any Database) async throws -> CyclePhase {
        try await db.transaction { tx in
            guard let cycle = try await Cycle.find(cycleID, on: tx) else { throw StaffError.notFound("評価サイクル", "cycle") }
            let phase = CyclePhase(rawValue: cycle.phase) ?? .preparation
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
            cycle.phase = next.rawValue
            if next == .published { cycle.publishedAt = Date() }
            try await cycle.save(on: tx)
            try await audit.record(on: tx, municipalityID: cycle.$municipality.id, entity: "cycles", id: cycleID, label: "\(cycle.fiscalYear)",
                                   [.init(field: "phase", before: phase.rawValue, after: next.rawValue)])
            if next == .published {
                for sheet in sheets where sheet.status == SheetState.approved.rawValue {
                    sheet.status = SheetState.published.rawValue
                    sheet.version += 1
                    try await sheet.save(on: tx)
                    try await audit.record(on: tx, municipalityID: cycle.$municipality.id, entity: "sheets", id: sheet.id, label: "\(cycle.fiscalYear)",
                                           [.init(field: "status", before: SheetState.approved.rawValue, after: SheetState.published.rawValue)])
                }
            }
            return next
        }
    }

    /// Sets the deadlines of a cycle not yet published.
    static func setDeadlines(_ cycleID: UUID, input: Date?, review: Date?, by user: User, on db: any Database) async throws {
        try await db.transaction { tx in
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
