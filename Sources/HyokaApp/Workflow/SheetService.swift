import Fluent
import Foundation
import HyokaCore
import Vapor

/// A program's sheet in a cycle as its section edits it: the KPIs' targets and actuals, the
/// budget line and the self-evaluation of the cycle's fiscal year.
struct SheetContent {
    var status: SheetStatus
    var cycle: Cycle
    var program: Program
    var municipality: Municipality
    var indicators: [Indicator]
    /// Values of the cycle's year and of the year before (for relative targets), by indicator.
    var values: [UUID: IndicatorValue]
    var previous: [UUID: IndicatorValue]
    var budget: BudgetLine?
    var evaluation: Evaluation?

    var year: Int { cycle.fiscalYear }
    var state: SheetState { SheetState(rawValue: status.status) ?? .draft }
    var phase: CyclePhase { CyclePhase(rawValue: cycle.phase) ?? .preparation }
    var formula: LowerIsBetterFormula { LowerIsBetterFormula(rawValue: municipality.lowerIsBetterFormula) ?? .default }

    static func load(_ statusID: UUID, on db: any Database) async throws -> SheetContent {
        guard let status = try await SheetStatus.find(statusID, on: db),
              let cycle = try await Cycle.find(status.$cycle.id, on: db),
              let program = try await Program.find(status.$program.id, on: db),
              let municipality = try await Municipality.find(program.$municipality.id, on: db) else {
            throw StaffError.notFound("シート", "sheet")
        }
        let programID = try program.requireID()
        let indicators = try await Indicator.query(on: db).filter(\.$program.$id == programID).sort(\.$sortOrder).all()
        let ids = indicators.compactMap(\.id)
        var values: [UUID: IndicatorValue] = [:], previous: [UUID: IndicatorValue] = [:]
        if !ids.isEmpty {
            for v in try await IndicatorValue.query(on: db).filter(\.$indicator.$id ~~ ids).filter(\.$fiscalYear ~~ [cycle.fiscalYear, cycle.fiscalYear - 1]).all() {
                if v.fiscalYear == cycle.fiscalYear { values[v.$indicator.id] = v } else { previous[v.$indicator.id] = v }
            }
        }
        let budget = try await BudgetLine.query(on: db).filter(\.$program.$id == programID).filter(\.$fiscalYear == cycle.fiscalYear).first()
        let evaluation = try await Evaluation.query(on: db).filter(\.$program.$id == programID).filter(\.$fiscalYear == cycle.fiscalYear)
            .filter(\.$stage == EvaluationStage.selfAssessment.rawValue).first()
        return SheetContent(status: status, cycle: cycle, program: program, municipality: municipality, indicators: indicators,
                            values: values, previous: previous, budget: budget, evaluation: evaluation)
    }

    /// What is stored now, as the form shows it.
    var input: SheetInput {
        var input = SheetInput()
        for indicator in indicators {
            guard let id = indicator.id else { continue }
            input.targets[id] = values[id]?.targetRaw ?? ""
            input.actuals[id] = values[id]?.actualRaw ?? ""
        }
        input.budget = budget?.budgetYen.map { SheetInput.thousands($0) } ?? ""
        input.settlement = budget?.settlementYen.map { SheetInput.thousands($0) } ?? ""
        input.personnelCost = budget?.personnelCostYen.map { SheetInput.thousands($0) } ?? ""
        input.grade = evaluation?.grade ?? ""
        input.direction = evaluation?.direction ?? ""
        input.comment = evaluation?.comment ?? ""
        input.improvement = evaluation?.improvement ?? ""
        return input
    }

    /// 達成率 of each KPI for what the form holds, computed by HyokaCore as on the portal.
    func rates(_ input: SheetInput) -> [UUID: AchievementRate.Result] {
        var rates: [UUID: AchievementRate.Result] = [:]
        for indicator in indicators {
            guard let id = indicator.id else { continue }
            let value = IndicatorValue()
            value.targetRaw = input.targets[id] ?? ""
            value.actualRaw = input.actuals[id] ?? ""
            rates[id] = PublicCatalog.rate(indicator, value, previous: previous[id], formula: formula)
        }
        return rates
    }

    /// The grade the rates suggest (their mean on the evaluation scale).
    func suggestedGrade(_ input: SheetInput) -> GradeScale.Grade? {
        GradeScale.evaluation.suggestedGrade(forRates: rates(input).values.compactMap { try? $0.get() })
    }

