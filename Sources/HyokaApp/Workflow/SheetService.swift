import Fluent
import Foundation
import HyokaCore
import HyokaImport
import SQLKit
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
    /// The year before's budget line, for 事業費の増減 in the checks.
    var previousBudget: BudgetLine?
    var evaluation: Evaluation?
    /// The self-evaluation's checklist as stored, in order.
    var viewpoints: [EvaluationViewpoint] = []
    /// The viewpoints the municipality's checklist asks (its configuration), in order.
    var configuredViewpoints: [String] { (municipality.evaluationViewpoints ?? "").split(separator: "\n").map(String.init) }

    var year: Int { cycle.fiscalYear }
    var state: SheetState { status.state }
    var phase: CyclePhase { cycle.cyclePhase }
    var formula: LowerIsBetterFormula { municipality.formula }

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
        let budgets = try await BudgetLine.query(on: db).filter(\.$program.$id == programID).filter(\.$fiscalYear ~~ [cycle.fiscalYear, cycle.fiscalYear - 1]).all()
        let budget = budgets.first { $0.fiscalYear == cycle.fiscalYear }, previousBudget = budgets.first { $0.fiscalYear == cycle.fiscalYear - 1 }
        let evaluation = try await Evaluation.query(on: db).filter(\.$program.$id == programID).filter(\.$fiscalYear == cycle.fiscalYear)
            .filter(\.$stage == EvaluationStage.selfAssessment.rawValue).first()
        var viewpoints: [EvaluationViewpoint] = []
        if let evaluationID = evaluation?.id {
            viewpoints = try await EvaluationViewpoint.query(on: db).filter(\.$evaluation.$id == evaluationID).sort(\.$position).all()
        }
        return SheetContent(status: status, cycle: cycle, program: program, municipality: municipality, indicators: indicators,
                            values: values, previous: previous, budget: budget, previousBudget: previousBudget, evaluation: evaluation,
                            viewpoints: viewpoints)
    }

    /// Hyoka's checks (`Lint`, the same rules as `hyoka lint` and the public sheet) of this
    /// sheet as the form holds it, for the cycle's year: shown to the section while it edits,
    /// to the approver and to the planner before publication.
    func findings(_ input: SheetInput) -> [LintFinding] {
        let code = municipality.code
        var d = Dataset()
        d.municipalities = [DatasetLoader.municipalityRecord(municipality)]
        d.programs = [ProgramRecord(municipalityCode: code, name: program.name, number: program.number)]
        let owner = IndicatorOwner.program(name: program.name)
        for indicator in indicators {
            guard let id = indicator.id else { continue }
            d.indicators.append(DatasetLoader.indicatorRecord(indicator, code: code, owner: owner))
            var now = IndicatorValueRecord(municipalityCode: code, owner: owner, indicatorName: indicator.name, fiscalYear: year)
            now.targetRaw = input.targets[id] ?? ""
            now.actualRaw = input.actuals[id] ?? ""
            d.indicatorValues.append(now)
            if let before = previous[id] {
                var record = IndicatorValueRecord(municipalityCode: code, owner: owner, indicatorName: indicator.name, fiscalYear: year - 1)
                record.targetRaw = before.targetRaw
                record.actualRaw = before.actualRaw
                d.indicatorValues.append(record)
            }
        }
        if let previousBudget { d.budgets.append(DatasetLoader.budgetRecord(previousBudget, code: code, program: program.name)) }
        var line = budget.map { DatasetLoader.budgetRecord($0, code: code, program: program.name) } ?? BudgetRecord(municipalityCode: code, program: program.name, fiscalYear: year)
        line.budget = input.yen(input.budget).map(Money.init(yen:))
        line.settlement = input.yen(input.settlement).map(Money.init(yen:))
        line.personnelCost = personnelCost(input).map(Money.init(yen:))
        line.workHours = SheetInput.decimal(input.workHours)
        line.staffCount = SheetInput.decimal(input.staffCount)
        d.budgets.append(line)
        var evaluation = EvaluationRecord(municipalityCode: code, subject: .program(name: program.name), fiscalYear: year, stage: .selfAssessment)
        evaluation.grade = input.grade.isEmpty ? nil : input.grade
        d.evaluations.append(evaluation)
        return Lint.check(d).filter { $0.fiscalYear == nil || $0.fiscalYear == year }
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
        for (name, value) in Self.profile(of: program) { input.profile[name] = value ?? "" }
        input.workHours = budget?.workHours ?? ""
        input.staffCount = budget?.staffCount ?? ""
        input.expectedOutcome = evaluation?.expectedOutcome ?? ""
        input.expectedCost = evaluation?.expectedCost ?? ""
        for (position, name) in configuredViewpoints.enumerated() {
            let stored = viewpoints.first { $0.viewpoint == name }
            input.judgements[position] = stored?.judgement ?? ""
            input.reasons[position] = stored?.reason ?? ""
        }
        return input
    }

    /// The program's texts the form edits, by form field name (nil when not stated).
    static func profile(of program: Program) -> [(String, String?)] {
        [("legalBasis", program.legalBasis), ("category", program.category), ("periodKind", program.periodKind),
         ("budgetAccounts", program.budgetAccounts), ("purposeTarget", program.purposeTarget), ("purposeIntent", program.purposeIntent),
         ("purposeResult", program.purposeResult), ("meansPreviousYear", program.meansPreviousYear), ("meansThisYear", program.meansThisYear)]
    }

    /// 人件費 as the form gives it, or 延べ業務時間 × the municipality's hourly cost when the
    /// form gives hours and no 人件費 (as a city's sheet computes it).
    func personnelCost(_ input: SheetInput) -> Int64? {
        if let typed = input.yen(input.personnelCost) { return typed }
        guard let hours = SheetInput.decimal(input.workHours), let rate = municipality.personnelCostPerHourYen else { return nil }
        return NSDecimalNumber(decimal: hours * Decimal(rate)).int64Value
    }

    /// The program's figures as the form holds them (this year's texts and money over last
    /// year's stored ones), derived by HyokaCore's one derivation, as on the portal.
    func figures(_ input: SheetInput) -> ProgramFigures {
        let kpis = indicators.map { indicator in
            var values: [Int: (target: String, actual: String)] = [:]
            if let id = indicator.id {
                values[year] = (input.targets[id] ?? "", input.actuals[id] ?? "")
                if let before = previous[id] { values[year - 1] = (before.targetRaw, before.actualRaw) }
            }
            return ProgramFigures.KPI(stored: indicator.stored(defaultFormula: formula), values: values)
        }
        var money: [Int: ProgramFigures.YearMoney] = [
            year: .init(budget: input.yen(input.budget).map(Money.init(yen:)), settlement: input.yen(input.settlement).map(Money.init(yen:)),
                        personnelCost: personnelCost(input).map(Money.init(yen:)))]
        if let before = previousBudget { money[year - 1] = before.money }
        return ProgramFigures(budgets: money, kpis: kpis, thresholdPercent: municipality.budgetTrendThreshold)
    }

    /// 達成率 of each KPI for what the form holds.
    func rates(_ input: SheetInput) -> [UUID: AchievementRate.Result] {
        let figures = figures(input)
        var rates: [UUID: AchievementRate.Result] = [:]
        for (index, indicator) in indicators.enumerated() {
            guard let id = indicator.id else { continue }
            rates[id] = figures.rate(of: index, in: year)
        }
        return rates
    }

    /// The grade the rates suggest (their mean on the evaluation scale).
    func suggestedGrade(_ input: SheetInput) -> GradeScale.Grade? {
        figures(input).suggestedGrade(in: year)
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
    /// 延べ業務時間 and 正規職員従事人数 of the year.
    var workHours = "", staffCount = ""
    /// 期待成果: 成果 and コスト.
    var expectedOutcome = "", expectedCost = ""
    /// The checklist's judgements and reasons, by the viewpoint's place in the municipality's list.
    var judgements: [Int: String] = [:], reasons: [Int: String] = [:]
    /// The program's own texts, as its sheet states them: 根拠法令, 事務事業区分, 事業期間の区分,
    /// 予算科目 (one account a line), 目的 (対象・意図・結果) and 手段.
    var profile: [String: String] = [:]

    /// The program texts the form edits, by form field name, with what they are.
    static let profileFields: [(name: String, japanese: String, english: String, multiline: Bool)] = [
        ("legalBasis", "根拠法令", "Legal basis", true), ("category", "事務事業区分", "Category", false),
        ("periodKind", "事業期間の区分", "Period", false), ("budgetAccounts", "予算科目（1行に1科目: 会計-款-項-目-事業）", "Budget accounts (one a line)", true),
        ("purposeTarget", "目的: 対象（誰・何を）", "Purpose: target", true), ("purposeIntent", "目的: 意図（どう変えるか）", "Purpose: intent", true),
        ("purposeResult", "目的: 結果（上位への貢献）", "Purpose: result", true), ("meansPreviousYear", "手段: 前年度実績", "Means: last year", true),
        ("meansThisYear", "手段: 今年度計画", "Means: this year's plan", true),
    ]
    static let maxShortTextLength = 200

    static let expectedOutcomes = ["向上", "維持", "低下"]
    static let expectedCosts = ["削減", "維持", "増加"]
    static let maxJudgementLength = 100

    /// A count of hours or people as typed (`280`, `1.5`, full-width digits), or nil.
    static func decimal(_ text: String) -> Decimal? {
        let compact = JapaneseText.compact(text).replacingOccurrences(of: ",", with: "")
        guard !compact.isEmpty, compact.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Decimal(string: compact, locale: Locale(identifier: "en_US_POSIX")), value <= WorkbookTable.maximumCount else { return nil }
        return value
    }

    static func thousands(_ yen: Int64) -> String {
        yen % 1_000 == 0 ? String(yen / 1_000) : NSDecimalNumber(decimal: Decimal(yen) / 1_000).stringValue
    }

    /// Line breaks as one `\n`: browsers post a textarea's lines with CR LF, Excel keeps LF,
    /// and a text that only crossed from one to the other must not count as changed.
    static func normalizedLines(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// Reads `target.<indicator>`, `actual.<indicator>`, `budget` … from a posted form.
    init(form rawForm: [String: String] = [:]) {
        let form = rawForm.mapValues(Self.normalizedLines)
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
        workHours = form["workHours", default: ""].trimmingCharacters(in: .whitespaces)
        staffCount = form["staffCount", default: ""].trimmingCharacters(in: .whitespaces)
        expectedOutcome = form["expectedOutcome", default: ""].trimmingCharacters(in: .whitespaces)
        expectedCost = form["expectedCost", default: ""].trimmingCharacters(in: .whitespaces)
        for field in Self.profileFields {
            if let value = form[field.name] { profile[field.name] = value.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        for (key, value) in form where key.hasPrefix("viewpoint.") {
            // viewpoint.<position>.judgement / viewpoint.<position>.reason
            let parts = key.split(separator: ".")
            guard parts.count == 3, let position = Int(parts[1]), (0..<50).contains(position) else { continue }
            let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if parts[2] == "judgement" { judgements[position] = text } else if parts[2] == "reason" { reasons[position] = text }
        }
    }

    /// A message next to a field.
    struct Problem: Equatable, Sendable {
        var japanese: String
        var english: String
    }

    /// The longest value text of a KPI, and the longest evaluation text (a real 自己評価 is
    /// 200–1,000 characters; the limit leaves room for the longest seen, and is documented in
    /// docs/staff.md).
    static let maxValueLength = 200
    static let maxTextLength = 10_000

    /// Whether the form carries any of the sheet's fields (a step posted from inside the form
    /// does; the separate step buttons do not).
    static func carriesFields(_ form: [String: String]) -> Bool {
        let profileNames = Set(profileFields.map(\.name))
        return form.keys.contains { $0.hasPrefix("target.") || $0.hasPrefix("actual.") || ["budget", "settlement", "personnelCost", "grade", "direction", "comment", "improvement",
                                                                                          "workHours", "staffCount", "expectedOutcome", "expectedCost"].contains($0)
            || $0.hasPrefix("viewpoint.") || profileNames.contains($0) }
    }

    /// Problems by field name; empty when the input can be saved. A draft may be partial:
    /// only what is written is checked here; what 提出 needs is `missingForSubmission`.
    func validate(indicators: [Indicator]) -> [String: Problem] {
        var problems: [String: Problem] = [:]
        for indicator in indicators {
            guard let id = indicator.id else { continue }
            for (field, text) in [("target.\(id.uuidString)", targets[id] ?? ""), ("actual.\(id.uuidString)", actuals[id] ?? "")] where text.count > Self.maxValueLength {
                problems[field] = Problem(japanese: "\(Self.maxValueLength)字以内で書いてください（\(text.count)字）", english: "at most \(Self.maxValueLength) characters (\(text.count))")
            }
        }
        for (field, text) in [("budget", budget), ("settlement", settlement), ("personnelCost", personnelCost)] where !text.isEmpty {
            do { _ = try Money.parse(text, defaultUnit: .thousandYen) } catch {
                problems[field] = Problem(japanese: "千円単位の金額で書いてください（例: 4,221。減額は -500 または △500、単位を付けるなら 1.2億円・350万円・1,500円）。「\(text)」は金額として読めません",
                                          english: "write an amount in thousands of yen (e.g. 4,221; a decrease as -500 or △500; with a unit: 1.2億円, 350万円, 1,500円); \"\(text)\" is not one")
            }
        }
        if !grade.isEmpty, GradeScale.evaluation.grade(named: grade) == nil {
            problems["grade"] = Problem(japanese: "評価は一覧から選んでください", english: "choose a grade from the list")
        }
        if !direction.isEmpty, GradeScale.direction.grade(named: direction) == nil {
            problems["direction"] = Problem(japanese: "今後の方向性は一覧から選んでください", english: "choose a direction from the list")
        }
        for (field, text) in [("workHours", workHours), ("staffCount", staffCount)] where !text.isEmpty && Self.decimal(text) == nil {
            problems[field] = Problem(japanese: "0 以上 1 億以下の数で書いてください（例: 280、1.5）。「\(text)」は数として読めません",
                                      english: "write a number from 0 to 100,000,000 (e.g. 280, 1.5); \"\(text)\" is not one")
        }
        if !expectedOutcome.isEmpty, !Self.expectedOutcomes.contains(expectedOutcome) {
            problems["expectedOutcome"] = Problem(japanese: "期待成果（成果）は一覧から選んでください", english: "choose the expected outcome from the list")
        }
        if !expectedCost.isEmpty, !Self.expectedCosts.contains(expectedCost) {
            problems["expectedCost"] = Problem(japanese: "期待成果（コスト）は一覧から選んでください", english: "choose the expected cost from the list")
        }
        for field in Self.profileFields {
            let text = profile[field.name] ?? "", limit = field.multiline ? Self.maxTextLength : Self.maxShortTextLength
            if text.count > limit {
                problems[field.name] = Problem(japanese: "\(Self.grouped(limit))字以内で書いてください（\(Self.grouped(text.count))字）",
                                               english: "at most \(Self.grouped(limit)) characters (\(Self.grouped(text.count)))")
            }
        }
        for (position, text) in judgements where text.count > Self.maxJudgementLength {
            problems["viewpoint.\(position).judgement"] = Problem(japanese: "\(Self.maxJudgementLength)字以内で書いてください（\(text.count)字）",
                                                                  english: "at most \(Self.maxJudgementLength) characters (\(text.count))")
        }
        for (position, text) in reasons where text.count > Self.maxTextLength {
            problems["viewpoint.\(position).reason"] = Problem(japanese: "\(Self.grouped(Self.maxTextLength))字以内で書いてください（\(Self.grouped(text.count))字）",
                                                               english: "at most \(Self.grouped(Self.maxTextLength)) characters (\(Self.grouped(text.count)))")
        }
        for (field, text) in [("comment", comment), ("improvement", improvement)] where text.count > Self.maxTextLength {
            problems[field] = Problem(japanese: "\(Self.grouped(Self.maxTextLength))字以内で書いてください（\(Self.grouped(text.count))字）",
                                      english: "at most \(Self.grouped(Self.maxTextLength)) characters (\(Self.grouped(text.count)))")
        }
        return problems
    }

    /// What 提出 needs besides valid input: every KPI's actual (a text such as 集計中 says why
    /// there is no number), the grade, the direction and the evaluation text.
    func missingForSubmission(indicators: [Indicator]) -> [String: Problem] {
        var missing: [String: Problem] = [:]
        for indicator in indicators {
            guard let id = indicator.id, (actuals[id] ?? "").isEmpty else { continue }
            missing["actual.\(id.uuidString)"] = Problem(japanese: "提出の前に実績を入力してください（まだ数値がなければ「集計中」など理由を書いてください）",
                                                         english: "enter the actual before submitting (if there is no figure yet, say why, e.g. 集計中)")
        }
        if grade.isEmpty { missing["grade"] = Problem(japanese: "提出の前に評価を選んでください", english: "choose a grade before submitting") }
        if direction.isEmpty { missing["direction"] = Problem(japanese: "提出の前に今後の方向性を選んでください", english: "choose a direction before submitting") }
        if comment.isEmpty { missing["comment"] = Problem(japanese: "提出の前に取組と成果の評価を書いてください", english: "write the evaluation before submitting") }
        return missing
    }

    /// Values that can be saved but probably are not what was meant: a KPI value that does
    /// not read as the KPI's unit or kind, a negative amount, a settlement far from the
    /// budget (a unit typed wrong). Shown next to the field while typing and after saving.
    func warnings(indicators: [Indicator]) -> [String: Problem] {
        var warnings: [String: Problem] = [:]
        for indicator in indicators {
            guard let id = indicator.id else { continue }
            for (field, text) in [("target.\(id.uuidString)", targets[id] ?? ""), ("actual.\(id.uuidString)", actuals[id] ?? "")] {
                if let warning = Self.valueWarning(text, indicator: indicator) { warnings[field] = warning }
            }
        }
        let amounts = [("budget", budget), ("settlement", settlement), ("personnelCost", personnelCost)].map { ($0.0, yen($0.1)) }
        for case let (field, amount?) in amounts where amount < 0 {
            warnings[field] = Problem(japanese: "負の金額です（\(Money(yen: amount).thousandYenWithUnit)）。減額を書くつもりなら、ここには金額そのものを書いてください",
                                      english: "a negative amount (\(Money(yen: amount).thousandYenWithUnit)); write the amount itself, not the change")
        }
        if let budget = yen(budget), let settlement = yen(settlement), budget > 0, settlement >= budget * 10 {
            let times = settlement / budget
            warnings["settlement"] = Problem(japanese: "決算額が予算額の\(Self.grouped(Int(times)))倍です。単位（千円）を確かめてください",
                                             english: "the settlement is \(Self.grouped(Int(times))) times the budget; check the unit (thousands of yen)")
        }
        return warnings
    }

    /// Why a KPI value is probably not what was meant, or nil.
    static func valueWarning(_ text: String, indicator: Indicator) -> Problem? {
        guard !text.isEmpty else { return nil }
        let measure = Measure.parse(text)
        let rated = IndicatorDirection(rawValue: indicator.direction) != .qualitative
        let unit = indicator.unit.map(JapaneseText.compact).flatMap { $0.isEmpty ? nil : $0 }
        switch measure.kind {
        case .text where rated:
            return Problem(japanese: "数値として読めないため、達成率を計算できません。「87」や「87\(unit ?? "")」のように書いてください",
                           english: "not a number, so no rate can be computed; write e.g. 87\(unit ?? "")")
        case .number:
            if measure.label != nil || measure.note != nil, rated {
                return Problem(japanese: "数値の前後に文字があります（「\(text)」）。数値と単位だけにすると確実に計算されます",
                               english: "there is text around the number (\(text)); a number and its unit alone are read reliably")
            }
            if let unit, let written = measure.unit, !unitsAgree(written, unit) {
                return Problem(japanese: "単位「\(written)」が指標の単位「\(unit)」と違います。数値だけか「\(unit)」で書いてください",
                               english: "the unit \(written) differs from the indicator's unit \(unit); write the number alone or in \(unit)")
            }
            return nil
        default:
            return nil
        }
    }

    /// 1,000 with a thousands separator, whatever the server's locale.
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (number < 0 ? "-" : "") + out
    }

    /// `人` and `万人`, `人/月` and `人` agree; `件` and `団体` do not.
    static func unitsAgree(_ written: String, _ unit: String) -> Bool {
        let a = JapaneseText.compact(written), b = JapaneseText.compact(unit)
        return a == b || a.hasPrefix(b) || b.hasPrefix(a)
    }

    func yen(_ text: String) -> Int64? { text.isEmpty ? nil : (try? Money.parse(text, defaultUnit: .thousandYen))?.yen }
}

/// Saves and moves sheets, each in one transaction that first claims the sheet's version.
enum SheetService {
    /// A save or step based on a version the sheet has left.
    struct Conflict: Error {
        var current: Int
    }

    /// 提出 of a sheet that lacks what a submission needs: nothing moved; the problems are
    /// shown next to their fields.
    struct Incomplete: AbortError {
        var problems: [String: SheetInput.Problem]
        var status: HTTPResponseStatus { .unprocessableEntity }
        var reason: String {
            "提出に必要な項目が\(problems.count)件足りません: " + problems.keys.sorted().map { problems[$0]?.japanese ?? $0 }.joined(separator: " / ")
                + " (\(problems.count) fields are needed before submitting)"
        }
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
        return try await claimed(statusID, basedOn: version, current: before.status.version, on: db) { tx, content, next in
            try requireEditable(content)
            try await apply(input, to: content, newVersion: next, by: user, source: source, on: tx)
        }
    }

    /// Runs `write` in a transaction that first claims the sheet's next version, or tells
    /// what others saved since `version` when the claim fails.
    private static func claimed(_ statusID: UUID, basedOn version: Int, current: Int, on db: any Database,
                                _ write: @escaping @Sendable (any Database, SheetContent, Int) async throws -> Void) async throws -> SaveOutcome {
        do {
            return try await db.writeTransaction { tx in
                // The claim is the transaction's first statement: on SQLite a transaction
                // that starts by writing waits for the write lock instead of failing to
                // upgrade a read snapshot another writer has moved past.
                guard let next = try await RecordVersion.claim(.sheets, id: statusID, expected: version, on: tx) else {
                    throw Conflict(current: current)
                }
                try await write(tx, try await SheetContent.load(statusID, on: tx), next)
                return .saved(version: next)
            }
        } catch is Conflict {
            let content = try await SheetContent.load(statusID, on: db)
            return .conflict(changes: try await content.changes(since: version, on: db))
        }
    }

    /// 訂正 of a published sheet by the planning section: the input is checked like a save,
    /// written in one transaction with the version claim, audited, and recorded with its
    /// reason, which the public sheet shows with the date.
    static func correct(_ statusID: UUID, input: SheetInput, reason: String, basedOn version: Int, by user: User, on db: any Database) async throws -> SaveOutcome {
        let before = try await SheetContent.load(statusID, on: db)
        try Access.require(user, .publishCycle, on: Policy.Target(municipalityID: before.municipality.id))
        guard before.state == .published, before.phase == .published else {
            throw StaffError(status: .conflict, japanese: "訂正できるのは公表したシートだけです。公表前のシートはそのまま編集できます",
                             english: "only published sheets are corrected; edit a sheet before publication as usual")
        }
        var problems = input.validate(indicators: before.indicators)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if reason.isEmpty {
            problems["correctionReason"] = SheetInput.Problem(japanese: "訂正の理由を書いてください（公開ページに日付とともに表示されます）",
                                                              english: "write why the sheet is corrected (shown publicly with the date)")
        } else if reason.count > 1_000 {
            problems["correctionReason"] = SheetInput.Problem(japanese: "訂正の理由は1,000字以内で書いてください", english: "at most 1,000 characters")
        }
        guard problems.isEmpty else { return .invalid(problems) }
        return try await claimed(statusID, basedOn: version, current: before.status.version, on: db) { tx, content, next in
            try await apply(input, to: content, newVersion: next, by: user, source: "correction", on: tx)
            let correction = SheetCorrection(sheetID: statusID, at: HyokaClock.date, reason: reason, author: user.displayName)
            try await correction.create(on: tx)
            try await Audit(actor: user.login, userID: user.id, source: "correction").record(
                on: tx, municipalityID: content.municipality.id, entity: "sheet_corrections", id: correction.id,
                label: "\(content.program.name) \(content.year)", [.init(field: "reason", before: nil, after: reason)])
            if let municipalityID = content.municipality.id {
                try await PublicReadModel.refresh(municipalityID: municipalityID, on: tx)
            }
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
            // Read from the stored record only: the fields of a new one are unset.
            let before = (existing?.targetRaw, existing?.actualRaw)
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

        // The program's texts: written on the program (they are not yearly), audited by field.
        let profileBefore = SheetContent.profile(of: content.program)
        let profileAfter: [(String, String?)] = profileBefore.map { name, stored in
            guard let typed = input.profile[name] else { return (name, stored) }
            return (name, typed.isEmpty ? nil : typed)
        }
        if !zip(profileBefore, profileAfter).allSatisfy({ $0.0.1 == $0.1.1 }) {
            let program = content.program
            let values = Dictionary(profileAfter, uniquingKeysWith: { a, _ in a })
            program.legalBasis = values["legalBasis"] ?? nil
            program.category = values["category"] ?? nil
            program.periodKind = values["periodKind"] ?? nil
            program.budgetAccounts = values["budgetAccounts"] ?? nil
            program.purposeTarget = values["purposeTarget"] ?? nil
            program.purposeIntent = values["purposeIntent"] ?? nil
            program.purposeResult = values["purposeResult"] ?? nil
            program.meansPreviousYear = values["meansPreviousYear"] ?? nil
            program.meansThisYear = values["meansThisYear"] ?? nil
            try await program.save(on: db)
            let columns = ["legalBasis": "legal_basis", "category": "category", "periodKind": "period_kind", "budgetAccounts": "budget_accounts",
                           "purposeTarget": "purpose_target", "purposeIntent": "purpose_intent", "purposeResult": "purpose_result",
                           "meansPreviousYear": "means_previous_year", "meansThisYear": "means_this_year"]
            try await audit.record(on: db, municipalityID: municipalityID, entity: "programs", id: program.id, label: content.program.name,
                                   zip(profileBefore, profileAfter).filter { $0.0.1 != $0.1.1 }
                                       .map { .init(field: columns[$0.0.0] ?? $0.0.0, before: $0.0.1, after: $0.1.1) })
        }

        let amounts = (budget: input.yen(input.budget), settlement: input.yen(input.settlement), personnel: content.personnelCost(input))
        let counts = (hours: SheetInput.decimal(input.workHours).map { "\($0)" }, staff: SheetInput.decimal(input.staffCount).map { "\($0)" })
        if content.budget != nil || amounts.budget != nil || amounts.settlement != nil || amounts.personnel != nil || counts.hours != nil || counts.staff != nil {
            let line = content.budget ?? BudgetLine()
            let before = (line.id == nil ? nil : line.budgetYen, line.id == nil ? nil : line.settlementYen, line.id == nil ? nil : line.personnelCostYen)
            let countsBefore = (hours: line.id == nil ? nil : line.workHours, staff: line.id == nil ? nil : line.staffCount)
            line.workHours = counts.hours
            line.staffCount = counts.staff
            if line.id == nil {
                line.$program.id = try content.program.requireID()
                line.fiscalYear = content.year
            }
            line.budgetYen = amounts.budget
            line.settlementYen = amounts.settlement
            line.personnelCostYen = amounts.personnel
            if line.id == nil || before.0 != amounts.budget || before.1 != amounts.settlement || before.2 != amounts.personnel
                || countsBefore.hours != counts.hours || countsBefore.staff != counts.staff {
                try await line.save(on: db)
                try await audit.record(on: db, municipalityID: municipalityID, entity: "budgets", id: line.id, label: label, [
                    .init(field: "budget_yen", before: before.0.map(String.init), after: amounts.budget.map(String.init)),
                    .init(field: "settlement_yen", before: before.1.map(String.init), after: amounts.settlement.map(String.init)),
                    .init(field: "personnel_cost_yen", before: before.2.map(String.init), after: amounts.personnel.map(String.init)),
                    .init(field: "work_hours", before: countsBefore.hours, after: counts.hours),
                    .init(field: "staff_count", before: countsBefore.staff, after: counts.staff),
                ])
            }
        }

        let grade = GradeScale.evaluation.grade(named: input.grade)?.label, direction = GradeScale.direction.grade(named: input.direction)?.label
        let expectedOutcome = SheetInput.expectedOutcomes.contains(input.expectedOutcome) ? input.expectedOutcome : nil
        let expectedCost = SheetInput.expectedCosts.contains(input.expectedCost) ? input.expectedCost : nil
        let texts: [String?] = [grade, direction, input.comment.isEmpty ? nil : input.comment, input.improvement.isEmpty ? nil : input.improvement,
                                expectedOutcome, expectedCost]
        // The checklist of the municipality's viewpoints, those with a judgement.
        let checklist: [ViewpointJudgement] = content.configuredViewpoints.enumerated().compactMap { position, name in
            guard let judgement = input.judgements[position], !judgement.isEmpty else { return nil }
            let reason = input.reasons[position] ?? ""
            return ViewpointJudgement(viewpoint: name, judgement: judgement, reason: reason.isEmpty ? nil : reason)
        }
        let storedChecklist = content.viewpoints.map { ViewpointJudgement(viewpoint: $0.viewpoint, judgement: $0.judgement, reason: $0.reason) }
        if content.evaluation != nil || texts.contains(where: { $0 != nil }) || !checklist.isEmpty {
            let e = content.evaluation ?? Evaluation()
            let before: [String?] = e.id == nil ? [nil, nil, nil, nil, nil, nil] : [e.grade, e.direction, e.comment, e.improvement, e.expectedOutcome, e.expectedCost]
            if e.id == nil {
                e.$program.id = try content.program.requireID()
                e.fiscalYear = content.year
                e.stage = EvaluationStage.selfAssessment.rawValue
            }
            (e.grade, e.direction, e.comment, e.improvement) = (texts[0], texts[1], texts[2], texts[3])
            (e.expectedOutcome, e.expectedCost) = (texts[4], texts[5])
            e.author = user.displayName
            e.evaluatedAt = HyokaClock.date
            if e.id == nil || before != texts || checklist != storedChecklist {
                try await e.save(on: db)
                try await audit.record(on: db, municipalityID: municipalityID, entity: "evaluations", id: e.id, label: "\(label) 自己評価",
                                       zip(["grade", "direction", "comment", "improvement", "expected_outcome", "expected_cost"], zip(before, texts))
                                           .map { .init(field: $0.0, before: $0.1.0, after: $0.1.1) })
            }
            if checklist != storedChecklist, let evaluationID = e.id {
                // Replaced as a whole, audited as one change of the evaluation.
                try await EvaluationViewpoint.query(on: db).filter(\.$evaluation.$id == evaluationID).delete()
                for (position, item) in checklist.enumerated() {
                    let row = EvaluationViewpoint()
                    row.$evaluation.id = evaluationID
                    row.position = position
                    row.viewpoint = item.viewpoint
                    row.judgement = item.judgement
                    row.reason = item.reason
                    try await row.save(on: db)
                }
                func lines(_ list: [ViewpointJudgement]) -> String? {
                    list.isEmpty ? nil : list.map { "\($0.viewpoint): \($0.judgement)\($0.reason.map { "（\($0)）" } ?? "")" }.joined(separator: "\n")
                }
                try await audit.record(on: db, municipalityID: municipalityID, entity: "evaluations", id: e.id, label: "\(label) 自己評価",
                                       [.init(field: "viewpoints", before: lines(storedChecklist), after: lines(checklist))])
            }
        }
        try await recordChecks(input, of: content, on: db)
    }

    /// Stores the counts of the sheet's findings for what is now saved (same transaction as
    /// the save), for the board and the list.
    static func recordChecks(_ input: SheetInput, of content: SheetContent, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, let id = content.status.id else { return }
        let findings = content.findings(input)
        let errors = findings.filter { $0.severity == .error }.count, warnings = findings.filter { $0.severity == .warning }.count
        try await sql.update(SheetStatus.schema).set("check_errors", to: errors).set("check_warnings", to: warnings)
            .set("checked_at", to: HyokaClock.date).where("id", .equal, id).run()
    }

    /// 提出・差戻し・承認 of one sheet. A return needs its reason; the editor sees it on the
    /// sheet until it is submitted again.
    static func step(_ statusID: UUID, _ action: SheetAction, basedOn version: Int, reason: String?, by user: User, source: String = "form", on db: any Database) async throws -> SheetStatus {
        let policyAction: Policy.Action = switch action {
        case .submit, .withdraw: .submitSheet
        case .return: .returnSheet
        case .approve: .approveSheet
        case .publish: .publishCycle
        }
        let before = try await SheetContent.load(statusID, on: db)
        try Access.require(user, policyAction, on: try await Access.target(program: before.program, on: db))
        guard action != .publish else {
            throw StaffError(status: .conflict, japanese: "シートは評価サイクルの公表と同時に公表されます", english: "sheets are published with their cycle")
        }
        return try await db.writeTransaction { tx in
            guard let newVersion = try await RecordVersion.claim(.sheets, id: statusID, expected: version, on: tx) else {
                throw StaffError(status: .conflict, japanese: "このシートは開いた後に変更されています。読み込み直して確認してから、もう一度操作してください",
                                 english: "the sheet changed after you opened it; reload it, check, and try again")
            }
            let content = try await SheetContent.load(statusID, on: tx)
            let next: SheetState
            if action == .submit {
                let missing = content.input.missingForSubmission(indicators: content.indicators)
                guard missing.isEmpty else { throw Incomplete(problems: missing) }
            }
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
