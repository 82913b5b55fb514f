import Fluent
import Foundation
import HyokaCore
import Plot
import Vapor

/// `/admin/cycles`: the municipality's cycles, opening a year, deadlines, moving a cycle on.
enum CycleController {
    @Sendable static func index(req: Request) async throws -> Response {
        try await page(req, error: nil, status: .ok)
    }

    static func page(_ req: Request, error: String?, status: HTTPResponseStatus) async throws -> Response {
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
        var rows: [Node<HTML.TableContext>] = []
        for cycle in cycles {
            guard let id = cycle.id else { continue }
            let phase = CyclePhase(rawValue: cycle.phase) ?? .preparation
            let sheets = try await SheetStatus.query(on: req.db).filter(\.$cycle.$id == id).all()
            let approved = sheets.filter { $0.status == SheetState.approved.rawValue || $0.status == SheetState.published.rawValue }.count
            let next = try? CycleWorkflow.advance(phase, unapproved: 0).get()
            let mayAdvance = next.map { Policy.allows(actor, $0 == .published ? .publishCycle : .manageCycle, on: target) } ?? false
            rows.append(.tr(
                .th(.attribute(named: "scope", value: "row"), .text(l(FiscalYear(cycle.fiscalYear).both, "FY\(cycle.fiscalYear)"))),
                .td(.span(.class("phase phase-\(phase.rawValue)"), .id("phase-\(cycle.fiscalYear)"), .text(l(phase.japanese, phase.english)))),
                .td(.class("num"), .text("\(approved) / \(sheets.count)")),
                .td(canManage && phase != .published
                    ? .form(.method(.post), .action(SiteURL.adminCycleDeadlines(id).path), .class("inline"),
                            StaffForm.token(csrf),
                            .label(.for("input-\(cycle.fiscalYear)"), .text(l("入力期限", "Input"))),
                            .input(.type(.date), .name("inputDeadline"), .id("input-\(cycle.fiscalYear)"), .value(StaffForm.day(cycle.inputDeadline))),
                            .label(.for("review-\(cycle.fiscalYear)"), .text(l("審査期限", "Review"))),
                            .input(.type(.date), .name("reviewDeadline"), .id("review-\(cycle.fiscalYear)"), .value(StaffForm.day(cycle.reviewDeadline))),
                            .button(.type(.submit), .text(l("期限を保存", "Save deadlines"))))
                    : .text([StaffForm.day(cycle.inputDeadline), StaffForm.day(cycle.reviewDeadline)].filter { !$0.isEmpty }.joined(separator: " / "))),
                .td(mayAdvance && next != nil
                    ? .form(.method(.post), .action(SiteURL.adminCycleAdvance(id).path), .class("inline"),
                            StaffForm.token(csrf), StaffForm.hidden("from", phase.rawValue),
                            .button(.type(.submit), .id("advance-\(cycle.fiscalYear)"),
                                    .text(next == .published ? l("公表する", "Publish") : l("「\(next!.japanese)」に進める", "Move to \(next!.english)"))))
                    : .text(""))
            ))
        }
        let thisYear = FiscalYear(containing: Date()).year
        let response = layout.render(
            .h1(.text(l("評価サイクル", "Evaluation cycles"))),
            .unwrap(error) { .p(.class("error"), .attribute(named: "role", value: "alert"), .text($0)) },
            .p(.class("muted"), .text(l("準備 → 入力 → 審査 → 確定 → 公表 の順に一つずつ進みます。確定にはすべてのシートの承認が必要です。公表すると公開サイトに表示されます。",
                                       "Phases: preparation → input → review → finalized → published, one at a time. Finalizing needs every sheet approved; publishing shows the cycle on the public site."))),
            cycles.isEmpty ? .p(.class("empty"), .text(l("評価サイクルはまだありません。", "No cycles yet."))) :
            .table(.class("cycles"),
                .tr(.th(.attribute(named: "scope", value: "col"), .text(l("年度", "Year"))),
                    .th(.attribute(named: "scope", value: "col"), .text(l("段階", "Phase"))),
                    .th(.attribute(named: "scope", value: "col"), .class("num"), .text(l("承認済み / シート", "Approved / sheets"))),
                    .th(.attribute(named: "scope", value: "col"), .text(l("期限", "Deadlines"))),
                    .th(.attribute(named: "scope", value: "col"), .text(l("操作", "Action")))),
                .group(rows)),
            .if(canManage, .section(
                .h2(.text(l("新しい年度を始める", "Open a new year"))),
                .p(.text(l("前年度のシート（事業・施策とのつながり・指標と目標値）を引き継ぎます。担当課は実績と評価を入力します。",
                           "Carries last year's sheets forward (programs, plan links, indicators with their targets); sections then enter actuals and evaluations."))),
                .form(.method(.post), .action(SiteURL.adminCycles.path), .class("staff"),
                      StaffForm.token(csrf),
                      .label(.for("fiscalYear"), .text(l("年度（西暦）", "Fiscal year"))),
                      .input(.type(.number), .name("fiscalYear"), .id("fiscalYear"), .value(String((cycles.first?.fiscalYear ?? thisYear - 1) + 1)), .required(true)),
                      .label(.for("inputDeadline"), .text(l("入力期限", "Input deadline"))),
                      .input(.type(.date), .name("inputDeadline"), .id("inputDeadline")),
                      .label(.for("reviewDeadline"), .text(l("審査期限", "Review deadline"))),
                      .input(.type(.date), .name("reviewDeadline"), .id("reviewDeadline")),
                      .button(.type(.submit), .id("open-cycle"), .text(l("この年度を始める", "Open this year"))))
            ))
        )
        response.status = status
        return response
    }

    @Sendable static func open(req: Request) async throws -> Response {
        let user = try req.requireStaff()
        let form = try StaffForm.fields(req)
        guard let municipalityID = user.$municipality.id else { throw StaffError.forbidden }
        guard let year = form["fiscalYear"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else {
            throw StaffError(status: .unprocessableEntity, japanese: "年度を西暦で入力してください（例: 2026）", english: "enter the fiscal year as a number like 2026")
        }
        _ = try await CycleService.open(municipalityID: municipalityID, fiscalYear: year, inputDeadline: try StaffForm.date(form["inputDeadline"]),
                                        reviewDeadline: try StaffForm.date(form["reviewDeadline"]), by: user, on: req.db)
        return req.redirect(to: SiteURL.adminCycles.path, redirectType: .normal)
    }

    @Sendable static func advance(req: Request) async throws -> Response {
        let user = try req.requireStaff()
        let form = try StaffForm.fields(req)
        _ = try await CycleService.advance(try req.idParameter(), from: form["from"].flatMap(CyclePhase.init(rawValue:)), by: user, on: req.db)
        return req.redirect(to: SiteURL.adminCycles.path, redirectType: .normal)
    }

    @Sendable static func deadlines(req: Request) async throws -> Response {
        let user = try req.requireStaff()
        let form = try StaffForm.fields(req)
        try await CycleService.setDeadlines(try req.idParameter(), input: try StaffForm.date(form["inputDeadline"]),
                                            review: try StaffForm.date(form["reviewDeadline"]), by: user, on: req.db)
        return req.redirect(to: SiteURL.adminCycles.path, redirectType: .normal)
    }
}
