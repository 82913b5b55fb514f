import Fluent
import SQLKit
import Foundation
import HyokaCore
import Plot
import Vapor

/// `/admin/cycles`: the municipality's cycles, opening a year, deadlines, moving a cycle on
/// or back, and publication after a confirmation that shows what the checks still report.
enum CycleController {
    @Sendable static func index(req: Request) async throws -> Response {
        try await page(req, error: nil, status: .ok)
    }

    /// The page; after a refused form, `error` says why and `typed` is what was typed, so
    /// nothing has to be entered again.
    static func page(_ req: Request, error: String?, status: HTTPResponseStatus, typed: [String: String] = [:], errorCycle: UUID? = nil) async throws -> Response {
        let l = PortalLanguage(req)
        let user = try req.requireStaff()
        let csrf = StaffSession.csrfToken(req)
        let layout = StaffLayout(language: l, title: l("評価サイクル", "Cycles"), user: user, csrf: csrf)
        guard let municipalityID = user.$municipality.id else {
            return layout.render(.h1(.text(l("評価サイクル", "Cycles"))), .p(.text(l("団体に属するアカウントで使います。", "For accounts of a municipality."))))
        }
        let cycles = try await Cycle.query(on: req.db).filter(\.$municipality.$id == municipalityID).sort(\.$fiscalYear, .descending).all()
        let actor = Access.actor(user)
        let target = Policy.Target(municipalityID: municipalityID)
        let canManage = Policy.allows(actor, .manageCycle, on: target)
        let counts = try await sheetCounts(cycles.compactMap(\.id), on: req.db)
        var rows: [Node<HTML.TableContext>] = []
        for cycle in cycles {
            guard let id = cycle.id else { continue }
            let phase = cycle.cyclePhase
            let count = counts[id] ?? (0, 0)
            let next = try? CycleWorkflow.advance(phase, unapproved: 0).get()
            let previous = try? CycleWorkflow.back(phase).get()
            let mayAdvance = next.map { Policy.allows(actor, $0 == .published ? .publishCycle : .manageCycle, on: target) } ?? false
            let typedHere = errorCycle == id ? typed : [:]
            let advance: Node<HTML.BodyContext>
            if let next, mayAdvance {
                advance = next == .published
                    ? .a(.class("button"), .href(SiteURL.adminCyclePublish(id).path), .id("advance-\(cycle.fiscalYear)"), .text(l("公表の確認へ", "Review and publish")))
                    : .form(.method(.post), .action(SiteURL.adminCycleAdvance(id).path), .class("inline"),
                            StaffForm.token(csrf), StaffForm.hidden("from", phase.rawValue),
                            .button(.type(.submit), .id("advance-\(cycle.fiscalYear)"), .text(l("「\(next.japanese)」に進める", "Move to \(next.english)"))))
            } else {
                advance = .empty
            }
            let back: Node<HTML.BodyContext> = canManage && previous != nil
                ? .details(.class("back"),
                    .summary(.text(l("「\(previous?.japanese ?? "")」に戻す", "Back to \(previous?.english ?? "")"))),
                    .form(.method(.post), .action(SiteURL.adminCycleBack(id).path), .class("staff"),
                          StaffForm.token(csrf), StaffForm.hidden("from", phase.rawValue),
                          .label(.for("back-reason-\(cycle.fiscalYear)"), .text(l("戻す理由（記録されます）", "Why (recorded)"))),
                          .textarea(.name("reason"), .id("back-reason-\(cycle.fiscalYear)"), .attribute(named: "rows", value: "2"), .required(true), .text(typedHere["reason"] ?? "")),
                          .button(.type(.submit), .id("back-\(cycle.fiscalYear)"), .text(l("戻す", "Move back")))))
                : .empty
            rows.append(.tr(
                .th(.attribute(named: "scope", value: "row"), .text(l(FiscalYear(cycle.fiscalYear).both, "FY\(cycle.fiscalYear)"))),
                .td(.span(.class("phase phase-\(phase.rawValue)"), .id("phase-\(cycle.fiscalYear)"), .text(l(phase.japanese, phase.english)))),
                .td(.class("num"), .text("\(count.approved) / \(count.total)")),
                .td(canManage && phase != .published
                    ? .form(.method(.post), .action(SiteURL.adminCycleDeadlines(id).path), .class("inline"),
                            StaffForm.token(csrf),
                            .label(.for("input-\(cycle.fiscalYear)"), .text(l("入力期限", "Input"))),
                            .input(.type(.date), .name("inputDeadline"), .id("input-\(cycle.fiscalYear)"), .value(typedHere["inputDeadline"] ?? StaffForm.day(cycle.inputDeadline))),
                            .label(.for("review-\(cycle.fiscalYear)"), .text(l("審査期限", "Review"))),
                            .input(.type(.date), .name("reviewDeadline"), .id("review-\(cycle.fiscalYear)"), .value(typedHere["reviewDeadline"] ?? StaffForm.day(cycle.reviewDeadline))),
                            .button(.type(.submit), .id("deadlines-\(cycle.fiscalYear)"), .text(l("期限を保存", "Save deadlines"))))
                    : .text([StaffForm.day(cycle.inputDeadline), StaffForm.day(cycle.reviewDeadline)].filter { !$0.isEmpty }.joined(separator: " / "))),
                .td(advance, back)
            ))
        }
        let thisYear = FiscalYear(containing: HyokaClock.date).year
        let notice = (try? req.query.get(String.self, at: "notice")).flatMap { Notice(rawValue: $0) }
        let noticeYear = (try? req.query.get(Int.self, at: "year")) ?? 0
        let created = (try? req.query.get(Int.self, at: "sheets")) ?? 0
        let response = layout.render(
            .h1(.text(l("評価サイクル", "Evaluation cycles"))),
            .unwrap(notice) { notice in
                .p(.class("notice ok"), .id("cycle-notice"), .attribute(named: "role", value: "status"), .text(notice.text(year: noticeYear, sheets: created, l)))
            },
            .unwrap(error) { .p(.class("error"), .id("cycle-error"), .attribute(named: "role", value: "alert"), .text($0)) },
            .p(.class("muted"), .text(l("準備 → 入力 → 審査 → 確定 → 公表 の順に一つずつ進みます（理由を記録して一つ戻すこともできます）。確定にはすべてのシートの承認が必要です。公表の前に点検結果を確認します。公表すると公開サイトに表示され、その後の修正は「訂正」として日付と理由が公開されます。",
                                       "Phases: preparation → input → review → finalized → published, one at a time (a phase can go back one step, with a reason). Finalizing needs every sheet approved; publishing is confirmed after the checks are shown; later changes are public corrections with date and reason."))),
            cycles.isEmpty ? .p(.class("empty"), .text(l("評価サイクルはまだありません。", "No cycles yet."))) :
            .div(.class("table-scroll"), .table(.class("cycles"),
                .tr(.th(.attribute(named: "scope", value: "col"), .text(l("年度", "Year"))),
                    .th(.attribute(named: "scope", value: "col"), .text(l("段階", "Phase"))),
                    .th(.attribute(named: "scope", value: "col"), .class("num"), .text(l("承認済み / シート", "Approved / sheets"))),
                    .th(.attribute(named: "scope", value: "col"), .text(l("期限", "Deadlines"))),
                    .th(.attribute(named: "scope", value: "col"), .text(l("操作", "Action")))),
                .group(rows))),
            .if(canManage, .section(
                .h2(.text(l("新しい年度を始める", "Open a new year"))),
                .p(.text(l("その年度に実施中の事業すべてについてシートを作り、指標の目標値を前年度から引き継ぎます。担当課は実績と評価を入力します。",
                           "Creates a sheet for every program running in the year and carries the indicators' targets forward; sections then enter actuals and evaluations."))),
                .form(.method(.post), .action(SiteURL.adminCycles.path), .class("staff"),
                      StaffForm.token(csrf),
                      .label(.for("fiscalYear"), .text(l("年度（西暦）", "Fiscal year"))),
                      .input(.type(.number), .name("fiscalYear"), .id("fiscalYear"),
                             .value(errorCycle == nil ? typed["fiscalYear"] ?? String((cycles.first?.fiscalYear ?? thisYear - 1) + 1) : String((cycles.first?.fiscalYear ?? thisYear - 1) + 1)),
                             .required(true)),
                      .label(.for("inputDeadline"), .text(l("入力期限", "Input deadline"))),
                      .input(.type(.date), .name("inputDeadline"), .id("inputDeadline"), .value(errorCycle == nil ? typed["inputDeadline"] ?? "" : "")),
                      .label(.for("reviewDeadline"), .text(l("審査期限", "Review deadline"))),
                      .input(.type(.date), .name("reviewDeadline"), .id("reviewDeadline"), .value(errorCycle == nil ? typed["reviewDeadline"] ?? "" : "")),
                      .button(.type(.submit), .id("open-cycle"), .text(l("この年度を始める", "Open this year"))))
            ))
        )
        response.status = status
        return response
    }

