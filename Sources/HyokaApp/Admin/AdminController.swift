import Fluent
import Foundation
import HyokaCore
import Plot
import Vapor

/// `/admin`: the signed-in user's start page, with the progress board of the open cycle:
/// per department, how many sheets are in each state, overdue ones highlighted.
enum AdminController {
    @Sendable static func dashboard(req: Request) async throws -> Response {
        let l = PortalLanguage(req)
        guard let user = req.staff else { throw Abort(.unauthorized) }
        let layout = StaffLayout(language: l, title: l("作業の状況", "Progress"), user: user, csrf: StaffSession.csrfToken(req))
        guard let municipalityID = user.$municipality.id, let municipality = try await Municipality.find(municipalityID, on: req.db) else {
            return layout.render(
                .h1(.text(l("システム管理", "Administration"))),
                .p(.text(l("アカウントの管理は `hyoka user` コマンドで行います（add, list, disable, reset-password）。",
                           "Accounts are managed with the `hyoka user` command (add, list, disable, reset-password).")))
            )
        }
        let cycles = try await Cycle.query(on: req.db).filter(\.$municipality.$id == municipalityID).sort(\.$fiscalYear, .descending).all()
        let open = cycles.first { $0.phase != CyclePhase.published.rawValue }
        var board: [Node<HTML.BodyContext>] = []
        if let open, let cycleID = open.id {
            let sheets = try await SheetStatus.query(on: req.db).filter(\.$cycle.$id == cycleID).with(\.$program) { $0.with(\.$department) }.all()
            let overdueDate = open.inputDeadline.map { StaffForm.day($0) < StaffForm.today() } ?? false
            let byDepartment = Dictionary(grouping: sheets, by: { $0.program.department?.name ?? l("（担当課なし）", "(no department)") })
            board.append(.h2(.text(l("\(FiscalYear(open.fiscalYear).both)の評価サイクル（\(CyclePhase(rawValue: open.phase)?.japanese ?? open.phase)）",
                                     "FY\(open.fiscalYear) cycle (\(CyclePhase(rawValue: open.phase)?.english ?? open.phase))"))))
            board.append(.unwrap(open.inputDeadline) { deadline in
                .p(.text(l("入力期限: ", "Input deadline: ") + StaffForm.day(deadline)))
            })
            board.append(.table(.class("board"),
                .caption(.text(l("課ごとのシートの状態", "Sheets by department and state"))),
                .tr(.th(.attribute(named: "scope", value: "col"), .text(l("担当課", "Department"))),
                    .forEach(SheetState.allCases) { .th(.attribute(named: "scope", value: "col"), .class("num"), .text(l($0.japanese, $0.english))) },
                    .th(.attribute(named: "scope", value: "col"), .class("num"), .text(l("期限超過", "Overdue")))),
                .forEach(byDepartment.keys.sorted()) { name in
                    let own = byDepartment[name] ?? []
                    let overdue = overdueDate ? own.filter { $0.status == SheetState.draft.rawValue || $0.status == SheetState.returned.rawValue }.count : 0
                    return .tr(.if(overdue > 0, .class("overdue")),
                               .th(.attribute(named: "scope", value: "row"), .text(name)),
                               .forEach(SheetState.allCases) { state in .td(.class("num"), .text("\(own.filter { $0.status == state.rawValue }.count)")) },
                               .td(.class("num"), .text(overdue > 0 ? l("\(overdue)件 超過", "\(overdue) overdue") : "0")))
                }
            ))
        } else {
            board.append(.p(.class("empty"), .text(l("進行中の評価サイクルはありません。", "No evaluation cycle is open."))))
        }
        return layout.render(
            .h1(.text(l("作業の状況", "Progress") + " – \(municipality.name)")),
            .nav(.class("staff-menu"), .attribute(named: "aria-label", value: l("職員メニュー", "Staff menu")),
                .ul(.li(.a(.href(SiteURL.adminSheets.path), .text(l("シート一覧", "Sheets")))),
                    .li(.a(.href(SiteURL.adminCycles.path), .text(l("評価サイクル", "Cycles")))),
                    .li(.a(.href(SiteURL.adminWorkbook.path), .text(l("Excel でのやりとり", "Excel exchange")))))),
            .group(board)
        )
    }
}
