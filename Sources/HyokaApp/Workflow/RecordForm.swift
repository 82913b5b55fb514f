import Fluent
import Foundation
import HyokaCore
import Vapor

/// A staff form over one record that is not a program sheet: 局施策評価, a manifesto goal,
/// a collaboration project, an inventory review entry. Each is described once (its fields,
/// who may write it, how values are stored) and shown and saved by `RecordFormController`
/// the same way: policy first, validation next to the fields, then one transaction that
/// claims the record's version, writes and audits.
struct RecordForm {
    struct Field {
        var name: String
        var japanese: String
        var english: String
        var kind: StaffForm.Kind = .text
        var value: String
        /// A problem with the typed value, or nil.
        var check: @Sendable (String) -> SheetInput.Problem? = { text in
            text.count > 4_000 ? SheetInput.Problem(japanese: "4,000字以内で書いてください", english: "at most 4,000 characters") : nil
        }
    }

    var japaneseTitle: String
    var englishTitle: String
    var subtitle: String
    var table: RecordVersion.Table
    var entity: String
    /// The record, or nil when saving will create it (a 局施策評価 not written yet).
    var recordID: UUID?
    var version: Int
    var municipalityID: UUID?
    var label: String
    var action: Policy.Action
    var target: Policy.Target
    var fields: [Field]
    /// Stores the values on the record (creating it when needed) inside the transaction;
    /// returns the record's id.
    var write: @Sendable ([String: String], any Database) async throws -> UUID?
    /// Why the form cannot be used now (no open cycle for 局施策評価). Kept rather than
    /// thrown by the loader, so that the caller checks who asks first: another
    /// municipality's record answers 403, and says nothing of that municipality's cycles.
    var unavailable: StaffError?

    /// Throws `unavailable`; call after the access check.
    func requireAvailable() throws {
        if let unavailable { throw unavailable }
    }

    /// Reads a form by kind and id.
    typealias Loader = @Sendable (UUID, any Database) async throws -> RecordForm

    static func text(_ value: String?) -> String { value ?? "" }
    static func optional(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }

    static func gradeCheck(_ scale: GradeScale, japanese: String, english: String) -> @Sendable (String) -> SheetInput.Problem? {
        { text in text.isEmpty || scale.grade(named: text) != nil ? nil : SheetInput.Problem(japanese: "\(japanese)は一覧から選んでください", english: "choose \(english) from the list") }
    }

    static func choices(_ scale: GradeScale) -> StaffForm.Kind {
        .select([("", "（未選択）")] + scale.grades.map { ($0.label, $0.label) })
    }

    /// The open (not yet published) cycle's year of a municipality: the year 局施策評価 is written for.
    static func openYear(_ municipalityID: UUID?, on db: any Database) async throws -> Int? {
        guard let municipalityID else { return nil }
        return try await Cycle.query(on: db).filter(\.$municipality.$id == municipalityID)
            .filter(\.$phase != CyclePhase.published.rawValue).sort(\.$fiscalYear, .descending).first()?.fiscalYear
    }

    static let noOpenCycle = StaffError(status: .conflict, japanese: "進行中の評価サイクルがありません。企画担当が年度を始めてから入力してください",
                                        english: "no cycle is open; the planning section opens the year first")

    // MARK: the four forms

