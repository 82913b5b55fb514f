import Fluent
import Foundation
import HyokaCore
import HyokaImport

/// Merging two programs that are one: a name typed two ways in the source
/// (「…インフォーメーション…」 and 「…インフォメーション…」) made two programs, and every total
/// counted the program twice. The planner keeps one name; everything the other held moves to
/// it, or is dropped where the kept program already holds the same thing. Where the two hold
/// different figures for the same year (a budget, an evaluation, a KPI value), nothing is
/// merged and the page lists the differences to correct first. One transaction, audited, and
/// the read model refreshed in it, so the public totals count the program once from the next
/// request.
enum ProgramMerge {
    /// A difference that stops a merge, said in both languages.
    struct Difference: Sendable, Equatable {
        var japanese: String
        var english: String
    }

    /// Groups of programs the check `similar-program-names` flags (same department, same
    /// spelling key), each with the years it has sheets in, for the planner's page.
    struct Candidate: Sendable {
        var id: UUID
        var name: String
        var department: String?
        var years: [Int]
    }

    static func candidates(municipalityID: UUID, on db: any Database) async throws -> [[Candidate]] {
        let programs = try await Program.query(on: db).filter(\.$municipality.$id == municipalityID).with(\.$department).all()
        var groups: [String: [Program]] = [:]
        for program in programs {
            groups[Lint.similarNameKey(name: program.name, department: program.department?.name), default: []].append(program)
        }
        let flagged = groups.values.filter { $0.count > 1 }
        let ids = flagged.flatMap { $0.compactMap(\.id) }
        guard !ids.isEmpty else { return [] }
        var years: [UUID: [Int]] = [:]
        for sheet in try await SheetStatus.query(on: db).filter(\.$program.$id ~~ ids).with(\.$cycle).all() {
            years[sheet.$program.id, default: []].append(sheet.cycle.fiscalYear)
        }
        return flagged.map { group in
            group.compactMap { program in
                program.id.map { Candidate(id: $0, name: program.name, department: program.department?.name, years: (years[$0] ?? []).sorted()) }
            }.sorted { $0.name < $1.name }
        }.sorted { ($0.first?.name ?? "") < ($1.first?.name ?? "") }
    }

    enum Outcome: Sendable {
        case merged(kept: String, removed: String)
        case different([Difference])
    }

    /// Moves `sourceID`'s records to `targetID` and deletes `sourceID`; nothing is written
    /// when the two differ (`.different`).
    static func merge(_ sourceID: UUID, into targetID: UUID, reason: String, by user: User, on db: any Database) async throws -> Outcome {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 1_000 else {
            throw StaffError(status: .unprocessableEntity, japanese: "まとめる理由を1,000字以内で書いてください（変更履歴に残ります）",
                             english: "write why the programs are merged, at most 1,000 characters (kept in the change history)")
        }
        guard sourceID != targetID else {
            throw StaffError(status: .unprocessableEntity, japanese: "同じ事業どうしはまとめられません。残す事業ともう一方を選んでください",
                             english: "choose two different programs: the one to keep and the other")
        }
        return try await db.writeTransaction { tx in
            guard let source = try await Program.find(sourceID, on: tx), let target = try await Program.find(targetID, on: tx),
                  source.$municipality.id == target.$municipality.id else {
                throw StaffError(status: .notFound, japanese: "事業が見つかりません。画面を読み込み直してください", english: "no such program; reload the page")
            }
            let municipalityID = target.$municipality.id
            try Access.require(user, .publishCycle, on: Policy.Target(municipalityID: municipalityID))
            var differences: [Difference] = []
            try await moveBudgets(from: sourceID, to: targetID, differences: &differences, on: tx)
            try await moveEvaluations(from: sourceID, to: targetID, differences: &differences, on: tx)
            try await moveIndicators(from: sourceID, to: targetID, differences: &differences, on: tx)
            try await moveReviews(from: sourceID, to: targetID, differences: &differences, on: tx)
            guard differences.isEmpty else { throw Different(differences: differences) }
            try await moveLinksAndSheets(from: sourceID, to: targetID, on: tx)
            let removed = source.name, kept = target.name
            try await source.delete(on: tx)
            try await Audit(actor: user.login, userID: user.id, source: "form").record(
                on: tx, municipalityID: municipalityID, entity: "programs", id: sourceID, label: removed,
                [.init(field: "merged_into", before: removed, after: kept), .init(field: "merge_reason", before: nil, after: reason)])
            try await PublicReadModel.refresh(municipalityID: municipalityID, on: tx)
            return .merged(kept: kept, removed: removed)
        }
    }

