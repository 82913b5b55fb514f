import Fluent
import Foundation
import SQLKit
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
        // Every cycle not yet published: a planner may open the next year while sections
        // still finish this one.
        let open = cycles.filter { $0.phase != CyclePhase.published.rawValue }
        var board: [Node<HTML.BodyContext>] = []
        if open.isEmpty {
            board.append(.p(.class("empty"), .text(l("進行中の評価サイクルはありません。", "No evaluation cycle is open."))))
        } else {
            let tree = try await DepartmentTree.load(municipalityID: municipalityID, on: req.db)
            for cycle in open { board.append(try await progress(cycle, tree: tree, language: l, on: req.db)) }
        }
        let forms = try await otherForms(user: user, municipalityID: municipalityID, req: req)
        return layout.render(
            .h1(.text(l("作業の状況", "Progress") + " – \(municipality.name)")),
            .nav(.class("staff-menu"), .attribute(named: "aria-label", value: l("職員メニュー", "Staff menu")),
                .ul(.li(.a(.href(SiteURL.adminSheets.path), .text(l("シート一覧", "Sheets")))),
                    .li(.a(.href(SiteURL.adminCycles.path), .text(l("評価サイクル", "Cycles")))),
                    .li(.a(.href(SiteURL.adminWorkbook.path), .text(l("Excel でのやりとり", "Excel exchange")))),
                    .if(Policy.allows(Access.actor(user), .publishCycle, on: Policy.Target(municipalityID: municipalityID)),
                        .li(.a(.href(SiteURL.adminProgramMerge.path), .text(l("表記ゆれの事業をまとめる", "Merge programs spelled two ways"))))))),
            .group(board),
            forms
        )
    }

    /// One count of sheets: by state, overdue, and the errors and warnings of the checks.
    struct Tally {
        var states: [SheetState: Int] = [:]
        var overdue = 0
        var errors = 0
        var warnings = 0
        var unchecked = 0
        var total: Int { states.values.reduce(0, +) }

        static func + (a: Tally, b: Tally) -> Tally {
            Tally(states: a.states.merging(b.states, uniquingKeysWith: +), overdue: a.overdue + b.overdue, errors: a.errors + b.errors,
                  warnings: a.warnings + b.warnings, unchecked: a.unchecked + b.unchecked)
        }
    }

    /// Which sheets are overdue: in 入力 those not yet submitted once the input deadline has
    /// passed; in 審査 also those not yet approved once the review deadline has passed. In
    /// 準備 and 確定 nothing is due.
    static func isOverdue(_ state: SheetState, cycle: Cycle, today: String) -> Bool {
        let phase = cycle.cyclePhase
        let notSubmitted = state == .draft || state == .returned
        switch phase {
        case .input: return notSubmitted && cycle.inputDeadline.map { StaffForm.day($0) < today } == true
        case .review:
            let inputPassed = cycle.inputDeadline.map { StaffForm.day($0) < today } == true
            let reviewPassed = cycle.reviewDeadline.map { StaffForm.day($0) < today } == true
            return (notSubmitted && (inputPassed || reviewPassed)) || (state == .submitted && reviewPassed)
        default: return false
        }
    }

    /// The progress of one cycle: sections grouped by bureau with subtotals and a total,
    /// counted by the database (one query, whatever the size of the city).
    static func progress(_ cycle: Cycle, tree: DepartmentTree, language l: PortalLanguage, on db: any Database) async throws -> Node<HTML.BodyContext> {
        guard let cycleID = cycle.id, let sql = db as? any SQLDatabase else { return .empty }
        let phase = cycle.cyclePhase
        let today = StaffForm.today()
        let rows = try await sql.raw("""
            SELECT p.department_id AS department, s.status AS status, COUNT(*) AS n, CAST(SUM(s.check_errors) AS BIGINT) AS errors,
                   CAST(SUM(s.check_warnings) AS BIGINT) AS warnings, CAST(SUM(CASE WHEN s.checked_at IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS unchecked
            FROM sheet_statuses s JOIN programs p ON p.id = s.program_id
            WHERE s.cycle_id = \(bind: cycleID) GROUP BY p.department_id, s.status
            """).all()
        var tallies: [UUID?: Tally] = [:]
        for row in rows {
            let department = try row.decode(column: "department", as: UUID?.self)
            let state = SheetState(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft
            let n = try row.decode(column: "n", as: Int.self)
            var tally = tallies[department] ?? Tally()
            tally.states[state, default: 0] += n
            if isOverdue(state, cycle: cycle, today: today) { tally.overdue += n }
            tally.errors += try row.decode(column: "errors", as: Int?.self) ?? 0
            tally.warnings += try row.decode(column: "warnings", as: Int?.self) ?? 0
            tally.unchecked += try row.decode(column: "unchecked", as: Int?.self) ?? 0
            tallies[department] = tally
        }
        let departments = tree.sorted(tallies.keys.compactMap { $0 })
        let bureaus = departments.reduce(into: [UUID]()) { list, id in
            let bureau = tree.bureau(id) ?? id
            if !list.contains(bureau) { list.append(bureau) }
        }
        func cells(_ tally: Tally) -> [Node<HTML.TableRowContext>] {
            SheetState.allCases.map { state in .td(.class("num"), .text("\(tally.states[state] ?? 0)")) } + [
                .td(.class("num"), .text("\(tally.total)")),
                .td(.class("num"), .text(tally.overdue > 0 ? l("\(tally.overdue)件 超過", "\(tally.overdue) overdue") : "0")),
                .td(.class("num"), .text(tally.errors > 0 ? l("\(tally.errors)件", "\(tally.errors)") : "0")),
            ]
        }
        var body: [Node<HTML.TableContext>] = []
        var total = Tally()
        for bureau in bureaus {
            let own = departments.filter { (tree.bureau($0) ?? $0) == bureau }
            var subtotal = Tally()
            body.append(.tr(.class("bureau"), .th(.attribute(named: "scope", value: "rowgroup"), .attribute(named: "colspan", value: String(SheetState.allCases.count + 4)),
                                                  .text(tree.name(bureau) ?? "—"))))
            for department in own {
                let tally = tallies[department] ?? Tally()
                subtotal = subtotal + tally
                body.append(.tr(.if(tally.overdue > 0, .class("overdue")),
                                .th(.attribute(named: "scope", value: "row"), .text(tree.name(department) ?? "—")), .group(cells(tally))))
            }
            if own.count > 1 {
                body.append(.tr(.class("subtotal"), .th(.attribute(named: "scope", value: "row"), .text(l("\(tree.name(bureau) ?? "")　計", "\(tree.name(bureau) ?? "") total"))), .group(cells(subtotal))))
            }
            total = total + subtotal
        }
        if let orphan = tallies[nil] {
            total = total + orphan
            body.append(.tr(.th(.attribute(named: "scope", value: "row"), .text(l("（担当課なし）", "(no department)"))), .group(cells(orphan))))
        }
        body.append(.tr(.class("total"), .th(.attribute(named: "scope", value: "row"), .text(l("合計", "Total"))), .group(cells(total))))
        let deadlines = [cycle.inputDeadline.map { l("入力期限 ", "Input deadline ") + StaffForm.day($0) },
                         cycle.reviewDeadline.map { l("審査期限 ", "Review deadline ") + StaffForm.day($0) }].compactMap { $0 }
        return .section(.class("progress"), .id("progress-\(cycle.fiscalYear)"),
            .h2(.text(l("\(FiscalYear(cycle.fiscalYear).both)の評価サイクル（\(phase.japanese)）", "FY\(cycle.fiscalYear) cycle (\(phase.english))"))),
            .if(!deadlines.isEmpty, .p(.text(deadlines.joined(separator: " ・ ")))),
            .p(.a(.href(SiteURL.adminSheets.link([("year", String(cycle.fiscalYear))])), .text(l("この年度のシート一覧", "Sheets of this year"))),
               .if(total.errors > 0, .group(.text(" ・ "), .a(.href(SiteURL.adminSheets.link([("year", String(cycle.fiscalYear)), ("checks", "errors")])),
                                                             .text(l("点検エラーのあるシート", "Sheets with check errors")))))),
            .div(.class("table-scroll"), .table(.class("board"),
                .caption(.text(l("局・課ごとのシートの状態（点検エラーは各シートの最後の保存時のもの）", "Sheets by bureau and section (check errors as of each sheet's last save)"))),
                .tr(.th(.attribute(named: "scope", value: "col"), .text(l("担当課", "Department"))),
                    .forEach(SheetState.allCases) { .th(.attribute(named: "scope", value: "col"), .class("num"), .text(l($0.japanese, $0.english))) },
                    .th(.attribute(named: "scope", value: "col"), .class("num"), .text(l("計", "Total"))),
                    .th(.attribute(named: "scope", value: "col"), .class("num"), .text(l("期限超過", "Overdue"))),
                    .th(.attribute(named: "scope", value: "col"), .class("num"), .text(l("点検エラー", "Check errors")))),
                .group(body))))
    }

    /// Links to the record forms the user may write: 局施策評価, manifesto goals,
    /// collaboration projects, inventory review entries (each list folded, as a city has many).
    static func otherForms(user: User, municipalityID: UUID, req: Request) async throws -> Node<HTML.BodyContext> {
        let l = PortalLanguage(req)
        let actor = Access.actor(user)
        var groups: [(String, [(String, String)])] = []
        // Only approvers and planners write 局施策評価: nobody else pays for finding the
        // bureau of every 施策.
        let mayWriteBureauEvaluations = actor.role == .approver || actor.role == .planner
        if mayWriteBureauEvaluations, let year = try await RecordForm.openYear(municipalityID, on: req.db), let sql = req.db as? any SQLDatabase {
            var nodes: [(String, String)] = []
            struct Link: Decodable { var plan_node_id: UUID; var department_id: UUID? }
            // The 施策 with programs, and their programs' sections, in one query.
            let links = try await sql.raw("""
                SELECT l.plan_node_id, p.department_id FROM plan_links l
                JOIN programs p ON p.id = l.program_id JOIN plan_nodes n ON n.id = l.plan_node_id JOIN plans pl ON pl.id = n.plan_id
                WHERE pl.municipality_id = \(bind: municipalityID)
                """).all(decoding: Link.self)
            let tree = try await DepartmentTree.load(municipalityID: municipalityID, on: req.db)
            let targets = Access.targets(links: links.map { ($0.plan_node_id, $0.department_id) }, municipalityID: municipalityID, tree: tree)
            let linked = Array(targets.keys)
            for node in try await PlanNode.query(on: req.db).filter(\.$id ~~ Array(linked)).sort(\.$code).all()
            where Policy.allows(actor, .writeBureauEvaluation, on: node.id.flatMap { targets[$0] } ?? Policy.Target(municipalityID: municipalityID, departmentPath: [])) {
                if let id = node.id { nodes.append((SiteURL.adminPlanNode(id).path, "\(node.code) \(node.title)")) }
            }
            groups.append((l("局施策評価（\(FiscalYear(year).japanese)）", "Bureau evaluations (FY\(year))"), nodes))
        }
        var goals: [(String, String)] = []
        for manifesto in try await Manifesto.query(on: req.db).filter(\.$municipality.$id == municipalityID).with(\.$department).sort(\.$fiscalYear, .descending).all()
        where Policy.allows(actor, .editManifesto, on: try await Access.target(manifesto: manifesto, on: req.db)) {
            for goal in try await ManifestoGoal.query(on: req.db).filter(\.$manifesto.$id == manifesto.requireID()).sort(\.$number).all() {
                if let id = goal.id { goals.append((SiteURL.adminManifestoGoal(id).path, "\(manifesto.fiscalYear) \(manifesto.department.name) \(goal.number). \(goal.title)")) }
            }
        }
        groups.append((l("部局マニフェストの目標", "Manifesto goals"), goals))
        if Policy.allows(actor, .editCollaboration, on: Policy.Target(municipalityID: municipalityID)) {
            let regions = try await Region.query(on: req.db).filter(\.$municipality.$id == municipalityID).all().compactMap(\.id)
            let projects = try await CollaborationProject.query(on: req.db).filter(\.$region.$id ~~ regions).sort(\.$sortOrder).all()
            groups.append((l("連携事業", "Collaboration projects"), projects.compactMap { p in p.id.map { (SiteURL.adminCollaboration($0).path, "\(p.agreementCategory) \(p.name)") } }))
        }
        if Policy.allows(actor, .editInventoryReview, on: Policy.Target(municipalityID: municipalityID)) {
            let reviews = try await InventoryReview.query(on: req.db).join(Program.self, on: \InventoryReview.$program.$id == \Program.$id)
                .filter(Program.self, \.$municipality.$id == municipalityID).sort(\.$fiscalYear, .descending).all()
            groups.append((l("棚卸し", "Inventory reviews"), reviews.compactMap { r in
                r.id.map { (SiteURL.adminReview($0).path, "\(r.fiscalYear) \((try? r.joined(Program.self))?.name ?? "") (\(r.reviewRound))") }
            }))
        }
        let shown = groups.filter { !$0.1.isEmpty }
        guard !shown.isEmpty else { return .empty }
        return .section(.h2(.text(l("その他の入力", "Other forms"))),
                        .forEach(shown) { title, links in
                            .details(.summary(.text("\(title)（\(links.count)）")), .ul(.forEach(links) { .li(.a(.href($0.0), .text($0.1))) }))
                        })
    }
}