    /// 局施策評価 of a plan node for the open cycle's year.
    static let bureauEvaluation: Loader = { nodeID, db in
        guard let node = try await PlanNode.find(nodeID, on: db), let plan = try await Plan.find(node.$plan.id, on: db) else {
            throw StaffError.notFound("施策", "plan node")
        }
        let openYear = try await openYear(plan.$municipality.id, on: db)
        let year = openYear ?? 0
        let existing = try await Evaluation.query(on: db).filter(\.$planNode.$id == nodeID).filter(\.$fiscalYear == year)
            .filter(\.$stage == EvaluationStage.primary.rawValue).first()
        return RecordForm(
            japaneseTitle: "局施策評価", englishTitle: "Bureau evaluation", subtitle: "\(node.code) \(node.title)" + (openYear.map { "（\(FiscalYear($0).japanese)）" } ?? ""),
            table: .evaluations, entity: "evaluations", recordID: existing?.id, version: existing?.version ?? 0,
            municipalityID: plan.$municipality.id, label: "\(node.code) \(year) 局施策評価", action: .writeBureauEvaluation,
            target: try await Access.target(planNode: node, on: db),
            fields: [
                Field(name: "grade", japanese: "評価", english: "Grade", kind: choices(.evaluation), value: text(existing?.grade),
                      check: gradeCheck(.evaluation, japanese: "評価", english: "a grade")),
                Field(name: "direction", japanese: "成果の方向性", english: "Direction", kind: choices(.direction), value: text(existing?.direction),
                      check: gradeCheck(.direction, japanese: "方向性", english: "a direction")),
                Field(name: "comment", japanese: "主な取組と成果に対する評価", english: "Evaluation", kind: .textarea, value: text(existing?.comment)),
                Field(name: "improvement", japanese: "課題と今後の取組", english: "Issues and next steps", kind: .textarea, value: text(existing?.improvement)),
            ],
            write: { values, tx in
                guard openYear != nil else { throw noOpenCycle }
                let e = try await Evaluation.query(on: tx).filter(\.$planNode.$id == nodeID).filter(\.$fiscalYear == year)
                    .filter(\.$stage == EvaluationStage.primary.rawValue).first() ?? Evaluation()
                if e.id == nil {
                    e.$planNode.id = nodeID
                    e.fiscalYear = year
                    e.stage = EvaluationStage.primary.rawValue
                }
                e.grade = GradeScale.evaluation.grade(named: values["grade"] ?? "")?.label
                e.direction = GradeScale.direction.grade(named: values["direction"] ?? "")?.label
                e.comment = optional(values["comment"])
                e.improvement = optional(values["improvement"])
                e.evaluatedAt = HyokaClock.date
                try await e.save(on: tx)
                return e.id
            }, unavailable: openYear == nil ? noOpenCycle : nil)
    }

    /// A 部局目標 of a manifesto: its figures and self-evaluation.
    static let manifestoGoal: Loader = { goalID, db in
        guard let goal = try await ManifestoGoal.find(goalID, on: db), let manifesto = try await Manifesto.find(goal.$manifesto.id, on: db) else {
            throw StaffError.notFound("部局目標", "manifesto goal")
        }
        return RecordForm(
            japaneseTitle: "部局マニフェストの目標", englishTitle: "Manifesto goal", subtitle: "\(goal.number). \(goal.title)（\(FiscalYear(manifesto.fiscalYear).japanese)）",
            table: .manifestoGoals, entity: "manifesto_goals", recordID: goalID, version: goal.version,
            municipalityID: manifesto.$municipality.id, label: "\(goal.number) \(goal.title) \(manifesto.fiscalYear)", action: .editManifesto,
            target: try await Access.target(manifesto: manifesto, on: db),
            fields: [
                Field(name: "target_figures", japanese: "目標数値", english: "Target figures", kind: .textarea, value: text(goal.targetFigures)),
                Field(name: "achieved_state", japanese: "達成された状態", english: "State when achieved", kind: .textarea, value: text(goal.achievedState)),
                Field(name: "means_and_process", japanese: "手段・工程", english: "Means and schedule", kind: .textarea, value: text(goal.meansAndProcess)),
                Field(name: "self_grade", japanese: "達成状況（自己評価）", english: "Self-evaluation", kind: choices(.manifesto), value: text(goal.selfGrade),
                      check: gradeCheck(.manifesto, japanese: "自己評価", english: "a self-evaluation")),
                Field(name: "self_reason", japanese: "理由", english: "Reason", kind: .textarea, value: text(goal.selfReason)),
            ],
            write: { values, tx in
                guard let goal = try await ManifestoGoal.find(goalID, on: tx) else { throw StaffError.notFound("部局目標", "manifesto goal") }
                goal.targetFigures = optional(values["target_figures"])
                goal.achievedState = optional(values["achieved_state"])
                goal.meansAndProcess = optional(values["means_and_process"])
                goal.selfGrade = GradeScale.manifesto.grade(named: values["self_grade"] ?? "")?.label
                goal.selfReason = optional(values["self_reason"])
                try await goal.save(on: tx)
                return goalID
            })
    }