    /// Thrown inside the transaction so that nothing moved stays moved.
    private struct Different: Error { var differences: [Difference] }

    /// As `merge`, with the differences as a value instead of an error.
    static func run(_ sourceID: UUID, into targetID: UUID, reason: String, by user: User, on db: any Database) async throws -> Outcome {
        do {
            return try await merge(sourceID, into: targetID, reason: reason, by: user, on: db)
        } catch let different as Different {
            return .different(different.differences)
        }
    }

    private static func yen(_ value: Int64?) -> String { value.map { Money(yen: $0).yenText } ?? "—" }

    private static func moveBudgets(from source: UUID, to target: UUID, differences: inout [Difference], on db: any Database) async throws {
        let kept = Dictionary(try await BudgetLine.query(on: db).filter(\.$program.$id == target).all().map { ($0.fiscalYear, $0) }, uniquingKeysWith: { a, _ in a })
        for line in try await BudgetLine.query(on: db).filter(\.$program.$id == source).all() {
            guard let other = kept[line.fiscalYear] else {
                line.$program.id = target
                try await line.update(on: db)
                continue
            }
            let figures: [(String, String, KeyPath<BudgetLine, Int64?>)] = [("予算額", "budget", \.budgetYen), ("決算額", "settlement", \.settlementYen),
                                                                           ("人件費", "personnel cost", \.personnelCostYen)]
            for (japanese, english, path) in figures where line[keyPath: path] != nil && other[keyPath: path] != nil && line[keyPath: path] != other[keyPath: path] {
                differences.append(.init(japanese: "\(FiscalYear(line.fiscalYear).japanese)の\(japanese)が違います（\(yen(other[keyPath: path])) と \(yen(line[keyPath: path]))）",
                                         english: "FY\(line.fiscalYear) \(english) differs (\(yen(other[keyPath: path])) and \(yen(line[keyPath: path])))"))
            }
            // The same figures, or one holding what the other lacks: keep every figure.
            for path in [\BudgetLine.budgetYen, \.settlementYen, \.personnelCostYen, \.nationalYen, \.prefecturalYen, \.bondYen, \.otherSpecificYen, \.generalYen]
            where other[keyPath: path] == nil && line[keyPath: path] != nil {
                other[keyPath: path] = line[keyPath: path]
            }
            if other.hasChanges { try await other.update(on: db) }
            try await line.delete(on: db)
        }
    }

    private static func moveEvaluations(from source: UUID, to target: UUID, differences: inout [Difference], on db: any Database) async throws {
        let kept = try await Evaluation.query(on: db).filter(\.$program.$id == target).all()
        for evaluation in try await Evaluation.query(on: db).filter(\.$program.$id == source).all() {
            guard let other = kept.first(where: { $0.fiscalYear == evaluation.fiscalYear && $0.stage == evaluation.stage }) else {
                evaluation.$program.id = target
                try await evaluation.update(on: db)
                continue
            }
            if (evaluation.grade, evaluation.direction) != (other.grade, other.direction) {
                differences.append(.init(japanese: "\(FiscalYear(evaluation.fiscalYear).japanese)の評価が違います（\(other.grade ?? "—")・\(other.direction ?? "—") と \(evaluation.grade ?? "—")・\(evaluation.direction ?? "—")）",
                                         english: "FY\(evaluation.fiscalYear) evaluation differs"))
            }
            try await evaluation.delete(on: db)
        }
    }

