import Fluent
import Foundation
import HyokaCore
import HyokaImport
import Vapor

/// The Excel round trip with a department: its sheets of the open cycle as a workbook
/// (指標, 事業費, 自己評価), filled in Excel, uploaded, previewed cell by cell, applied in one
/// transaction through the same checks and audit as the sheet form.
enum DepartmentWorkbook {
    static let indicatorSheet = "指標"
    static let budgetSheet = "事業費"
    static let evaluationSheet = "自己評価"
    static let indicatorColumns = ["指標ID", "事業名", "指標名", "単位", "年度", "目標値", "実績値"]
    static let budgetColumns = ["シートID", "事業名", "年度", "予算額（千円）", "決算額（千円）", "人件費（千円）"]
    static let evaluationColumns = ["シートID", "事業名", "年度", "評価", "今後の方向性", "主な取組と成果に対する評価", "課題に対する改善"]

    /// The sheets of the department (and the sections under it) in the open cycle.
    static func sheets(department: Department, on db: any Database) async throws -> [SheetContent] {
        guard let year = try await RecordForm.openYear(department.$municipality.id, on: db) else { throw RecordForm.noOpenCycle }
        guard let cycle = try await Cycle.query(on: db).filter(\.$municipality.$id == department.$municipality.id).filter(\.$fiscalYear == year).first() else { return [] }
        let departmentID = try department.requireID()
        var contents: [SheetContent] = []
        for status in try await SheetStatus.query(on: db).filter(\.$cycle.$id == cycle.requireID()).with(\.$program).all()
        where try await Access.departmentPath(status.program.$department.id, on: db).contains(departmentID) {
            contents.append(try await SheetContent.load(status.requireID(), on: db))
        }
        return contents.sorted { ($0.program.number ?? "", $0.program.name) < ($1.program.number ?? "", $1.program.name) }
    }

    static func tables(_ contents: [SheetContent]) -> [WorkbookTable] {
        var indicators = WorkbookTable(name: indicatorSheet, columns: indicatorColumns)
        var budgets = WorkbookTable(name: budgetSheet, columns: budgetColumns)
        var evaluations = WorkbookTable(name: evaluationSheet, columns: evaluationColumns)
        for content in contents {
            let input = content.input
            let sheetID = content.status.id?.uuidString.lowercased() ?? ""
            for indicator in content.indicators {
                guard let id = indicator.id else { continue }
                indicators.rows.append([id.uuidString.lowercased(), content.program.name, indicator.name, indicator.unit ?? "", String(content.year),
                                        input.targets[id] ?? "", input.actuals[id] ?? ""])
            }
            budgets.rows.append([sheetID, content.program.name, String(content.year), input.budget, input.settlement, input.personnelCost])
            evaluations.rows.append([sheetID, content.program.name, String(content.year), input.grade, input.direction, input.comment, input.improvement])
        }
        return [indicators, budgets, evaluations]
    }

    /// One changed cell, as the preview lists it.
    struct Change: Sendable {
        var cell: String
        var program: String
        var field: String
        var before: String
        var after: String
    }

    /// A cell or row that cannot be applied; nothing is applied while there is one.
    struct Problem: Sendable {
        var cell: String
        var japanese: String
        var english: String
    }

    struct Plan {
        var changes: [Change] = []
        var problems: [Problem] = []
        /// Values that can be applied but probably are not what was meant (as on the form).
        var warnings: [Problem] = []
        /// The new input of each changed sheet, with the version it was read at.
        var inputs: [UUID: (input: SheetInput, version: Int)] = [:]
    }

    static func columnLetter(_ index: Int) -> String {
        var n = index + 1, letters = ""
        while n > 0 { letters = String(UnicodeScalar(UInt8(65 + (n - 1) % 26))) + letters; n = (n - 1) / 26 }
        return letters
    }

