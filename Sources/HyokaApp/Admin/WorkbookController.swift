import Fluent
import Foundation
import HyokaCore
import HyokaImport
import Plot
import Vapor

/// `/admin/workbook`: a department's sheets as an Excel workbook, and its upload with a
/// preview of every changed cell and every error before anything is written.
enum WorkbookController {
    @Sendable static func index(req: Request) async throws -> Response {
        try await page(req, error: nil, status: .ok)
    }

    /// A refused upload (no department chosen, no file, not a workbook) shows this page again
    /// with the reason, not the portal's error page.
    static func refused(_ req: Request, _ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as StaffError where error.status == .unprocessableEntity || error.status == .conflict {
            return try await page(req, error: PortalLanguage(req)(error.japanese, error.english), status: error.status)
        }
    }

    static func page(_ req: Request, error: String?, status: HTTPResponseStatus) async throws -> Response {
        let l = PortalLanguage(req)
        let user = try req.requireStaff()
        let csrf = StaffSession.csrfToken(req)
        let layout = StaffLayout(language: l, title: l("Excel でのやりとり", "Excel exchange"), user: user, csrf: csrf)
        guard let municipalityID = user.$municipality.id else { throw StaffError.forbidden }
        let departments = try await Department.query(on: req.db).filter(\.$municipality.$id == municipalityID).sort(\.$sortOrder).sort(\.$name).all()
        var allowed: [Department] = []
        for department in departments where Policy.allows(Access.actor(user), .exchangeWorkbook,
                                                           on: Policy.Target(municipalityID: municipalityID, departmentPath: try await Access.departmentPath(department.id, on: req.db))) {
            allowed.append(department)
        }
        let choices: [(String, String)] = allowed.compactMap { d in d.id.map { ($0.uuidString.lowercased(), "\(d.name)（\(DepartmentLevel(rawValue: d.level)?.japanese ?? d.level)）") } }
        let response = layout.render(
            .h1(.text(l("Excel でのやりとり", "Excel exchange"))),
            .unwrap(error) { .p(.class("error"), .id("workbook-error"), .attribute(named: "role", value: "alert"), .text($0)) },
            allowed.isEmpty ? .p(.class("empty"), .text(l("Excel でのやりとりは企画担当が行います。", "The planning section runs the Excel exchange."))) : .group(
                .p(.text(l("課の今年度のシート（指標の目標・実績、事業費、自己評価）を Excel ファイルでダウンロードし、課で記入したものをアップロードします。反映の前に、変更されるセルとエラーをすべて確認できます。",
                           "Download a department's sheets of the open year (KPI targets and actuals, costs, self-evaluation) as an Excel file; upload it once filled in. Before anything is written, every changed cell and every error is listed."))),
                .h2(.text(l("1. ダウンロード", "1. Download"))),
                .form(.method(.get), .action(SiteURL.adminWorkbookDownload.path), .class("staff"),
                      .raw(StaffForm.field(l("課・局", "Department"), name: "department", value: "", kind: .select(choices)).render()),
                      .button(.type(.submit), .id("download-workbook"), .text(l("Excel ファイルをダウンロード", "Download the workbook")))),
                .h2(.text(l("2. アップロードして確認", "2. Upload and check"))),
                .form(.method(.post), .action(SiteURL.adminWorkbookPreview.path), .class("staff"), .enctype(.multipartData),
                      StaffForm.token(csrf),
                      .raw(StaffForm.field(l("課・局", "Department"), name: "department", value: "", kind: .select(choices), fieldID: "f-upload-department").render()),
                      .label(.for("workbook-file"), .text(l("記入した Excel ファイル（.xlsx）", "The filled-in workbook (.xlsx)"))),
                      .input(.type(.file), .name("file"), .id("workbook-file"), .attribute(named: "accept", value: ".xlsx"), .required(true)),
                      .button(.type(.submit), .id("preview-workbook"), .text(l("変更を確認する", "Check the changes"))))
            )
        )
        response.status = status
        return response
    }

    static func department(_ text: String?, user: User, on db: any Database) async throws -> Department {
        guard let id = text.flatMap(UUID.init(uuidString:)), let department = try await Department.find(id, on: db) else {
            throw StaffError(status: .unprocessableEntity, japanese: "課・局を選んでください", english: "choose a department")
        }
        try Access.require(user, .exchangeWorkbook, on: Policy.Target(municipalityID: department.$municipality.id,
                                                                       departmentPath: try await Access.departmentPath(id, on: db)))
        return department
    }