    /// A KPI of the same name is one KPI: its yearly values join the kept one's.
    private static func moveIndicators(from source: UUID, to target: UUID, differences: inout [Difference], on db: any Database) async throws {
        let kept = try await Indicator.query(on: db).filter(\.$program.$id == target).sort(\.$sortOrder).all()
        var nextOrder = (kept.map(\.sortOrder).max() ?? -1) + 1
        for indicator in try await Indicator.query(on: db).filter(\.$program.$id == source).sort(\.$sortOrder).all() {
            let key = JapaneseText.spellingKey(indicator.name)
            guard let other = kept.first(where: { JapaneseText.spellingKey($0.name) == key }), let otherID = other.id, let indicatorID = indicator.id else {
                indicator.$program.id = target
                indicator.sortOrder = nextOrder
                nextOrder += 1
                try await indicator.update(on: db)
                continue
            }
            let keptValues = Dictionary(try await IndicatorValue.query(on: db).filter(\.$indicator.$id == otherID).all().map { ($0.fiscalYear, $0) },
                                        uniquingKeysWith: { a, _ in a })
            for value in try await IndicatorValue.query(on: db).filter(\.$indicator.$id == indicatorID).all() {
                if let existing = keptValues[value.fiscalYear] {
                    if JapaneseText.compact(existing.targetRaw) != JapaneseText.compact(value.targetRaw) || JapaneseText.compact(existing.actualRaw) != JapaneseText.compact(value.actualRaw) {
                        differences.append(.init(japanese: "指標「\(indicator.name)」の\(FiscalYear(value.fiscalYear).japanese)の値が違います（目標 \(existing.targetRaw)・実績 \(existing.actualRaw) と 目標 \(value.targetRaw)・実績 \(value.actualRaw)）",
                                                 english: "KPI “\(indicator.name)” differs in FY\(value.fiscalYear)"))
                    }
                    try await value.delete(on: db)
                } else {
                    value.$indicator.id = otherID
                    try await value.update(on: db)
                }
            }
            try await indicator.delete(on: db)
        }
    }

    private static func moveReviews(from source: UUID, to target: UUID, differences: inout [Difference], on db: any Database) async throws {
        let kept = try await InventoryReview.query(on: db).filter(\.$program.$id == target).all()
        for review in try await InventoryReview.query(on: db).filter(\.$program.$id == source).all() {
            guard let other = kept.first(where: { $0.reviewRound == review.reviewRound }) else {
                review.$program.id = target
                try await review.update(on: db)
                continue
            }
            if other.result != review.result {
                differences.append(.init(japanese: "棚卸し「\(review.reviewRound)」の結果が違います（\(other.result) と \(review.result)）",
                                         english: "inventory review “\(review.reviewRound)” differs"))
            }
            try await review.delete(on: db)
        }
        let meetings = Set(try await ReviewMeetingProgram.query(on: db).filter(\.$program.$id == target).all().map(\.$meeting.id))
        for entry in try await ReviewMeetingProgram.query(on: db).filter(\.$program.$id == source).all() {
            if meetings.contains(entry.$meeting.id) {
                try await entry.delete(on: db)
            } else {
                entry.$program.id = target
                try await entry.update(on: db)
            }
        }
    }

    /// 施策 links join; a sheet of a cycle the kept program has no sheet in moves, else its
    /// corrections move to the kept sheet (the public reasons stay shown) and it goes.
    private static func moveLinksAndSheets(from source: UUID, to target: UUID, on db: any Database) async throws {
        let nodes = Set(try await PlanLink.query(on: db).filter(\.$program.$id == target).all().map(\.$planNode.id))
        for link in try await PlanLink.query(on: db).filter(\.$program.$id == source).all() {
            if nodes.contains(link.$planNode.id) {
                try await link.delete(on: db)
            } else {
                link.$program.id = target
                try await link.update(on: db)
            }
        }
        let sheets = Dictionary(try await SheetStatus.query(on: db).filter(\.$program.$id == target).all().compactMap { s in s.id.map { (s.$cycle.id, $0) } },
                                uniquingKeysWith: { a, _ in a })
        for sheet in try await SheetStatus.query(on: db).filter(\.$program.$id == source).all() {
            guard let keptSheet = sheets[sheet.$cycle.id], let sheetID = sheet.id else {
                sheet.$program.id = target
                try await sheet.update(on: db)
                continue
            }
            for correction in try await SheetCorrection.query(on: db).filter(\.$sheet.$id == sheetID).all() {
                correction.$sheet.id = keptSheet
                try await correction.update(on: db)
            }
            try await sheet.delete(on: db)
        }
    }
}