    /// The audit entries of this sheet: its status, the program, its KPIs and the year's
    /// values, budget and evaluation. Newest first.
    func history(since: Date? = nil, on db: any Database) async throws -> [AuditEntry] {
        var ids: [UUID] = [status.id, program.id, budget?.id, evaluation?.id].compactMap { $0 }
        ids += indicators.compactMap(\.id) + values.values.compactMap(\.id)
        var query = AuditEntry.query(on: db).filter(\.$entityID ~~ ids)
        if let since { query = query.filter(\.$at >= since) }
        return try await query.sort(\.$at, .descending).all()
    }

    /// What others saved after `version`: the changes since the save that moved the sheet
    /// past it.
    func changes(since version: Int, on db: any Database) async throws -> [AuditEntry] {
        guard let statusID = status.id, let moved = try await AuditEntry.query(on: db).filter(\.$entityID == statusID)
            .filter(\.$field == "version").filter(\.$before == String(version)).sort(\.$at).first() else { return [] }
        return try await history(since: moved.at, on: db)
    }
}

/// The sheet form's fields as typed. Budgets are in 千円 like the printed sheets.
struct SheetInput: Equatable, Sendable {
    var targets: [UUID: String] = [:]
    var actuals: [UUID: String] = [:]
    var budget = "", settlement = "", personnelCost = ""
    var grade = "", direction = "", comment = "", improvement = ""

    static func thousands(_ yen: Int64) -> String {
        yen % 1_000 == 0 ? String(yen / 1_000) : NSDecimalNumber(decimal: Decimal(yen) / 1_000).stringValue
    }

    /// Reads `target.<indicator>`, `actual.<indicator>`, `budget` … from a posted form.
    init(form: [String: String] = [:]) {
        for (key, value) in form {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if key.hasPrefix("target."), let id = UUID(uuidString: String(key.dropFirst(7))) { targets[id] = trimmed }
            if key.hasPrefix("actual."), let id = UUID(uuidString: String(key.dropFirst(7))) { actuals[id] = trimmed }
        }
        budget = form["budget", default: ""].trimmingCharacters(in: .whitespaces)
        settlement = form["settlement", default: ""].trimmingCharacters(in: .whitespaces)
        personnelCost = form["personnelCost", default: ""].trimmingCharacters(in: .whitespaces)
        grade = form["grade", default: ""].trimmingCharacters(in: .whitespaces)
        direction = form["direction", default: ""].trimmingCharacters(in: .whitespaces)
        comment = form["comment", default: ""].trimmingCharacters(in: .whitespacesAndNewlines)
        improvement = form["improvement", default: ""].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A message next to a field.
    struct Problem: Equatable, Sendable {
        var japanese: String
        var english: String
    }

    /// Problems by field name; empty when the input can be saved.
    func validate(indicators: [Indicator]) -> [String: Problem] {
        var problems: [String: Problem] = [:]
        for indicator in indicators {
            guard let id = indicator.id else { continue }
            for (field, text) in [("target.\(id.uuidString)", targets[id] ?? ""), ("actual.\(id.uuidString)", actuals[id] ?? "")] where text.count > 200 {
                problems[field] = Problem(japanese: "200字以内で書いてください（\(text.count)字）", english: "at most 200 characters (\(text.count))")
            }
        }
        for (field, text) in [("budget", budget), ("settlement", settlement), ("personnelCost", personnelCost)] where !text.isEmpty {
            do { _ = try Money.parse(text, defaultUnit: .thousandYen) } catch {
                problems[field] = Problem(japanese: "千円単位の金額で書いてください（例: 4,221）。「\(text)」は金額として読めません",
                                          english: "write an amount in thousands of yen (e.g. 4,221); \"\(text)\" is not one")
            }
        }
        if !grade.isEmpty, GradeScale.evaluation.grade(named: grade) == nil {
            problems["grade"] = Problem(japanese: "評価は一覧から選んでください", english: "choose a grade from the list")
        }
        if !direction.isEmpty, GradeScale.direction.grade(named: direction) == nil {
            problems["direction"] = Problem(japanese: "今後の方向性は一覧から選んでください", english: "choose a direction from the list")
        }
        for (field, text) in [("comment", comment), ("improvement", improvement)] where text.count > 2_000 {
            problems[field] = Problem(japanese: "2,000字以内で書いてください（\(text.count)字）", english: "at most 2,000 characters (\(text.count))")
        }
        return problems
    }

    func yen(_ text: String) -> Int64? { text.isEmpty ? nil : (try? Money.parse(text, defaultUnit: .thousandYen))?.yen }
}

/// Saves and moves sheets, each in one transaction that first claims the sheet's version.
enum SheetService {
    /// A save or step based on a version the sheet has left.
    struct Conflict: Error {
        var current: Int
    }

