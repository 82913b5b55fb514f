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
        let forms = try await otherForms(user: user, municipalityID: municipalityID, req: req)
        return layout.render(
            .h1(.text(l("作業の状況", "Progress") + " – \(municipality.name)")),
            .nav(.class("staff-menu"), .attribute(named: "aria-label", value: l("職員メニュー", "Staff menu")),
                .ul(.li(.a(.href(SiteURL.adminSheets.path), .text(l("シート一覧", "Sheets")))),
                    .li(.a(.href(SiteURL.adminCycles.path), .text(l("評価サイクル", "Cycles")))),
                    .li(.a(.href(SiteURL.adminWorkbook.path), .text(l("Excel でのやりとり", "Excel exchange")))))),
            .group(board),
            forms
        )
    }

    /// Links to the record forms the user may write: 局施策評価, manifesto goals,
    /// collaboration projects, inventory review entries (each list folded, as a city has many).
    static func otherForms(user: User, municipalityID: UUID, req: Request) async throws -> Node<HTML.BodyContext> {
        let l = PortalLanguage(req)
        let actor = Access.actor(user)
        var groups: [(String, [(String, String)])] = []
        if let year = try? await RecordForm.openYear(municipalityID, on: req.db) {
            var nodes: [(String, String)] = []
            let plans = try await Plan.query(on: req.db).filter(\.$municipality.$id == municipalityID).all().compactMap(\.id)
            let linked = Set(try await PlanLink.query(on: req.db).join(PlanNode.self, on: \PlanLink.$planNode.$id == \PlanNode.$id)
                .filter(PlanNode.self, \.$plan.$id ~~ plans).all().map(\.$planNode.id))
            for node in try await PlanNode.query(on: req.db).filter(\.$id ~~ linked).sort(\.$code).all()
            where Policy.allows(actor, .writeBureauEvaluation, on: try await Access.target(planNode: node, on: req.db)) {
                nodes.append((SiteURL.adminPlanNode(node.id!).path, "\(node.code) \(node.title)"))
            }
            groups.append((l("局施策評価（\(FiscalYear(year).japanese)）", "Bureau evaluations (FY\(year))"), nodes))
        }
        var goals: [(String, String)] = []
        for manifesto in try await Manifesto.query(on: req.db).filter(\.$municipality.$id == municipalityID).with(\.$department).sort(\.$fiscalYear, .descending).all()
        where Policy.allows(actor, .editManifesto, on: try await Access.target(manifesto: manifesto, on: req.db)) {
            for goal in try await ManifestoGoal.query(on: req.db).filter(\.$manifesto.$id == manifesto.requireID()).sort(\.$number).all() {
                goals.append((SiteURL.adminManifestoGoal(goal.id!).path, "\(manifesto.fiscalYear) \(manifesto.department.name) \(goal.number). \(goal.title)"))
            }
        }
        groups.append((l("部局マニフェストの目標", "Manifesto goals"), goals))
        if Policy.allows(actor, .editCollaboration, on: Policy.Target(municipalityID: municipalityID)) {
            let regions = try await Region.query(on: req.db).filter(\.$municipality.$id == municipalityID).all().compactMap(\.id)
            let projects = try await CollaborationProject.query(on: req.db).filter(\.$region.$id ~~ regions).sort(\.$sortOrder).all()
            groups.append((l("連携事業", "Collaboration projects"), projects.map { (SiteURL.adminCollaboration($0.id!).path, "\($0.agreementCategory) \($0.name)") }))
        }
        if Policy.allows(actor, .editInventoryReview, on: Policy.Target(municipalityID: municipalityID)) {
            let programs = try await Program.query(on: req.db).filter(\.$municipality.$id == municipalityID).all()
            let names = Dictionary(programs.compactMap { p in p.id.map { ($0, p.name) } }, uniquingKeysWith: { a, _ in a })
            let reviews = try await InventoryReview.query(on: req.db).filter(\.$program.$id ~~ Array(names.keys)).sort(\.$fiscalYear, .descending).all()
            groups.append((l("棚卸し", "Inventory reviews"), reviews.map { (SiteURL.adminReview($0.id!).path, "\($0.fiscalYear) \(names[$0.$program.id] ?? "") (\($0.reviewRound))") }))
        }
        let shown = groups.filter { !$0.1.isEmpty }
        guard !shown.isEmpty else { return .empty }
        return .section(.h2(.text(l("その他の入力", "Other forms"))),
                        .forEach(shown) { title, links in
                            .details(.summary(.text("\(title)（\(links.count)）")), .ul(.forEach(links) { .li(.a(.href($0.0), .text($0.1))) }))
                        })
    }
}
