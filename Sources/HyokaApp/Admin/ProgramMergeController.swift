import Fluent
import Foundation
import HyokaCore
import Plot
import Vapor

/// `/admin/programs/merge`: the programs the check `similar-program-names` flags, by group,
/// and the planner's merge of two of them into one (`ProgramMerge`).
enum ProgramMergeController {
    @Sendable static func show(req: Request) async throws -> Response {
        try await page(req, message: nil, differences: [], status: .ok)
    }

    @Sendable static func merge(req: Request) async throws -> Response {
        let user = try req.requireStaff()
        let form = try StaffForm.fields(req)
        guard let source = form["source"].flatMap(UUID.init(uuidString:)), let target = form["target"].flatMap(UUID.init(uuidString:)) else {
            throw StaffError(status: .unprocessableEntity, japanese: "まとめる二つの事業を選んでください", english: "choose the two programs to merge")
        }
        switch try await ProgramMerge.run(source, into: target, reason: form["reason"] ?? "", by: user, on: req.db) {
        case let .merged(kept, removed):
            let l = PortalLanguage(req)
            return try await page(req, message: l("「\(removed)」を「\(kept)」にまとめました。公開ページの合計は一つとして数えます。",
                                                  "Merged “\(removed)” into “\(kept)”; public totals count it once."), differences: [], status: .ok)
        case let .different(differences):
            return try await page(req, message: nil, differences: differences, status: .conflict)
        }
    }

    static func page(_ req: Request, message: String?, differences: [ProgramMerge.Difference], status: HTTPResponseStatus) async throws -> Response {
        let l = PortalLanguage(req)
        let user = try req.requireStaff()
        guard let municipalityID = user.$municipality.id else { throw StaffError.forbidden }
        try Access.require(user, .publishCycle, on: Policy.Target(municipalityID: municipalityID))
        let csrf = StaffSession.csrfToken(req)
        let groups = try await ProgramMerge.candidates(municipalityID: municipalityID, on: req.db)
        let layout = StaffLayout(language: l, title: l("表記ゆれの事業をまとめる", "Merge programs spelled two ways"), user: user, csrf: csrf)
        func years(_ candidate: ProgramMerge.Candidate) -> String {
            candidate.years.isEmpty ? l("シートなし", "no sheets") : candidate.years.map { l(FiscalYear($0).japanese, "FY\($0)") }.joined(separator: "・")
        }
        func form(_ group: [ProgramMerge.Candidate], index: Int) -> Node<HTML.BodyContext> {
            let choices = group.map { ($0.id.uuidString.lowercased(), "\($0.name)（\(years($0))）") }
            let fields: [Node<HTML.BodyContext>] = [
                StaffForm.field(l("残す事業", "Program to keep"), name: "target", value: choices.first?.0 ?? "", kind: .select(choices),
                                fieldID: "keep-\(index)"),
                StaffForm.field(l("まとめて削除する事業", "Program merged into it and removed"), name: "source", value: choices.dropFirst().first?.0 ?? "",
                                kind: .select(choices), fieldID: "merge-\(index)"),
                StaffForm.field(l("まとめる理由（変更履歴に残ります）", "Why (kept in the change history)"), name: "reason", value: "", kind: .textarea,
                                fieldID: "reason-\(index)"),
            ]
            return .form(.method(.post), .action(SiteURL.adminProgramMerge.path), .class("staff merge"),
                         StaffForm.token(csrf), .raw(fields.map { $0.render() }.joined()), .button(.type(.submit), .text(l("まとめる", "Merge"))))
        }
        let response = layout.render(
            .p(.a(.href(SiteURL.admin.path), .text(l("← 作業の状況", "← Progress")))),
            .h1(.text(l("表記ゆれの事業をまとめる", "Merge programs spelled two ways"))),
            .p(.text(l("同じ課で、名前が表記だけ違う事業です（長音・中黒・ひらがなとカタカナ・全角半角）。同じ事業なら一つにまとめると、予算・決算の合計で二重に数えられなくなります。同じ年度の予算額・評価・指標の値が違うときはまとめず、違いを示します。",
                       "Programs of one department whose names differ only in spelling. Merged, they count once in every total. Where they hold different figures for the same year, nothing is merged and the differences are listed."))),
            .unwrap(message) { .p(.class("notice ok"), .attribute(named: "role", value: "status"), .text($0)) },
            .if(!differences.isEmpty, .div(.class("error"), .attribute(named: "role", value: "alert"),
                .p(.text(l("次の違いがあるため、まとめませんでした。何も変更していません。どちらかのシートを直してから、もう一度まとめてください。",
                           "Not merged, nothing changed: the programs differ as below. Correct one of the sheets, then merge again."))),
                .ul(.forEach(differences) { .li(.text(l($0.japanese, $0.english))) }))),
            groups.isEmpty ? .p(.class("notice ok"), .text(l("表記ゆれの事業はありません。", "No programs are spelled two ways."))) : .group(
                .forEach(Array(groups.enumerated())) { index, group in
                    .section(.h2(.text(group.map(\.name).joined(separator: " / "))),
                             .p(.class("muted"), .text(group.first?.department ?? "")),
                             form(group, index: index))
                })
        )
        response.status = status
        return response
    }
}