    enum SaveOutcome {
        case saved(version: Int)
        case invalid([String: SheetInput.Problem])
        /// Someone saved first: nothing was written; `changes` is what they changed.
        case conflict(changes: [AuditEntry])
    }

    static func save(_ statusID: UUID, input: SheetInput, basedOn version: Int, by user: User, source: String = "form", on db: any Database) async throws -> SaveOutcome {
        // Who may save, and whether the input is valid, is answered before anything is
        // written; the state is checked again inside the transaction.
        let before = try await SheetContent.load(statusID, on: db)
        try Access.require(user, .editSheet, on: try await Access.target(program: before.program, on: db))
        try requireEditable(before)
        let problems = input.validate(indicators: before.indicators)
        guard problems.isEmpty else { return .invalid(problems) }
        do {
            return try await db.transaction { tx in
                // The claim is the transaction's first statement: on SQLite a transaction
                // that starts by writing waits for the write lock instead of failing to
                // upgrade a read snapshot another writer has moved past.
                guard let next = try await RecordVersion.claim(.sheets, id: statusID, expected: version, on: tx) else {
                    throw Conflict(current: before.status.version)
                }
                let content = try await SheetContent.load(statusID, on: tx)
                try requireEditable(content)
                try await apply(input, to: content, newVersion: next, by: user, source: source, on: tx)
                return .saved(version: next)
            }
        } catch is Conflict {
            let content = try await SheetContent.load(statusID, on: db)
            return .conflict(changes: try await content.changes(since: version, on: db))
        }
    }

    static func requireEditable(_ content: SheetContent) throws {
        guard SheetWorkflow.isEditable(content.state, phase: content.phase) else {
            throw StaffError(status: .conflict,
                             japanese: "「\(content.state.japanese)」のシートは編集できません（評価サイクル: \(content.phase.japanese)）。差し戻されると編集できます",
                             english: "a \(content.state.english.lowercased()) sheet cannot be edited (cycle: \(content.phase.english)); it can once returned")
        }
    }

    /// Writes the input onto the sheet's records and audits each changed field; the caller
    /// has claimed `newVersion` in the same transaction.
    static func apply(_ input: SheetInput, to content: SheetContent, newVersion: Int, by user: User, source: String = "form", on db: any Database) async throws {
        let audit = Audit(actor: user.login, userID: user.id, source: source)
        let municipalityID = content.municipality.id
        let label = "\(content.program.name) \(content.year)"
        func number(_ raw: String) -> String? { Measure.parse(raw).numericValue.map { NSDecimalNumber(decimal: $0).stringValue } }

        try await audit.record(on: db, municipalityID: municipalityID, entity: "sheets", id: content.status.id, label: label,
                               [.init(field: "version", before: String(newVersion - 1), after: String(newVersion))])
        for indicator in content.indicators {
            guard let id = indicator.id else { continue }
            let target = input.targets[id] ?? "", actual = input.actuals[id] ?? ""
            let existing = content.values[id]
            if existing == nil, target.isEmpty, actual.isEmpty { continue }
            let value = existing ?? IndicatorValue()
            let before = (value.targetRaw as String?, value.actualRaw as String?)
            if existing == nil {
                value.$indicator.id = id
                value.fiscalYear = content.year
            }
            value.targetRaw = target
            value.targetValue = number(target)
            value.actualRaw = actual
            value.actualValue = number(actual)
            guard existing == nil || before.0 != target || before.1 != actual else { continue }
            try await value.save(on: db)
            try await audit.record(on: db, municipalityID: municipalityID, entity: "indicator_values", id: value.id, label: "\(indicator.name) \(content.year)", [
                .init(field: "target_raw", before: existing == nil ? nil : before.0, after: target),
                .init(field: "actual_raw", before: existing == nil ? nil : before.1, after: actual),
            ])
        }

        let amounts = (budget: input.yen(input.budget), settlement: input.yen(input.settlement), personnel: input.yen(input.personnelCost))
        if content.budget != nil || amounts.budget != nil || amounts.settlement != nil || amounts.personnel != nil {
            let line = content.budget ?? BudgetLine()
            let before = (line.id == nil ? nil : line.budgetYen, line.id == nil ? nil : line.settlementYen, line.id == nil ? nil : line.personnelCostYen)
            if line.id == nil {
                line.$program.id = try content.program.requireID()
                line.fiscalYear = content.year
            }
            line.budgetYen = amounts.budget
            line.settlementYen = amounts.settlement
            line.personnelCostYen = amounts.personnel
            if line.id == nil || before.0 != amounts.budget || before.1 != amounts.settlement || before.2 != amounts.personnel {
                try await line.save(on: db)
                try await audit.record(on: db, municipalityID: municipalityID, entity: "budgets", id: line.id, label: label, [
                    .init(field: "budget_yen", before: before.0.map(String.init), after: amounts.budget.map(String.init)),
                    .init(field: "settlement_yen", before: before.1.map(String.init), after: amounts.settlement.map(String.init)),
                    .init(field: "personnel_cost_yen", before: before.2.map(String.init), after: amounts.personnel.map(String.init)),
                ])
            }
        }

        let grade = GradeScale.evaluation.grade(named: input.grade)?.label, direction = GradeScale.direction.grade(named: input.direction)?.label
        let texts: [String?] = [grade, direction, input.comment.isEmpty ? nil : input.comment, input.improvement.isEmpty ? nil : input.improvement]
        if content.evaluation != nil || texts.contains(where: { $0 != nil }) {
            let e = content.evaluation ?? Evaluation()
            let before: [String?] = e.id == nil ? [nil, nil, nil, nil] : [e.grade, e.direction, e.comment, e.improvement]
            if e.id == nil {
                e.$program.id = try content.program.requireID()
                e.fiscalYear = content.year
                e.stage = EvaluationStage.selfAssessment.rawValue
            }
            (e.grade, e.direction, e.comment, e.improvement) = (texts[0], texts[1], texts[2], texts[3])
            e.author = user.displayName
            e.evaluatedAt = Date()
            if e.id == nil || before != texts {
                try await e.save(on: db)
                try await audit.record(on: db, municipalityID: municipalityID, entity: "evaluations", id: e.id, label: "\(label) 自己評価",
                                       zip(["grade", "direction", "comment", "improvement"], zip(before, texts)).map { .init(field: $0.0, before: $0.1.0, after: $0.1.1) })
            }
        }
    }