    /// Confirmations after a redirect (`?notice=opened&year=2026&sheets=308`).
    enum Notice: String {
        case opened, deadlines, advanced, back, published

        func text(year: Int, sheets: Int, _ l: PortalLanguage) -> String {
            let fy = l(FiscalYear(year).both, "FY\(year)")
            switch self {
            case .opened: return l("\(fy)の評価サイクルを始めました。シートを\(sheets)件作成しました。", "Opened the \(fy) cycle with \(sheets) sheets.")
            case .deadlines: return l("\(fy)の期限を保存しました。", "Saved the deadlines of \(fy).")
            case .advanced: return l("\(fy)の評価サイクルを次の段階に進めました。", "Moved the \(fy) cycle on.")
            case .back: return l("\(fy)の評価サイクルを一つ前の段階に戻しました。", "Moved the \(fy) cycle back.")
            case .published: return l("\(fy)の評価サイクルを公表しました。公開サイトに表示されています。", "Published the \(fy) cycle; it is on the public site.")
            }
        }
    }

    /// Sheets and approved sheets per cycle, counted by the database.
    static func sheetCounts(_ cycleIDs: [UUID], on db: any Database) async throws -> [UUID: (total: Int, approved: Int)] {
        guard !cycleIDs.isEmpty, let sql = db as? any SQLDatabase else { return [:] }
        let rows = try await sql.select().column("cycle_id").column("status").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SheetStatus.schema).where("cycle_id", .in, cycleIDs).groupBy("cycle_id").groupBy("status").all()
        var counts: [UUID: (total: Int, approved: Int)] = [:]
        for row in rows {
            let id = try row.decode(column: "cycle_id", as: UUID.self), status = try row.decode(column: "status", as: String.self)
            let n = try row.decode(column: "n", as: Int.self)
            var count = counts[id] ?? (0, 0)
            count.total += n
            if status == SheetState.approved.rawValue || status == SheetState.published.rawValue { count.approved += n }
            counts[id] = count
        }
        return counts
    }

    static func redirect(_ req: Request, _ notice: Notice, year: Int, sheets: Int? = nil) -> Response {
        var query: [(String, String?)] = [("notice", notice.rawValue), ("year", String(year))]
        if let sheets { query.append(("sheets", String(sheets))) }
        return req.redirect(to: SiteURL.adminCycles.link(query), redirectType: .normal)
    }

    /// A refused form shows the page again with the reason and the input, not an error page.
    static func refused(_ req: Request, _ error: StaffError, typed: [String: String], cycle: UUID? = nil) async throws -> Response {
        try await page(req, error: PortalLanguage(req)(error.japanese, error.english), status: error.status, typed: typed, errorCycle: cycle)
    }

    @Sendable static func open(req: Request) async throws -> Response {
        let user = try req.requireStaff()
        let form = try StaffForm.fields(req)
        guard let municipalityID = user.$municipality.id else { throw StaffError.forbidden }
        do {
            guard let year = form["fiscalYear"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else {
                throw StaffError(status: .unprocessableEntity, japanese: "年度を西暦で入力してください（例: 2026）", english: "enter the fiscal year as a number like 2026")
            }
            let opened = try await CycleService.open(municipalityID: municipalityID, fiscalYear: year, inputDeadline: try StaffForm.date(form["inputDeadline"]),
                                                     reviewDeadline: try StaffForm.date(form["reviewDeadline"]), by: user, on: req.db)
            return redirect(req, .opened, year: year, sheets: opened.sheets)
        } catch let error as StaffError where error.status != .forbidden {
            return try await refused(req, error, typed: form)
        }
    }

    @Sendable static func advance(req: Request) async throws -> Response {
        let user = try req.requireStaff()
        let form = try StaffForm.fields(req)
        let id = try req.idParameter()
        let from = form["from"].flatMap(CyclePhase.init(rawValue:))
        // Publication is confirmed on its own page, which shows what the checks report.
        if from == .finalized, form["confirm"] != "1" {
            return req.redirect(to: SiteURL.adminCyclePublish(id).path, redirectType: .normal)
        }
        do {
            let next = try await CycleService.advance(id, from: from, override: form["override"], by: user, on: req.db)
            let year = try await Cycle.find(id, on: req.db)?.fiscalYear ?? 0
            return redirect(req, next == .published ? .published : .advanced, year: year)
        } catch let error as StaffError where error.status != .forbidden && error.status != .notFound {
            if from == .finalized { return try await publishPage(req, cycleID: id, error: PortalLanguage(req)(error.japanese, error.english), typed: form, status: error.status) }
            return try await refused(req, error, typed: form, cycle: id)
        }
    }

    @Sendable static func back(req: Request) async throws -> Response {
        let user = try req.requireStaff()
        let form = try StaffForm.fields(req)
        let id = try req.idParameter()
        do {
            _ = try await CycleService.back(id, from: form["from"].flatMap(CyclePhase.init(rawValue:)), reason: form["reason"], by: user, on: req.db)
            return redirect(req, .back, year: try await Cycle.find(id, on: req.db)?.fiscalYear ?? 0)
        } catch let error as StaffError where error.status != .forbidden && error.status != .notFound {
            return try await refused(req, error, typed: form, cycle: id)
        }
    }

    @Sendable static func deadlines(req: Request) async throws -> Response {
        let user = try req.requireStaff()
        let form = try StaffForm.fields(req)
        let id = try req.idParameter()
        do {
            try await CycleService.setDeadlines(id, input: try StaffForm.date(form["inputDeadline"]),
                                                review: try StaffForm.date(form["reviewDeadline"]), by: user, on: req.db)
            return redirect(req, .deadlines, year: try await Cycle.find(id, on: req.db)?.fiscalYear ?? 0)
        } catch let error as StaffError where error.status != .forbidden && error.status != .notFound {
            return try await refused(req, error, typed: form, cycle: id)
        }
    }

    // MARK: publication

    @Sendable static func confirmPublication(req: Request) async throws -> Response {
        try await publishPage(req, cycleID: try req.idParameter(), error: nil, typed: [:], status: .ok)
    }

    /// What publishing will do: how many sheets become public, and every finding of the
    /// checks, errors first, each linked to its sheet. Errors block publication unless the
    /// planner records why it goes ahead.
    static func publishPage(_ req: Request, cycleID: UUID, error: String?, typed: [String: String], status: HTTPResponseStatus) async throws -> Response {
        let l = PortalLanguage(req)
        let user = try req.requireStaff()
        let csrf = StaffSession.csrfToken(req)
        guard let cycle = try await Cycle.find(cycleID, on: req.db), user.$municipality.id == cycle.$municipality.id else {
            throw StaffError.notFound("評価サイクル", "cycle")
        }
        try Access.require(user, .publishCycle, on: Policy.Target(municipalityID: cycle.$municipality.id))
        let phase = cycle.cyclePhase
        let findings = try await CycleChecks.findings(of: cycle, on: req.db)
            .sorted { ($0.finding.severity.order, $0.program) < ($1.finding.severity.order, $1.program) }
        let errors = findings.filter { $0.finding.severity == .error }
        let count = try await sheetCounts([cycleID], on: req.db)[cycleID] ?? (0, 0)
        let fy = l(FiscalYear(cycle.fiscalYear).both, "FY\(cycle.fiscalYear)")
        let layout = StaffLayout(language: l, title: l("公表の確認", "Confirm publication"), user: user, csrf: csrf)
        let response = layout.render(
            .p(.a(.href(SiteURL.adminCycles.path), .text(l("← 評価サイクル", "← Cycles")))),
            .h1(.text(l("\(fy)の公表の確認", "Publish \(fy)"))),
            .unwrap(error) { .p(.class("error"), .id("publish-error"), .attribute(named: "role", value: "alert"), .text($0)) },
            .p(.id("publish-summary"), .text(l("承認済みのシート\(count.approved)件を公開サイトに表示します。公表後の変更は「訂正」として日付と理由が公開されます。",
                                               "\(count.approved) approved sheets will be shown on the public site. Later changes are public corrections with date and reason."))),
            .h2(.text(l("点検結果（エラー \(errors.count)件、全 \(findings.count)件）", "Checks (\(errors.count) errors, \(findings.count) in all)"))),
            findings.isEmpty ? .p(.class("notice ok"), .text(l("指摘はありません。", "No findings."))) :
            .div(.class("table-scroll"), .table(.class("findings"), .id("publish-findings"),
                .tr(.th(.attribute(named: "scope", value: "col"), .text(l("重要度", "Severity"))),
                    .th(.attribute(named: "scope", value: "col"), .text(l("事業", "Program"))),
                    .th(.attribute(named: "scope", value: "col"), .text(l("内容", "Finding")))),
                .forEach(findings.prefix(500)) { f in
                    .tr(.class("finding-\(f.finding.severity.rawValue)"),
                        .td(.text(l(SheetController.severityJapanese(f.finding.severity), f.finding.severity.rawValue))),
                        .td(f.sheetID.map { .a(.href(SiteURL.adminSheet($0).path), .text(f.program)) } ?? .text(f.program)),
                        .td(.text(l(f.finding.rule.japanese, f.finding.rule.english) + " – " + l(f.finding.japanese, f.finding.english))))
                })),
            .if(findings.count > 500, .p(.class("muted"), .text(l("最初の500件を表示しています。すべては `hyoka lint` で確認できます。", "The first 500 are shown; `hyoka lint` lists all.")))),
            phase == .finalized ? .form(.method(.post), .action(SiteURL.adminCycleAdvance(cycleID).path), .class("staff"), .id("publish-form"),
                StaffForm.token(csrf), StaffForm.hidden("from", CyclePhase.finalized.rawValue),
                .if(!errors.isEmpty, .group(
                    .label(.for("override"), .text(l("エラーが残ったまま公表する理由（監査記録に残ります）", "Why publish with errors remaining (audited)"))),
                    .textarea(.name("override"), .id("override"), .attribute(named: "rows", value: "3"), .required(true), .text(typed["override"] ?? "")))),
                .div(.class("confirm"),
                     .input(.type(.checkbox), .name("confirm"), .value("1"), .id("confirm"), .required(true)),
                     .label(.for("confirm"), .text(l("内容を確認しました。公表すると誰でも見られるようになります。", "I have checked; once published, anyone can see it.")))),
                .button(.type(.submit), .id("confirm-publish"), .text(l("公表する", "Publish"))))
            : .p(.class("muted"), .text(l("公表できるのは「確定」の評価サイクルです（現在: \(phase.japanese)）。", "Only a finalized cycle can be published (now: \(phase.english)).")))
        )
        response.status = status
        return response
    }
}

extension LintRule.Severity {
    /// Errors first.
    var order: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .info: 2
        }
    }
}
