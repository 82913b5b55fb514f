import Fluent
import Foundation
import HyokaCore
import Plot
import Vapor

/// `/admin/plan-nodes/{id}`, `/admin/manifesto-goals/{id}`, `/admin/collaboration/{id}`,
/// `/admin/reviews/{id}`: one page and one save for every `RecordForm`.
enum RecordFormController {
    static func show(_ load: @escaping RecordForm.Loader) -> @Sendable (Request) async throws -> Response {
        { req in
            let form = try await load(try req.idParameter(), req.db)
            let user = try req.requireStaff()
            guard user.staffRole != .admin, user.$municipality.id == form.municipalityID else { throw StaffError.forbidden }
            try form.requireAvailable()
            return try page(req, form: form, values: nil, problems: [:], conflict: nil, status: .ok)
        }
    }

    static func save(_ load: @escaping RecordForm.Loader) -> @Sendable (Request) async throws -> Response {
        { req in
            let id = try req.idParameter()
            let user = try req.requireStaff()
            let posted = try StaffForm.fields(req)
            switch try await RecordForm.save(load, id: id, form: posted, by: user, on: req.db) {
            case .saved:
                return req.redirect(to: req.url.path + "?saved=1", redirectType: .normal)
            case let .invalid(problems, values):
                var form = try await load(id, req.db)
                form.version = posted["version"].flatMap(Int.init) ?? form.version
                return try page(req, form: form, values: values, problems: problems, conflict: nil, status: .unprocessableEntity)
            case let .conflict(changes, current, values):
                return try page(req, form: current, values: values, problems: [:], conflict: changes, status: .conflict,
                                people: try await StaffForm.people(changes, on: req.db))
            }
        }
    }

    static func page(_ req: Request, form: RecordForm, values: [String: String]?, problems: [String: SheetInput.Problem],
                     conflict: [AuditEntry]?, status: HTTPResponseStatus, people: [String: String] = [:]) throws -> Response {
        let l = PortalLanguage(req)
        let user = try req.requireStaff()
        let csrf = StaffSession.csrfToken(req)
        let canWrite = Policy.allows(Access.actor(user), form.action, on: form.target)
        let saved = (try? req.query.get(String.self, at: "saved")) != nil
        let layout = StaffLayout(language: l, title: l(form.japaneseTitle, form.englishTitle), user: user, csrf: csrf)
        let response = layout.render(
            .p(.a(.href(SiteURL.admin.path), .text(l("← 作業の状況", "← Progress")))),
            .h1(.text(l(form.japaneseTitle, form.englishTitle))),
            .p(.class("muted"), .text(form.subtitle)),
            saved ? .p(.class("notice ok"), .attribute(named: "role", value: "status"), .text(l("保存しました。", "Saved."))) : .empty,
            .unwrap(conflict) { StaffForm.conflict($0, people: people, language: l) },
            .if(!problems.isEmpty, .p(.class("error"), .attribute(named: "role", value: "alert"),
                                      .text(l("入力に誤りがあります（\(problems.count)件）。何も保存していません。", "\(problems.count) fields need correcting; nothing was saved.")))),
            canWrite
                ? .form(.method(.post), .action(req.url.path), .class("record-edit"),
                        StaffForm.token(csrf), StaffForm.hidden("version", String(form.version)),
                        .raw(form.fields.map { field in
                            StaffForm.field(l(field.japanese, field.english), name: field.name, value: values?[field.name] ?? field.value, kind: field.kind,
                                            problem: problems[field.name].map { l($0.japanese, $0.english) }).render()
                        }.joined()),
                        .button(.type(.submit), .text(l("保存する", "Save"))))
                : .dl(.forEach(form.fields) { field in .group(.dt(.text(l(field.japanese, field.english))), .dd(.text(field.value.isEmpty ? "—" : field.value))) })
        )
        response.status = status
        return response
    }
}