    /// A 連携事業: what it does, its effects, partners and cost sharing.
    static let collaborationProject: Loader = { projectID, db in
        guard let project = try await CollaborationProject.find(projectID, on: db), let region = try await Region.find(project.$region.id, on: db) else {
            throw StaffError.notFound("連携事業", "collaboration project")
        }
        return RecordForm(
            japaneseTitle: "連携事業", englishTitle: "Collaboration project", subtitle: "\(project.agreementCategory) / \(project.name)",
            table: .collaborationProjects, entity: "collaboration_projects", recordID: projectID, version: project.version,
            municipalityID: region.$municipality.id, label: project.name, action: .editCollaboration,
            target: Policy.Target(municipalityID: region.$municipality.id),
            fields: [
                Field(name: "content", japanese: "事業内容", english: "What it does", kind: .textarea, value: text(project.content)),
                Field(name: "effects", japanese: "効果（1行に1つ）", english: "Effects (one per line)", kind: .textarea, value: text(project.effects)),
                Field(name: "partners_text", japanese: "連携市町", english: "Partners", value: text(project.partnersText)),
                Field(name: "cost_sharing", japanese: "費用負担（基本方針）", english: "Cost sharing", kind: .textarea, value: text(project.costSharing)),
            ],
            write: { values, tx in
                guard let project = try await CollaborationProject.find(projectID, on: tx) else { throw StaffError.notFound("連携事業", "collaboration project") }
                project.content = optional(values["content"])
                project.effects = optional(values["effects"])
                project.partnersText = optional(values["partners_text"])
                project.costSharing = optional(values["cost_sharing"])
                try await project.save(on: tx)
                return projectID
            })
    }

    /// A 棚卸し entry: viewpoints, result, saving, note.
    static let inventoryReview: Loader = { reviewID, db in
        guard let review = try await InventoryReview.find(reviewID, on: db), let program = try await Program.find(review.$program.id, on: db) else {
            throw StaffError.notFound("棚卸しの記録", "inventory review")
        }
        let results: [(String, String)] = InventoryResult.allCases.map { ($0.rawValue, $0.japanese) }
        return RecordForm(
            japaneseTitle: "棚卸し", englishTitle: "Inventory review", subtitle: "\(program.name)（\(review.reviewRound)）",
            table: .inventoryReviews, entity: "inventory_reviews", recordID: reviewID, version: review.version,
            municipalityID: program.$municipality.id, label: "\(program.name) \(review.fiscalYear)", action: .editInventoryReview,
            target: try await Access.target(program: program, on: db),
            fields: [
                Field(name: "viewpoints", japanese: "該当する視点（1〜6、カンマ区切り）", english: "Viewpoints (1–6, comma-separated)", value: review.viewpoints, check: { text in
                    let parts = text.split(whereSeparator: { $0 == "," || $0 == "、" || $0 == " " })
                    return parts.allSatisfy({ Int($0).map((1...6).contains) ?? false }) ? nil
                        : SheetInput.Problem(japanese: "視点は 1〜6 の番号をカンマで区切って書いてください（例: 1,3）", english: "write viewpoint numbers 1–6 separated by commas (e.g. 1,3)")
                }),
                Field(name: "result", japanese: "結果", english: "Result", kind: .select(results), value: review.result, check: { text in
                    InventoryResult(rawValue: text) == nil ? SheetInput.Problem(japanese: "結果を一覧から選んでください", english: "choose a result from the list") : nil
                }),
                Field(name: "saving", japanese: "削減額（千円）", english: "Saving (¥1,000)", value: review.savingYen.map { SheetInput.thousands($0) } ?? "", check: { text in
                    text.isEmpty || (try? Money.parse(text, defaultUnit: .thousandYen)) != nil ? nil
                        : SheetInput.Problem(japanese: "千円単位の金額で書いてください（例: 1,200）", english: "write an amount in thousands of yen (e.g. 1,200)")
                }),
                Field(name: "note", japanese: "備考", english: "Note", kind: .textarea, value: text(review.note)),
            ],
            write: { values, tx in
                guard let review = try await InventoryReview.find(reviewID, on: tx) else { throw StaffError.notFound("棚卸しの記録", "inventory review") }
                review.viewpoints = (values["viewpoints"] ?? "").split(whereSeparator: { $0 == "," || $0 == "、" || $0 == " " }).joined(separator: ",")
                review.result = values["result"] ?? review.result
                review.savingYen = (values["saving"] ?? "").isEmpty ? nil : try? Money.parse(values["saving"] ?? "", defaultUnit: .thousandYen).yen
                review.note = optional(values["note"])
                try await review.save(on: tx)
                return reviewID
            })
    }