    /// Compares the uploaded tables with the department's sheets now.
    static func plan(_ uploaded: [WorkbookTable], contents: [SheetContent]) -> Plan {
        var plan = Plan()
        var inputs: [UUID: SheetInput] = [:]
        var bySheet: [String: SheetContent] = [:], byIndicator: [String: SheetContent] = [:]
        for content in contents {
            guard let id = content.status.id else { continue }
            inputs[id] = content.input
            bySheet[id.uuidString.lowercased()] = content
            for indicator in content.indicators { if let iid = indicator.id { byIndicator[iid.uuidString.lowercased()] = content } }
        }
        func cell(_ table: WorkbookTable, _ row: Int, _ column: Int) -> String { "\(table.name)!\(columnLetter(column))\(row + 2)" }
        func table(_ name: String, _ columns: [String]) -> WorkbookTable? {
            guard let table = uploaded.first(where: { $0.name == name }) else {
                plan.problems.append(Problem(cell: name, japanese: "シート「\(name)」がありません。ダウンロードしたファイルをそのまま使ってください",
                                             english: "the sheet \(name) is missing; fill in the downloaded file as it is"))
                return nil
            }
            for (index, column) in columns.enumerated() where table.columns.count <= index || table.columns[index] != column {
                plan.problems.append(Problem(cell: cell(table, -1, index), japanese: "見出しは「\(column)」のはずです。列を追加・移動しないでください",
                                             english: "the heading should be \(column); do not add or move columns"))
                return nil
            }
            return table
        }
        func value(_ row: [String], _ index: Int) -> String { index < row.count ? SheetInput.normalizedLines(row[index]).trimmingCharacters(in: .whitespacesAndNewlines) : "" }
        func note(_ content: SheetContent, _ where_: String, _ field: String, _ before: String, _ after: String) {
            guard before != after else { return }
            plan.changes.append(Change(cell: where_, program: content.program.name, field: field, before: before, after: after))
            if !SheetWorkflow.isEditable(content.state, phase: content.phase) {
                plan.problems.append(Problem(cell: where_, japanese: "「\(content.program.name)」は「\(content.state.japanese)」のため変更できません",
                                             english: "\(content.program.name) is \(content.state.english.lowercased()) and cannot be changed"))
            }
        }
        /// Where each field of each sheet came from, so that a refused value names its cell.
        var origin: [UUID: [String: String]] = [:]
        /// The 年度 column must be the cycle's year: a row copied from another year's file
        /// would otherwise be applied to this year.
        func checkYear(_ table: WorkbookTable, _ row: Int, _ column: Int, _ text: String, _ content: SheetContent) -> Bool {
            // The year in any usual form, but in the era of that year: 平成37年度 is not 2025.
            let fy = FiscalYear(content.year)
            let forms = [String(content.year), fy.gregorian, fy.english, fy.japanese, fy.shortJapanese, fy.shortJapanese + "年度", fy.both]
            guard !forms.map(JapaneseText.compact).contains(JapaneseText.compact(text)) else { return true }
            plan.problems.append(Problem(cell: cell(table, row, column),
                                         japanese: "年度「\(text)」がこのシートの年度（\(FiscalYear(content.year).both)）と違います。年度の列は変えずに、この年度のファイルを使ってください",
                                         english: "the year \(text) is not this sheet's year (FY\(content.year)); keep the year column as downloaded"))
            return false
        }
        func unknown(_ table: WorkbookTable, _ row: Int, _ id: String) {
            plan.problems.append(Problem(cell: cell(table, row, 0), japanese: "ID「\(id)」はこの課の今年度のシートにありません。行を追加せず、ダウンロードした行だけを書き換えてください",
                                         english: "the id \(id) is not among this department's sheets; only change the downloaded rows"))
        }

        if let t = table(indicatorSheet, indicatorColumns) {
            for (r, row) in t.rows.enumerated() {
                let id = value(row, 0).lowercased()
                guard let content = byIndicator[id], let statusID = content.status.id, let indicatorID = UUID(uuidString: id) else { unknown(t, r, id); continue }
                guard checkYear(t, r, 4, value(row, 4), content) else { continue }
                let name = content.indicators.first { $0.id == indicatorID }?.name ?? ""
                origin[statusID, default: [:]]["target.\(indicatorID.uuidString)"] = cell(t, r, 5)
                origin[statusID, default: [:]]["actual.\(indicatorID.uuidString)"] = cell(t, r, 6)
                note(content, cell(t, r, 5), "\(name) 目標値", inputs[statusID]?.targets[indicatorID] ?? "", value(row, 5))
                note(content, cell(t, r, 6), "\(name) 実績値", inputs[statusID]?.actuals[indicatorID] ?? "", value(row, 6))
                inputs[statusID]?.targets[indicatorID] = value(row, 5)
                inputs[statusID]?.actuals[indicatorID] = value(row, 6)
            }
        }
        if let t = table(budgetSheet, budgetColumns) {
            for (r, row) in t.rows.enumerated() {
                let id = value(row, 0).lowercased()
                guard let content = bySheet[id], let statusID = content.status.id else { unknown(t, r, id); continue }
                guard checkYear(t, r, 2, value(row, 2), content) else { continue }
                let fields: [(Int, String, WritableKeyPath<SheetInput, String>)] = [(3, "予算額", \.budget), (4, "決算額", \.settlement), (5, "人件費", \.personnelCost)]
                for (column, field) in zip([3, 4, 5], ["budget", "settlement", "personnelCost"]) { origin[statusID, default: [:]][field] = cell(t, r, column) }
                for (column, name, path) in fields {
                    // Excel may turn 4,221 into the number 4221: compare amounts, not text.
                    let before = inputs[statusID]?[keyPath: path] ?? "", after = value(row, column)
                    let same = before == after || (!before.isEmpty && (try? Money.parse(before, defaultUnit: .thousandYen)) == (try? Money.parse(after, defaultUnit: .thousandYen)))
                    if !same { note(content, cell(t, r, column), name, before, after); inputs[statusID]?[keyPath: path] = after }
                }
            }
        }
        if let t = table(evaluationSheet, evaluationColumns) {
            for (r, row) in t.rows.enumerated() {
                let id = value(row, 0).lowercased()
                guard let content = bySheet[id], let statusID = content.status.id else { unknown(t, r, id); continue }
                guard checkYear(t, r, 2, value(row, 2), content) else { continue }
                for (column, field) in zip([3, 4, 5, 6], ["grade", "direction", "comment", "improvement"]) { origin[statusID, default: [:]][field] = cell(t, r, column) }
                let fields: [(Int, String, WritableKeyPath<SheetInput, String>)] = [(3, "評価", \.grade), (4, "今後の方向性", \.direction), (5, "評価コメント", \.comment), (6, "改善", \.improvement)]
                for (column, name, path) in fields {
                    note(content, cell(t, r, column), name, inputs[statusID]?[keyPath: path] ?? "", value(row, column))
                    inputs[statusID]?[keyPath: path] = value(row, column)
                }
            }
        }
        // The same checks as the form, for every sheet that changed.
        let changedPrograms = Set(plan.changes.map(\.program))
        for content in contents where changedPrograms.contains(content.program.name) {
            guard let id = content.status.id, let input = inputs[id] else { continue }
            for (field, problem) in input.validate(indicators: content.indicators).sorted(by: { $0.key < $1.key }) {
                plan.problems.append(Problem(cell: origin[id]?[field] ?? "\(content.program.name) / \(field)",
                                             japanese: "「\(content.program.name)」: " + problem.japanese, english: "\(content.program.name): " + problem.english))
            }
            for (field, warning) in input.warnings(indicators: content.indicators).sorted(by: { $0.key < $1.key }) {
                plan.warnings.append(Problem(cell: origin[id]?[field] ?? "\(content.program.name) / \(field)",
                                             japanese: "「\(content.program.name)」: " + warning.japanese, english: "\(content.program.name): " + warning.english))
            }
            plan.inputs[id] = (input, content.status.version)
        }
        return plan
    }

    /// Applies every changed sheet in one transaction, each claiming the version it had at
    /// the preview: if any sheet moved since, nothing is applied.
    static func apply(_ plan: Plan, by user: User, on db: any Database) async throws -> Int {
        guard plan.problems.isEmpty else {
            throw StaffError(status: .unprocessableEntity, japanese: "エラーのある行があるため、何も反映していません", english: "there are errors; nothing was applied")
        }
        try await db.writeTransaction { tx in
            for (statusID, entry) in plan.inputs.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
                guard let next = try await RecordVersion.claim(.sheets, id: statusID, expected: entry.version, on: tx) else {
                    throw StaffError(status: .conflict, japanese: "確認の後にシートが変更されました。もう一度アップロードして確認し直してください",
                                     english: "a sheet changed after the preview; upload the file again and check the new preview")
                }
                let content = try await SheetContent.load(statusID, on: tx)
                try SheetService.requireEditable(content)
                try await SheetService.apply(entry.input, to: content, newVersion: next, by: user, source: "workbook", on: tx)
            }
        }
        return plan.inputs.count
    }
}