    @Sendable static func download(req: Request) async throws -> Response {
        try await refused(req) { try await downloadFile(req) }
    }

    static func downloadFile(_ req: Request) async throws -> Response {
        let user = try req.requireStaff()
        let department = try await department(try? req.query.get(String.self, at: "department"), user: user, on: req.db)
        let contents = try await DepartmentWorkbook.sheets(department: department, on: req.db)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try XLSX.write(DepartmentWorkbook.tables(contents), to: url)
        let response = Response(status: .ok, body: .init(data: try Data(contentsOf: url)))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        let year = contents.first.map { String($0.year) } ?? ""
        response.headers.contentDisposition = .init(.attachment, filename: "\(department.name)-\(year).xlsx")
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

    struct Upload: Content {
        var department: String?
        var file: File?
        /// On apply: the workbook as sent to the preview, and the sheets' versions then.
        var workbook: String?
        var versions: String?
    }

    /// Reads the uploaded workbook and plans it against the department's sheets now.
    static func plan(_ data: Data, department: Department, on db: any Database) async throws -> (DepartmentWorkbook.Plan, [SheetContent]) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hyoka-upload-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try data.write(to: url)
        let tables: [WorkbookTable]
        do { tables = try XLSX.read(url) } catch {
            throw StaffError(status: .unprocessableEntity, japanese: "Excel ファイル（.xlsx）として読めません。ダウンロードしたファイルを Excel で保存し直してください",
                             english: "not a readable .xlsx file; save the downloaded file again from Excel")
        }
        let contents = try await DepartmentWorkbook.sheets(department: department, on: db)
        return (DepartmentWorkbook.plan(tables, contents: contents), contents)
    }

    @Sendable static func preview(req: Request) async throws -> Response {
        try await refused(req) { try await previewPage(req) }
    }

    static func previewPage(_ req: Request) async throws -> Response {
        let l = PortalLanguage(req)
        let user = try req.requireStaff()
        // Who may upload is answered before the body is read as a workbook.
        let department = try await department(try? req.content.get(String.self, at: "department"), user: user, on: req.db)
        let upload = try req.content.decode(Upload.self)
        guard let file = upload.file, file.data.readableBytes > 0 else {
            throw StaffError(status: .unprocessableEntity, japanese: "ファイルを選んでください", english: "choose a file")
        }
        let data = Data(buffer: file.data)
        let (plan, _) = try await plan(data, department: department, on: req.db)
        let csrf = StaffSession.csrfToken(req)
        let versions = plan.inputs.map { "\($0.key.uuidString.lowercased()):\($0.value.version)" }.sorted().joined(separator: ",")
        let layout = StaffLayout(language: l, title: l("変更の確認", "Check the changes"), user: user, csrf: csrf)
        let response = layout.render(
            .p(.a(.href(SiteURL.adminWorkbook.path), .text(l("← Excel でのやりとり", "← Excel exchange")))),
            .h1(.text(l("変更の確認", "Check the changes") + " – \(department.name)")),
            .p(.id("workbook-summary"), .text(l("変更されるセル \(plan.changes.count)件、エラー \(plan.problems.count)件（\(file.filename)）。まだ何も書き込んでいません。",
                                                "\(plan.changes.count) changed cells, \(plan.problems.count) errors (\(file.filename)). Nothing has been written yet."))),
            .if(!plan.problems.isEmpty, .section(
                .h2(.text(l("エラー", "Errors"))),
                .p(.class("error"), .attribute(named: "role", value: "alert"),
                   .text(l("エラーがあるため反映できません。Excel ファイルを直してからもう一度アップロードしてください。", "Fix these in the file and upload it again; nothing can be applied while there are errors."))),
                .table(.class("problems"),
                    .tr(.th(.attribute(named: "scope", value: "col"), .text(l("場所", "Where"))), .th(.attribute(named: "scope", value: "col"), .text(l("内容", "Problem")))),
                    .forEach(plan.problems) { p in .tr(.td(.text(p.cell)), .td(.text(l(p.japanese, p.english)))) })
            )),
            .if(!plan.warnings.isEmpty, .section(
                .h2(.text(l("確認してください（\(plan.warnings.count)件）", "Please check (\(plan.warnings.count))"))),
                .p(.text(l("反映はできますが、意図したものか確かめてください。", "These can be applied, but check they are what was meant."))),
                .div(.class("table-scroll"), .table(.class("problems warnings"),
                    .tr(.th(.attribute(named: "scope", value: "col"), .text(l("場所", "Where"))), .th(.attribute(named: "scope", value: "col"), .text(l("内容", "Note")))),
                    .forEach(plan.warnings) { p in .tr(.td(.text(p.cell)), .td(.text(l(p.japanese, p.english)))) }))
            )),
            .h2(.text(l("変更されるセル", "Changed cells"))),
            plan.changes.isEmpty ? .p(.class("empty"), .text(l("変更はありません。", "Nothing changes."))) :
            .table(.class("changes"),
                .tr(.th(.attribute(named: "scope", value: "col"), .text(l("セル", "Cell"))),
                    .th(.attribute(named: "scope", value: "col"), .text(l("事業", "Program"))),
                    .th(.attribute(named: "scope", value: "col"), .text(l("項目", "Field"))),
                    .th(.attribute(named: "scope", value: "col"), .text(l("変更前", "Before"))),
                    .th(.attribute(named: "scope", value: "col"), .text(l("変更後", "After")))),
                .forEach(plan.changes) { c in .tr(.td(.text(c.cell)), .td(.text(c.program)), .td(.text(c.field)), .td(.text(c.before.isEmpty ? "—" : c.before)), .td(.text(c.after.isEmpty ? "—" : c.after))) }),
            .if(plan.problems.isEmpty && !plan.changes.isEmpty,
                .form(.method(.post), .action(SiteURL.adminWorkbookApply.path), .class("staff"),
                      StaffForm.token(csrf),
                      StaffForm.hidden("department", department.id?.uuidString.lowercased() ?? ""),
                      StaffForm.hidden("workbook", data.base64EncodedString()),
                      StaffForm.hidden("versions", versions),
                      .button(.type(.submit), .id("apply-workbook"), .text(l("この内容で反映する", "Apply these changes")))))
        )
        response.status = plan.problems.isEmpty ? .ok : .unprocessableEntity
        return response
    }