    /// 提出・差戻し・承認 of one sheet. A return needs its reason; the editor sees it on the
    /// sheet until it is submitted again.
    static func step(_ statusID: UUID, _ action: SheetAction, basedOn version: Int, reason: String?, by user: User, source: String = "form", on db: any Database) async throws -> SheetStatus {
        let policyAction: Policy.Action = switch action {
        case .submit: .submitSheet
        case .return: .returnSheet
        case .approve: .approveSheet
        case .publish: .publishCycle
        }
        let before = try await SheetContent.load(statusID, on: db)
        try Access.require(user, policyAction, on: try await Access.target(program: before.program, on: db))
        guard action != .publish else {
            throw StaffError(status: .conflict, japanese: "シートは評価サイクルの公表と同時に公表されます", english: "sheets are published with their cycle")
        }
        return try await db.transaction { tx in
            guard let newVersion = try await RecordVersion.claim(.sheets, id: statusID, expected: version, on: tx) else {
                throw StaffError(status: .conflict, japanese: "このシートは開いた後に変更されています。読み込み直して確認してから、もう一度操作してください",
                                 english: "the sheet changed after you opened it; reload it, check, and try again")
            }
            let content = try await SheetContent.load(statusID, on: tx)
            let next: SheetState
            switch SheetWorkflow.next(content.state, action, phase: content.phase, reason: reason) {
            case let .success(state): next = state
            case let .failure(refusal):
                throw StaffError(status: action == .return && refusal.english.hasPrefix("write why") ? .unprocessableEntity : .conflict,
                                 japanese: refusal.japanese, english: refusal.english)
            }
            let status = content.status
            let beforeState = status.status, beforeReason = status.returnReason
            status.status = next.rawValue
            status.version = newVersion
            switch action {
            case .return: status.returnReason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
            case .approve: status.returnReason = nil
            default: break
            }
            try await status.save(on: tx)
            try await Audit(actor: user.login, userID: user.id, source: source).record(
                on: tx, municipalityID: content.municipality.id, entity: "sheets", id: statusID, label: "\(content.program.name) \(content.year)", [
                    .init(field: "version", before: String(newVersion - 1), after: String(newVersion)),
                    .init(field: "status", before: beforeState, after: next.rawValue),
                    .init(field: "return_reason", before: beforeReason, after: status.returnReason),
                ])
            return status
        }
    }
}
