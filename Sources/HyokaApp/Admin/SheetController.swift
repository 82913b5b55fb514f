import Fluent
import Foundation
import HyokaCore
import HyokaImport
import Plot
import Vapor

/// `/admin/sheets`: the open cycle's sheets, one sheet's form, its steps and history.
enum SheetController {
    // MARK: list

    /// Sheets on one page of the list.
    static let pageSize = 100

    /// The sheets of an open cycle (`?year=`, the latest by default), filtered by state,
    /// section, text and check errors, a page at a time. Editors and approvers see their
    /// own branch of the organization; planners and reviewers the whole municipality.
    @Sendable static func index(req: Request) async throws -> Response {
        let l = PortalLanguage(req)
        let user = try req.requireStaff()
        let layout = StaffLayout(language: l, title: l("シート一覧", "Sheets"), user: user, csrf: StaffSession.csrfToken(req))
        guard let municipalityID = user.$municipality.id else {
            return layout.render(.h1(.text(l("シート一覧", "Sheets"))), .p(.class("empty"), .text(l("団体に属するアカウントで使います。", "For accounts of a municipality."))))
        }
        let open = try await Cycle.query(on: req.db).filter(\.$municipality.$id == municipalityID)
            .filter(\.$phase != CyclePhase.published.rawValue).sort(\.$fiscalYear, .descending).all()
        let wantedYear = try? req.query.get(Int.self, at: "year")
        guard let cycle = open.first(where: { $0.fiscalYear == wantedYear }) ?? open.first, let cycleID = cycle.id else {
            return layout.render(.h1(.text(l("シート一覧", "Sheets"))), .p(.class("empty"), .text(l("進行中の評価サイクルはありません。", "No evaluation cycle is open."))))
        }
        let tree = try await DepartmentTree.load(municipalityID: municipalityID, on: req.db)
        let stateFilter = (try? req.query.get(String.self, at: "state")).flatMap(SheetState.init(rawValue:))
        let departmentFilter = (try? req.query.get(String.self, at: "department")).flatMap(UUID.init(uuidString:))
        let text = ((try? req.query.get(String.self, at: "q")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let onlyErrors = (try? req.query.get(String.self, at: "checks")) == "errors"
        let requestedPage = max(1, (try? req.query.get(Int.self, at: "page")) ?? 1)

        var query = SheetStatus.query(on: req.db).filter(\.$cycle.$id == cycleID)
            .join(Program.self, on: \SheetStatus.$program.$id == \Program.$id)
            .join(Department.self, on: \Program.$department.$id == \Department.$id, method: .left)
        // Editors and approvers: their own branch only.
        let role = user.staffRole
        var visible: Set<UUID>? = nil
        if role == .editor || role == .approver {
            visible = user.$department.id.map { tree.subtree($0) } ?? []
        }
        if let departmentFilter {
            let chosen = tree.subtree(departmentFilter)
            visible = visible.map { $0.intersection(chosen) } ?? chosen
        }
        if let visible { query = query.filter(Program.self, \.$department.$id ~~ Array(visible)) }
        if let stateFilter { query = query.filter(\.$status == stateFilter.rawValue) }
        if !text.isEmpty { query = query.group(.or) { $0.filter(Program.self, \.$name ~~ text).filter(Program.self, \.$number ~~ text) } }
        if onlyErrors { query = query.filter(\.$checkErrors > 0) }
        let count = try await query.count()
        let pages = max(1, (count + pageSize - 1) / pageSize)
        let page = min(requestedPage, pages)
        let sheets = try await query.sort(Department.self, \.$name).sort(Program.self, \.$number).sort(Program.self, \.$name)
            .range(((page - 1) * pageSize)..<(page * pageSize)).all()
        let rows: [(sheet: SheetStatus, program: Program)] = sheets.compactMap { sheet in (try? sheet.joined(Program.self)).map { (sheet, $0) } }
        let phase = cycle.cyclePhase
        let branch = role == .editor || role == .approver ? user.$department.id.map { tree.subtree($0) } ?? [] : Set(tree.nodes.keys)
        let departments = tree.sorted(Array(branch))
        var filters: [(String, String?)] = [("year", String(cycle.fiscalYear)), ("state", stateFilter?.rawValue),
                                            ("department", departmentFilter?.uuidString.lowercased()), ("q", text.isEmpty ? nil : text)]
        if onlyErrors { filters.append(("checks", "errors")) }
        let today = StaffForm.today()
        let pageText: String = pages > 1 ? l("（\(page) / \(pages)ページ）", " (page \(page) of \(pages))") : ""
        let countText: String = l("\(count)件", "\(count) sheets") + pageText
        let heading: String = l("シート一覧", "Sheets") + " – " + l("\(FiscalYear(cycle.fiscalYear).both)（\(phase.japanese)）", "FY\(cycle.fiscalYear) (\(phase.english))")
        let yearNav: Node<HTML.BodyContext> = open.count < 2 ? .empty : .nav(.class("filters"), .attribute(named: "aria-label", value: l("年度", "Year")),
            .ul(.forEach(open) { other in
                .li(.a(.href(SiteURL.adminSheets.link([("year", String(other.fiscalYear))])),
                       .if(other.fiscalYear == cycle.fiscalYear, .attribute(named: "aria-current", value: "true")),
                       .text(l(FiscalYear(other.fiscalYear).both, "FY\(other.fiscalYear)"))))
            }))
        let stateChoices: [(String, String)] = [("", l("すべて", "All"))] + SheetState.allCases.map { ($0.rawValue, l($0.japanese, $0.english)) }
        let departmentChoices: [(String, String)] = [("", l("すべて", "All"))] + departments.map { id in
            (id.uuidString.lowercased(), (tree.path(id).count > 1 ? "　" : "") + (tree.name(id) ?? ""))
        }
        let filterForm: Node<HTML.BodyContext> = .form(.method(.get), .action(SiteURL.adminSheets.path), .class("filters"), .id("sheet-filters"),
            .input(.type(.hidden), .name("year"), .value(String(cycle.fiscalYear))),
            .raw(StaffForm.field(l("事業名・番号", "Program name or number"), name: "q", value: text).render()),
            .raw(StaffForm.field(l("状態", "State"), name: "state", value: stateFilter?.rawValue ?? "", kind: .select(stateChoices)).render()),
            .raw(StaffForm.field(l("担当課", "Department"), name: "department", value: departmentFilter?.uuidString.lowercased() ?? "", kind: .select(departmentChoices)).render()),
            .div(.class("field checkbox"),
                 .input(.type(.checkbox), .name("checks"), .value("errors"), .id("filter-checks"), .checked(onlyErrors)),
                 .label(.for("filter-checks"), .text(l("点検エラーのあるシートだけ", "Only sheets with check errors")))),
            .button(.type(.submit), .text(l("絞り込む", "Filter"))))
        let tableRows: [Node<HTML.TableContext>] = rows.map { listRow($0.sheet, $0.program, cycle: cycle, tree: tree, today: today, language: l) }
        let table: Node<HTML.BodyContext> = rows.isEmpty ? .p(.class("empty"), .text(l("条件に合うシートはありません。", "No sheets match."))) :
            .div(.class("table-scroll"), .table(.class("sheets"),
                .tr(.th(.attribute(named: "scope", value: "col"), .text(l("番号", "No."))),
                    .th(.attribute(named: "scope", value: "col"), .text(l("事業", "Program"))),
                    .th(.attribute(named: "scope", value: "col"), .text(l("担当課", "Department"))),
                    .th(.attribute(named: "scope", value: "col"), .text(l("状態", "State"))),
                    .th(.attribute(named: "scope", value: "col"), .class("num"), .text(l("点検", "Checks")))),
                .group(tableRows)))
        let pager: Node<HTML.BodyContext> = pages < 2 ? .empty : .nav(.class("pager"), .attribute(named: "aria-label", value: l("ページ", "Pages")),
            .forEach(1...pages) { number in
                number == page ? .span(.attribute(named: "aria-current", value: "page"), .text("\(number)"))
                               : .a(.href(SiteURL.adminSheets.link(filters + [("page", String(number))])), .text("\(number)"))
            })
        return layout.render(.h1(.text(heading)), yearNav, filterForm, .p(.id("sheet-count"), .text(countText)), table, pager)
    }

    static func listRow(_ sheet: SheetStatus, _ program: Program, cycle: Cycle, tree: DepartmentTree, today: String, language l: PortalLanguage) -> Node<HTML.TableContext> {
        let state = sheet.state
        let overdue = AdminController.isOverdue(state, cycle: cycle, today: today)
        let title: String = program.name
        let checks: String
        if sheet.checkedAt == nil {
            checks = "—"
        } else if sheet.checkErrors > 0 {
            checks = l("エラー\(sheet.checkErrors)", "\(sheet.checkErrors) errors")
        } else if sheet.checkWarnings > 0 {
            checks = l("注意\(sheet.checkWarnings)", "\(sheet.checkWarnings) warnings")
        } else {
            checks = "OK"
        }
        let link: Node<HTML.BodyContext> = sheet.id.map { .a(.href(SiteURL.adminSheet($0).path), .text(title)) } ?? .text(title)
        let stateCell: Node<HTML.BodyContext> = .group(.span(.class("state state-\(state.rawValue)"), .text(l(state.japanese, state.english))),
                                                       .if(overdue, .span(.class("error"), .text(l(" 期限超過", " overdue")))))
        return .tr(.if(overdue, .class("overdue")),
                   .td(.text(program.number ?? "")), .td(link), .td(.text(tree.name(program.$department.id) ?? "—")), .td(stateCell), .td(.class("num"), .text(checks)))
    }

    // MARK: one sheet

    @Sendable static func show(req: Request) async throws -> Response {
        let content = try await SheetContent.load(try req.idParameter(), on: req.db)
        let user = try req.requireStaff()
        try requireVisible(content, to: user, on: req.db)
        return try await page(req, content: content, input: content.input)
    }

    @Sendable static func save(req: Request) async throws -> Response {
        let id = try req.idParameter()
        let user = try req.requireStaff()
        let form = try StaffForm.fields(req)
        let version = try StaffForm.version(form)
        let input = SheetInput(form: form)
        switch try await SheetService.save(id, input: input, basedOn: version, by: user, on: req.db) {
        case .saved:
            return req.redirect(to: SiteURL.adminSheet(id).link([("saved", "1")]), redirectType: .normal)
        case let .invalid(problems):
            let content = try await SheetContent.load(id, on: req.db)
            return try await page(req, content: content, input: input, problems: problems, status: .unprocessableEntity, basedOn: version)
        case let .conflict(changes):
            let content = try await SheetContent.load(id, on: req.db)
            // The form now carries the current version, so saving again after checking the
            // changes is a deliberate choice, not a silent overwrite.
            return try await page(req, content: content, input: input, conflict: changes, status: .conflict)
        }
    }

    /// 訂正 of a published sheet (planning section only).
    @Sendable static func correct(req: Request) async throws -> Response {
        let id = try req.idParameter()
        let user = try req.requireStaff()
        let form = try StaffForm.fields(req)
        let version = try StaffForm.version(form)
        let input = SheetInput(form: form)
        let stored = try await SheetContent.load(id, on: req.db)
        try requireVisible(stored, to: user, on: req.db)
        switch try await SheetService.correct(id, input: input, reason: form["correctionReason"] ?? "", basedOn: version, by: user, on: req.db) {
        case .saved:
            return req.redirect(to: SiteURL.adminSheet(id).link([("saved", "1")]), redirectType: .normal)
        case let .invalid(problems):
            return try await page(req, content: stored, input: input, problems: problems, status: .unprocessableEntity, basedOn: version, reason: form["correctionReason"])
        case let .conflict(changes):
            let content = try await SheetContent.load(id, on: req.db)
            return try await page(req, content: content, input: input, conflict: changes, status: .conflict, reason: form["correctionReason"])
        }
    }

    /// A step. 提出 is posted from inside the sheet form, so what the section typed is saved
    /// first (a draft, even when the submission then lacks something) and never lost; a
    /// refused step shows the sheet again with the reason next to the field.
    @Sendable static func step(req: Request) async throws -> Response {
        let id = try req.idParameter()
        let user = try req.requireStaff()
        guard let action = req.parameters.get("step").flatMap(SheetAction.init(rawValue:)), action != .publish else { throw Abort(.notFound) }
        let form = try StaffForm.fields(req)
        var version = try StaffForm.version(form)
        var savedFirst = false
        if action == .submit, SheetInput.carriesFields(form) {
            let input = SheetInput(form: form)
            let stored = try await SheetContent.load(id, on: req.db)
            try requireVisible(stored, to: user, on: req.db)
            if input != stored.input {
                switch try await SheetService.save(id, input: input, basedOn: version, by: user, on: req.db) {
                case let .saved(next):
                    version = next
                    savedFirst = true
                case let .invalid(problems):
                    return try await page(req, content: stored, input: input, problems: problems, status: .unprocessableEntity, basedOn: version)
                case let .conflict(changes):
                    let content = try await SheetContent.load(id, on: req.db)
                    return try await page(req, content: content, input: input, conflict: changes, status: .conflict)
                }
            }
        }
        do {
            _ = try await SheetService.step(id, action, basedOn: version, reason: form["reason"], by: user, on: req.db)
        } catch let incomplete as SheetService.Incomplete {
            let content = try await SheetContent.load(id, on: req.db)
            let notice = savedFirst ? PortalLanguage(req)("入力した内容は下書きとして保存しました。", "What you typed was saved as a draft. ") : ""
            return try await page(req, content: content, input: content.input, problems: incomplete.problems, status: .unprocessableEntity,
                                  refusal: notice + PortalLanguage(req)("提出には次の項目が必要です。各項目の下の説明を見て入力してください。", "These fields are needed before submitting (see below each)."))
        } catch let error as StaffError where error.status == .unprocessableEntity || error.status == .conflict {
            let content = try await SheetContent.load(id, on: req.db)
            try requireVisible(content, to: user, on: req.db)
            return try await page(req, content: content, input: content.input, status: error.status,
                                  refusal: PortalLanguage(req)(error.japanese, error.english), reason: form["reason"])
        }
        return req.redirect(to: SiteURL.adminSheet(id).link([("done", action.rawValue)]), redirectType: .normal)
    }

    @Sendable static func history(req: Request) async throws -> Response {
        let l = PortalLanguage(req)
        let content = try await SheetContent.load(try req.idParameter(), on: req.db)
        let user = try req.requireStaff()
        try requireVisible(content, to: user, on: req.db)
        let entries = try await content.history(on: req.db)
        let people = try await StaffForm.people(entries, on: req.db)
        let layout = StaffLayout(language: l, title: l("変更履歴", "History") + " – \(content.program.name)", user: user, csrf: StaffSession.csrfToken(req))
        return layout.render(
            .p(.a(.href(SiteURL.adminSheet(try content.status.requireID()).path), .text(l("← シートに戻る", "← Back to the sheet")))),
            .h1(.text(l("変更履歴", "History") + " – \(content.program.name) \(l(FiscalYear(content.year).both, "FY\(content.year)"))")),
            .p(.class("muted"), .text(l("記録は追加されるだけで、変更・削除はできません。", "Entries are only ever added; they cannot be changed or deleted."))),
            entries.isEmpty ? .p(.class("empty"), .text(l("まだ記録がありません。", "No entries yet."))) : StaffForm.changeTable(entries, people: people, language: l)
        )
    }

    /// `GET /admin/sheets/{id}/rates?target.<id>=…&actual.<id>=…`: what HyokaCore computes for
    /// the form as typed, so the page shows the same rates the server will.
    @Sendable static func rates(req: Request) async throws -> Response {
        let content = try await SheetContent.load(try req.idParameter(), on: req.db)
        try requireVisible(content, to: try req.requireStaff(), on: req.db)
        let input = SheetInput(form: (try? req.query.decode([String: String].self)) ?? [:])
        /// `warnings`: by field name, what the form will show next to the field, so that a value
        /// that does not fit its KPI or its budget is seen before saving.
        struct Answer: Content { var rates: [String: String]; var suggested: String?; var warnings: [String: String] }
        let rates = content.rates(input)
        let l = PortalLanguage(req)
        let answer = Answer(rates: Dictionary(uniqueKeysWithValues: rates.map { ($0.key.uuidString, AchievementRate.format($0.value)) }),
                            suggested: content.suggestedGrade(input)?.label,
                            warnings: input.warnings(indicators: content.indicators).mapValues { "⚠ " + l($0.japanese, $0.english) })
        let response = try await answer.encodeResponse(for: req)
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

    static func severityJapanese(_ severity: LintRule.Severity) -> String {
        switch severity {
        case .error: "エラー"
        case .warning: "注意"
        case .info: "参考"
        }
    }

    /// Staff of another municipality do not see the sheet at all.
    static func requireVisible(_ content: SheetContent, to user: User, on db: any Database) throws {
        guard user.staffRole != .admin, user.$municipality.id == content.program.$municipality.id else { throw StaffError.forbidden }
    }

    // MARK: the page

    static func page(_ req: Request, content: SheetContent, input: SheetInput, problems: [String: SheetInput.Problem] = [:],
                     conflict: [AuditEntry]? = nil, status: HTTPResponseStatus = .ok, basedOn: Int? = nil,
                     refusal: String? = nil, reason: String? = nil) async throws -> Response {
        let l = PortalLanguage(req)
        let user = try req.requireStaff()
        let csrf = StaffSession.csrfToken(req)
        let target = try await Access.target(program: content.program, on: req.db)
        let actor = Access.actor(user)
        let statusID = try content.status.requireID()
        let canEdit = Policy.allows(actor, .editSheet, on: target) && SheetWorkflow.isEditable(content.state, phase: content.phase)
        // 訂正: the planning section corrects a published sheet, publicly, with a reason.
        let canCorrect = Policy.allows(actor, .publishCycle, on: target) && content.state == .published && content.phase == .published
        let fieldsOpen = canEdit || canCorrect
        let department = try await Department.find(content.program.$department.id, on: req.db)
        let version = String(basedOn ?? content.status.version)
        let rates = content.rates(input)
        let suggested = content.suggestedGrade(input)
        let warnings = input.warnings(indicators: content.indicators)
        let findings = content.findings(input)
        let people = try await StaffForm.people(conflict ?? [], on: req.db)
        func problem(_ name: String) -> String? { problems[name].map { l($0.japanese, $0.english) } }
        func warning(_ name: String) -> String? { problems[name] == nil ? warnings[name].map { l($0.japanese, $0.english) } : nil }
        func allowed(_ action: SheetAction) -> Bool {
            let policyAction: Policy.Action = switch action {
            case .submit, .withdraw: .submitSheet
            case .return: .returnSheet
            case .approve, .publish: .approveSheet
            }
            guard Policy.allows(actor, policyAction, on: target) else { return false }
            if case .success = SheetWorkflow.next(content.state, action, phase: content.phase, reason: "-") { return true }
            return false
        }
        let done = (try? req.query.get(String.self, at: "done")).flatMap(SheetAction.init(rawValue:))
        let saved = (try? req.query.get(String.self, at: "saved")) != nil

        let kpiRows: [Node<HTML.TableContext>] = content.indicators.compactMap { indicator -> Node<HTML.TableContext>? in
            guard let id = indicator.id else { return nil }
            let targetName = "target.\(id.uuidString)", actualName = "actual.\(id.uuidString)"
            let cells: [Node<HTML.TableRowContext>] = [
                .th(.attribute(named: "scope", value: "row"), .text(indicator.name + (indicator.unit.map { "（\($0)）" } ?? ""))),
                .td(fieldsOpen ? StaffForm.field(l("目標", "Target"), name: targetName, value: input.targets[id] ?? "", problem: problem(targetName), warning: warning(targetName))
                            : .text(input.targets[id] ?? "—")),
                .td(fieldsOpen ? StaffForm.field(l("実績", "Actual"), name: actualName, value: input.actuals[id] ?? "", problem: problem(actualName), warning: warning(actualName))
                            : .text(input.actuals[id] ?? "—")),
                .td(.class("num"), .element(named: "output", nodes: [.attribute(named: "id", value: "rate-\(id.uuidString)"),
                                                                     .attribute(named: "aria-live", value: "polite"),
                                                                     .text(AchievementRate.format(rates[id] ?? .failure(.noNumericActual)))])),
            ]
            return .tr(.group(cells))
        }
        let kpis: Node<HTML.BodyContext> = .section(.class("kpis"),
            .h2(.text(l("成果指標（\(FiscalYear(content.year).japanese)）", "Indicators (FY\(content.year))"))),
            content.indicators.isEmpty ? .p(.class("empty"), .text(l("この事業に指標はありません。", "This program has no indicators."))) :
            .table(.tr(.th(.attribute(named: "scope", value: "col"), .text(l("指標", "Indicator"))),
                       .th(.attribute(named: "scope", value: "col"), .text(l("目標値", "Target"))),
                       .th(.attribute(named: "scope", value: "col"), .text(l("実績値", "Actual"))),
                       .th(.attribute(named: "scope", value: "col"), .class("num"), .text(l("達成率", "Rate")))),
                   .group(kpiRows)),
            .p(.text(l("達成率からの評価の目安: ", "Grade suggested by the rates: ")),
               .element(named: "output", nodes: [.attribute(named: "id", value: "suggested-grade"), .attribute(named: "aria-live", value: "polite"),
                                                 .text(suggested?.label ?? "—")]))
        )
        let hourlyCost = content.municipality.personnelCostPerHourYen
        // 目的と手段 and the program's other texts: the same on every year's sheet.
        let profile: Node<HTML.BodyContext> = .section(.class("profile"),
            .h2(.text(l("事業の内容（目的と手段）", "The program (purpose and means)"))),
            fieldsOpen ? .div(.class("fields"), .group(SheetInput.profileFields.map { field in
                StaffForm.field(l(field.japanese, field.english), name: field.name, value: input.profile[field.name] ?? "",
                                kind: field.multiline ? .textarea : .text, problem: problem(field.name))
            }))
            : .dl(.group(SheetInput.profileFields.map { field in
                .group(.dt(.text(l(field.japanese, field.english))), .dd(.text((input.profile[field.name] ?? "").isEmpty ? "—" : input.profile[field.name] ?? "")))
            })))
        let budget: Node<HTML.BodyContext> = .section(.class("budget"),
            .h2(.text(l("事業費（\(FiscalYear(content.year).japanese)、千円）", "Costs (FY\(content.year), thousand yen)"))),
            fieldsOpen ? .div(.class("fields"),
                StaffForm.field(l("予算額（千円）", "Budget (¥1,000)"), name: "budget", value: input.budget, problem: problem("budget"), warning: warning("budget")),
                StaffForm.field(l("決算額（千円）", "Settlement (¥1,000)"), name: "settlement", value: input.settlement, problem: problem("settlement"), warning: warning("settlement")),
                StaffForm.field(l("人件費（千円）", "Personnel cost (¥1,000)"), name: "personnelCost", value: input.personnelCost, problem: problem("personnelCost"),
                                hint: hourlyCost.map { l("空欄で延べ業務時間を書くと、時間 × \($0) 円で計算します", "Left blank with hours given, it is hours × ¥\($0)") },
                                warning: warning("personnelCost")),
                StaffForm.field(l("延べ業務時間（時間）", "Hours worked"), name: "workHours", value: input.workHours, problem: problem("workHours")),
                StaffForm.field(l("正規職員従事人数（人）", "Regular staff (people)"), name: "staffCount", value: input.staffCount, problem: problem("staffCount")))
            : .dl(.dt(.text(l("予算額", "Budget"))), .dd(.text(input.budget.isEmpty ? "—" : input.budget)),
                  .dt(.text(l("決算額", "Settlement"))), .dd(.text(input.settlement.isEmpty ? "—" : input.settlement)),
                  .dt(.text(l("人件費", "Personnel cost"))), .dd(.text(input.personnelCost.isEmpty ? "—" : input.personnelCost)),
                  .dt(.text(l("延べ業務時間", "Hours worked"))), .dd(.text(input.workHours.isEmpty ? "—" : input.workHours)),
                  .dt(.text(l("従事人数", "Regular staff"))), .dd(.text(input.staffCount.isEmpty ? "—" : input.staffCount)))
        )
        // The municipality's checklist: a judgement and a reason for each of its viewpoints.
        let checklistFields: Node<HTML.BodyContext> = content.configuredViewpoints.isEmpty ? .empty : .group(
            .h3(.text(l("評価の観点", "Viewpoints"))),
            .group(content.configuredViewpoints.enumerated().map { position, name in
                .group(StaffForm.field(l("\(name)（判定）", "\(name) (judgement)"), name: "viewpoint.\(position).judgement", value: input.judgements[position] ?? "",
                                       problem: problem("viewpoint.\(position).judgement")),
                       StaffForm.field(l("\(name)（理由）", "\(name) (reason)"), name: "viewpoint.\(position).reason", value: input.reasons[position] ?? "",
                                       kind: .textarea, problem: problem("viewpoint.\(position).reason")))
            }))
        let evaluation: Node<HTML.BodyContext> = .section(.class("evaluation"),
            .h2(.text(l("自己評価", "Self-evaluation"))),
            fieldsOpen ? .div(.class("fields"),
                StaffForm.field(l("評価", "Grade"), name: "grade", value: input.grade, kind: .select(StaffForm.choices(.evaluation, language: l)), problem: problem("grade")),
                StaffForm.field(l("今後の方向性", "Direction"), name: "direction", value: input.direction, kind: .select(StaffForm.choices(.direction, language: l)), problem: problem("direction")),
                StaffForm.field(l("主な取組と成果に対する評価", "Evaluation of the work and results"), name: "comment", value: input.comment, kind: .textarea, problem: problem("comment")),
                StaffForm.field(l("課題に対する改善（強化・見直した内容）", "Improvements"), name: "improvement", value: input.improvement, kind: .textarea, problem: problem("improvement")),
                StaffForm.field(l("期待成果（成果）", "Expected outcome"), name: "expectedOutcome", value: input.expectedOutcome,
                                kind: .select([("", l("（未選択）", "(none)"))] + SheetInput.expectedOutcomes.map { ($0, $0) }), problem: problem("expectedOutcome")),
                StaffForm.field(l("期待成果（コスト）", "Expected cost"), name: "expectedCost", value: input.expectedCost,
                                kind: .select([("", l("（未選択）", "(none)"))] + SheetInput.expectedCosts.map { ($0, $0) }), problem: problem("expectedCost")),
                checklistFields)
            : .dl(.dt(.text(l("評価", "Grade"))), .dd(.text(input.grade.isEmpty ? "—" : input.grade)),
                  .dt(.text(l("今後の方向性", "Direction"))), .dd(.text(input.direction.isEmpty ? "—" : input.direction)),
                  .dt(.text(l("評価", "Evaluation"))), .dd(.text(input.comment.isEmpty ? "—" : input.comment)),
                  .dt(.text(l("改善", "Improvements"))), .dd(.text(input.improvement.isEmpty ? "—" : input.improvement)))
        )
        let checks: Node<HTML.BodyContext> = findings.isEmpty ? .empty : .section(.class("checks"), .id("sheet-checks"),
            .h2(.text(l("点検結果（\(findings.count)件）", "Checks (\(findings.count))"))),
            .p(.class("muted"), .text(l("公開サイトと同じ点検です。「エラー」が残っていると公表できません（企画担当が理由を記録して公表する場合を除く）。",
                                       "The same checks as on the public site. Errors block publication unless the planning section records a reason to publish anyway."))),
            .ul(.forEach(findings) { finding in
                .li(.class("finding finding-\(finding.severity.rawValue)"),
                    .strong(.text(l(Self.severityJapanese(finding.severity), finding.severity.rawValue) + ": ")),
                    .text(l(finding.rule.japanese, finding.rule.english) + " – " + l(finding.japanese, finding.english)))
            }))
        let steps: [Node<HTML.BodyContext>] = [
            allowed(.withdraw) ? .form(.method(.post), .action(SiteURL.adminSheetStep(statusID, "withdraw").path), .class("step"),
                                       StaffForm.token(csrf), StaffForm.hidden("version", String(content.status.version)),
                                       .p(.class("muted"), .text(l("承認者が確認する前なら、提出を取り消して直せます。", "Until the approver has acted, you can take the submission back to change it."))),
                                       .button(.type(.submit), .id("withdraw-sheet"), .text(l("提出を取り消す（引戻し）", "Withdraw the submission")))) : .empty,
            allowed(.submit) && !canEdit ? .form(.method(.post), .action(SiteURL.adminSheetStep(statusID, "submit").path), .class("step"),
                                     StaffForm.token(csrf), StaffForm.hidden("version", String(content.status.version)),
                                     .button(.type(.submit), .id("submit-sheet"), .text(l("承認者に提出する", "Submit for approval")))) : .empty,
            allowed(.approve) ? .form(.method(.post), .action(SiteURL.adminSheetStep(statusID, "approve").path), .class("step"),
                                      StaffForm.token(csrf), StaffForm.hidden("version", String(content.status.version)),
                                      .button(.type(.submit), .id("approve-sheet"), .text(l("承認する", "Approve")))) : .empty,
            allowed(.return) ? .form(.method(.post), .action(SiteURL.adminSheetStep(statusID, "return").path), .class("step"),
                                     StaffForm.token(csrf), StaffForm.hidden("version", String(content.status.version)),
                                     .div(.class("field"),
                                          .label(.for("return-reason"), .text(l("差戻しの理由（担当課に表示されます）", "Why it is returned (shown to the section)"))),
                                          .element(named: "textarea", nodes: [.attribute(named: "name", value: "reason"), .attribute(named: "id", value: "return-reason"),
                                                                              .attribute(named: "rows", value: "5"), .attribute(named: "required", value: "required"),
                                                                              .text(reason ?? "")])),
                                     .button(.type(.submit), .id("return-sheet"), .text(l("差し戻す", "Return")))) : .empty,
        ]
        let layout = StaffLayout(language: l, title: content.program.name, user: user, csrf: csrf)
        let response = layout.render(
            .p(.a(.href(SiteURL.adminSheets.path), .text(l("← シート一覧", "← Sheets")))),
            .h1(.text(content.program.name)),
            .p(.class("muted"), .text("\(department?.name ?? "—") ・ \(l(FiscalYear(content.year).both, "FY\(content.year)")) ・ "),
               .span(.class("state state-\(content.state.rawValue)"), .id("sheet-state"), .text(l(content.state.japanese, content.state.english))),
               .text(" ・ " + l("評価サイクル: \(content.phase.japanese)", "cycle: \(content.phase.english)"))),
            saved ? .p(.class("notice ok"), .attribute(named: "role", value: "status"), .text(l("保存しました。", "Saved."))) : .empty,
            .unwrap(done) { .p(.class("notice ok"), .attribute(named: "role", value: "status"), .text(l("\($0.japanese)しました。", "Sheet \($0.pastParticiple).")))},
            .if(content.state == .returned, .div(.class("notice returned"), .attribute(named: "role", value: "alert"),
                .h2(.text(l("差し戻されました", "Returned"))),
                .p(.id("return-reason-shown"), .text(content.status.returnReason ?? "")))),
            .unwrap(conflict) { StaffForm.conflict($0, people: people, language: l) },
            .unwrap(refusal) { .p(.class("error"), .id("step-refused"), .attribute(named: "role", value: "alert"), .text($0)) },
            .if(!problems.isEmpty && refusal == nil, .p(.class("error"), .attribute(named: "role", value: "alert"),
                                      .text(l("入力に誤りがあります（\(problems.count)件）。各項目の下の説明を見て直してください。何も保存していません。",
                                              "\(problems.count) fields need correcting (see below each); nothing was saved.")))),
            checks,
            canCorrect
                ? .form(.method(.post), .action(SiteURL.adminSheetCorrection(statusID).path), .id("correction-form"), .class("sheet-edit"),
                        StaffForm.token(csrf), StaffForm.hidden("version", version),
                        .p(.class("notice"), .text(l("このシートは公表済みです。直すと「訂正」として、日付と理由が公開ページに表示されます。",
                                                     "This sheet is published: a change is a public correction, shown with its date and reason."))),
                        .raw(profile.render() + kpis.render() + budget.render() + evaluation.render()),
                        .raw(StaffForm.field(l("訂正の理由（公開されます）", "Why it is corrected (public)"), name: "correctionReason", value: reason ?? "",
                                             kind: .textarea, problem: problem("correctionReason")).render()),
                        .button(.type(.submit), .id("correct-sheet"), .text(l("訂正して公表する", "Correct and publish"))))
                : canEdit
                ? .form(.method(.post), .action(SiteURL.adminSheet(statusID).path), .id("sheet-form"), .class("sheet-edit"),
                        .attribute(named: "data-rates", value: SiteURL.adminSheetRates(statusID).path),
                        StaffForm.token(csrf), StaffForm.hidden("version", version),
                        .raw(profile.render() + kpis.render() + budget.render() + evaluation.render()),
                        .div(.class("actions"),
                             .button(.type(.submit), .id("save-sheet"), .text(l("下書き保存", "Save draft"))),
                             .if(allowed(.submit), .button(.type(.submit), .id("submit-sheet"),
                                                           .attribute(named: "formaction", value: SiteURL.adminSheetStep(statusID, "submit").path),
                                                           .text(l("保存して承認者に提出する", "Save and submit for approval"))))))
                : .raw(profile.render() + kpis.render() + budget.render() + evaluation.render()),
            .section(.class("steps"), .h2(.text(l("手続き", "Workflow"))), .group(steps),
                     .p(.a(.href(SiteURL.adminSheetHistory(statusID).path), .text(l("変更履歴を見る", "See the history"))))),
            .script(.src(SiteURL.staffSheetScript.path))
        )
        response.status = status
        return response
    }

    /// Asks the server for the rates while the user types (HyokaCore computes them; the page
    /// never has its own formula). Without JavaScript the rates show after saving. Served as a
    /// file of its own (`/assets/staff-sheet.js`): the content security policy allows no
    /// inline script.
    static let liveRatesScript = """
    (function () {
      var form = document.getElementById('sheet-form');
      if (!form || !window.fetch) return;
      var timer;
      var live = /^(target\\.|actual\\.|budget$|settlement$|personnelCost$)/;
      form.addEventListener('input', function (event) {
        if (!live.test(event.target.name || '')) return;
        clearTimeout(timer);
        timer = setTimeout(function () {
          var params = new URLSearchParams();
          var lang = new URLSearchParams(window.location.search).get('lang');
          if (lang) params.append('lang', lang);
          Array.prototype.forEach.call(form.elements, function (el) {
            if (live.test(el.name || '')) params.append(el.name, el.value);
          });
          fetch(form.getAttribute('data-rates') + '?' + params.toString(), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
            .then(function (r) { return r.ok ? r.json() : null; })
            .then(function (answer) {
              if (!answer) return;
              Object.keys(answer.rates).forEach(function (id) {
                var out = document.getElementById('rate-' + id.toLowerCase()) || document.getElementById('rate-' + id);
                if (out) out.textContent = answer.rates[id];
              });
              document.getElementById('suggested-grade').textContent = answer.suggested || '—';
              // Warnings next to their fields, as the page shows them after saving.
              Array.prototype.forEach.call(form.elements, function (el) {
                if (!live.test(el.name || '')) return;
                var id = 'f-' + el.name.replace(/\\./g, '-') + '-warning';
                var note = document.getElementById(id);
                var text = (answer.warnings || {})[el.name];
                if (text && !note) {
                  note = document.createElement('span');
                  note.className = 'warning';
                  note.id = id;
                  el.parentNode.appendChild(note);
                }
                if (note) note.textContent = text || '';
              });
            });
        }, 250);
      });
    })();
    """

    static func serveScript() -> Response {
        let response = Response(status: .ok, body: .init(string: liveRatesScript))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"])
        response.headers.cacheControl = .init(isPublic: true, maxAge: 3600)
        return response
    }
}

extension Request {
    func requireStaff() throws -> User {
        guard let user = staff else { throw Abort(.unauthorized) }
        return user
    }
}