    @Sendable static func apply(req: Request) async throws -> Response {
        try await refused(req) { try await applyPage(req) }
    }

    static func applyPage(_ req: Request) async throws -> Response {
        let l = PortalLanguage(req)
        let user = try req.requireStaff()
        let department = try await department(try? req.content.get(String.self, at: "department"), user: user, on: req.db)
        let upload = try req.content.decode(Upload.self)
        guard let data = upload.workbook.flatMap({ Data(base64Encoded: $0) }) else {
            throw StaffError(status: .unprocessableEntity, japanese: "ファイルが届いていません。もう一度アップロードしてください", english: "the file did not arrive; upload it again")
        }
        var (plan, _) = try await plan(data, department: department, on: req.db)
        // Apply what was previewed: each sheet claims the version it had at the preview.
        let previewed = Dictionary((upload.versions ?? "").split(separator: ",").compactMap { pair -> (UUID, Int)? in
            let parts = pair.split(separator: ":")
            guard parts.count == 2, let id = UUID(uuidString: String(parts[0])), let version = Int(parts[1]) else { return nil }
            return (id, version)
        }, uniquingKeysWith: { a, _ in a })
        guard Set(previewed.keys) == Set(plan.inputs.keys) else {
            throw StaffError(status: .conflict, japanese: "確認の後にシートが変更されました。もう一度アップロードして確認し直してください",
                             english: "the sheets changed after the preview; upload the file again and check the new preview")
        }
        for (id, version) in previewed { plan.inputs[id]?.version = version }
        let applied = try await DepartmentWorkbook.apply(plan, by: user, on: req.db)
        let layout = StaffLayout(language: l, title: l("反映しました", "Applied"), user: user, csrf: StaffSession.csrfToken(req))
        return layout.render(
            .h1(.text(l("反映しました", "Applied"))),
            .p(.class("notice ok"), .attribute(named: "role", value: "status"), .id("workbook-applied"),
               .text(l("\(department.name)のシート \(applied)件に、セル \(plan.changes.count)件の変更を反映しました。変更は各シートの履歴に記録されています。",
                       "Applied \(plan.changes.count) changed cells to \(applied) sheets of \(department.name); each sheet's history records them."))),
            .p(.a(.href(SiteURL.adminSheets.path), .text(l("シート一覧へ", "To the sheets"))))
        )
    }
}