    // MARK: saving

    enum SaveOutcome {
        case saved
        case invalid([String: SheetInput.Problem], values: [String: String])
        case conflict(changes: [AuditEntry], current: RecordForm, values: [String: String])
    }

    struct Conflict: Error {}

    static func save(_ load: @escaping Loader, id: UUID, form: [String: String], by user: User, source: String = "form", on db: any Database) async throws -> SaveOutcome {
        let before = try await load(id, db)
        try Access.require(user, before.action, on: before.target)
        try before.requireAvailable()
        var values: [String: String] = [:], problems: [String: SheetInput.Problem] = [:]
        for field in before.fields {
            let text = (form[field.name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            values[field.name] = text
            if let problem = field.check(text) { problems[field.name] = problem }
        }
        guard problems.isEmpty else { return .invalid(problems, values: values) }
        let typed = values
        let based = form["version"].flatMap(Int.init) ?? -1
        do {
            try await db.writeTransaction { tx in
                // Claim first (see `SheetService.save`); a record not written yet must still
                // be missing, or someone created it meanwhile.
                var newVersion = 0
                if let recordID = before.recordID {
                    guard let claimed = try await RecordVersion.claim(before.table, id: recordID, expected: based, on: tx) else { throw Conflict() }
                    newVersion = claimed
                }
                let current = try await load(id, tx)
                guard current.recordID == before.recordID else { throw Conflict() }
                let recordID = try await current.write(typed, tx)
                // A record made by this save starts at version 1, so that a second save
                // based on "not written yet" (version 0) is refused like any stale save.
                if current.recordID == nil, let recordID {
                    newVersion = try await RecordVersion.claim(current.table, id: recordID, expected: 0, on: tx) ?? 0
                }
                let audit = Audit(actor: user.login, userID: user.id, source: source)
                var changes: [Audit.Change] = current.recordID == nil ? [.init(field: "*", before: nil, after: "created")] : [.init(field: "version", before: String(based), after: String(newVersion))]
                for field in current.fields {
                    changes.append(.init(field: field.name, before: field.value.isEmpty ? nil : field.value, after: (typed[field.name] ?? "").isEmpty ? nil : typed[field.name]))
                }
                try await audit.record(on: tx, municipalityID: current.municipalityID, entity: current.entity, id: recordID, label: current.label, changes)
                // An evaluation's grade and direction are on the public list and sheet.
                if current.entity == "evaluations", let municipalityID = current.municipalityID {
                    try await PublicReadModel.refresh(municipalityID: municipalityID, on: tx)
                }
            }
            return .saved
        } catch is Conflict {
            let current = try await load(id, db)
            var changes: [AuditEntry] = []
            if let recordID = current.recordID {
                let moved = try await AuditEntry.query(on: db).filter(\.$entityID == recordID).filter(\.$field == "version").filter(\.$before == String(based)).first()
                changes = try await AuditEntry.query(on: db).filter(\.$entityID == recordID).filter(\.$at >= (moved?.at ?? .distantPast)).sort(\.$at, .descending).all()
            }
            return .conflict(changes: changes, current: current, values: values)
        }
    }
}
