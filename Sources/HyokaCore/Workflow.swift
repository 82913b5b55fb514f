import Foundation

/// 役割: what a staff account may do (DESIGN.md "Users"). The public has no account.
public enum Role: String, JapaneseLabelled, Codable {
    /// 担当課の職員: edits and submits the sheets of their section.
    case editor
    /// 部長・局長: returns or approves their bureau's sheets; writes 局施策評価.
    case approver
    /// 行政経営課・企画課: runs the cycle for the whole municipality.
    case planner
    /// 外部評価委員: reads drafts and comments.
    case reviewer
    /// システム管理者: users and municipalities.
    case admin

    public var japanese: String {
        switch self {
        case .editor: "担当課"
        case .approver: "承認者（部局長）"
        case .planner: "企画・行政経営担当"
        case .reviewer: "外部評価委員"
        case .admin: "システム管理者"
        }
    }

    public var english: String {
        switch self {
        case .editor: "Editor"
        case .approver: "Approver"
        case .planner: "Planner"
        case .reviewer: "Reviewer"
        case .admin: "Administrator"
        }
    }
}

/// A step of a sheet through the cycle: 提出, 差戻し, 承認, 公表, and 引戻し (the section
/// takes back a submission nobody has reviewed yet).
public enum SheetAction: String, CaseIterable, Sendable {
    case submit, `return`, approve, publish, withdraw

    public var japanese: String {
        switch self {
        case .submit: "提出"
        case .return: "差戻し"
        case .approve: "承認"
        case .publish: "公表"
        case .withdraw: "引戻し"
        }
    }

    public var pastParticiple: String {
        switch self {
        case .submit: "submitted"
        case .return: "returned"
        case .approve: "approved"
        case .publish: "published"
        case .withdraw: "withdrawn"
        }
    }
}

/// Which sheet steps are allowed from which state, and in which phase of the cycle.
public enum SheetWorkflow {
    public struct Refusal: Error, Equatable, Sendable {
        public var japanese: String
        public var english: String

        public init(japanese: String, english: String) {
            self.japanese = japanese
            self.english = english
        }
    }

    /// The state after `action`, or why it is not allowed. A return needs a reason: the
    /// editor has to see why.
    public static func next(_ state: SheetState, _ action: SheetAction, phase: CyclePhase, reason: String? = nil) -> Result<SheetState, Refusal> {
        switch (action, state) {
        case (.submit, .draft), (.submit, .returned):
            guard phase == .input || phase == .review else {
                return .failure(Refusal(japanese: "提出できるのは入力・審査の期間中です（現在: \(phase.japanese)）",
                                        english: "sheets can be submitted during input or review (now: \(phase.english))"))
            }
            return .success(.submitted)
        case (.return, .submitted), (.return, .approved):
            guard phase == .input || phase == .review else {
                return .failure(Refusal(japanese: "差戻しできるのは入力・審査の期間中です（現在: \(phase.japanese)）",
                                        english: "sheets can be returned during input or review (now: \(phase.english))"))
            }
            guard let reason, !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                return .failure(Refusal(japanese: "差戻しの理由を書いてください", english: "write why the sheet is returned"))
            }
            return .success(.returned)
        case (.approve, .submitted):
            guard phase == .input || phase == .review else {
                return .failure(Refusal(japanese: "承認できるのは入力・審査の期間中です（現在: \(phase.japanese)）",
                                        english: "sheets can be approved during input or review (now: \(phase.english))"))
            }
            return .success(.approved)
        case (.withdraw, .submitted):
            guard phase == .input || phase == .review else {
                return .failure(Refusal(japanese: "引戻しできるのは入力・審査の期間中です（現在: \(phase.japanese)）",
                                        english: "a submission can be withdrawn during input or review (now: \(phase.english))"))
            }
            return .success(.draft)
        case (.withdraw, .approved):
            return .failure(Refusal(japanese: "承認済みのシートは引戻しできません。直す必要があれば承認者に差戻しを依頼してください",
                                    english: "an approved sheet cannot be withdrawn; ask the approver to return it"))
        case (.publish, .approved):
            guard phase == .published else {
                return .failure(Refusal(japanese: "シートは評価サイクルの公表と同時に公表されます",
                                        english: "sheets are published when the cycle is published"))
            }
            return .success(.published)
        default:
            return .failure(Refusal(japanese: "「\(state.japanese)」のシートは\(action.japanese)できません",
                                    english: "a \(state.english.lowercased()) sheet cannot be \(action.pastParticiple)"))
        }
    }

    /// Whether the sheet's contents may be edited: by its section while it is a draft or
    /// returned, during input or review.
    public static func isEditable(_ state: SheetState, phase: CyclePhase) -> Bool {
        (state == .draft || state == .returned) && (phase == .input || phase == .review)
    }
}

/// The phases of a cycle: 準備 → 入力 → 審査 → 確定 → 公表, one step at a time.
public enum CycleWorkflow {
    /// The phase after `phase`, or why the cycle cannot move on. `unapproved` is the number of
    /// sheets not yet approved: a cycle is finalized only when every sheet is approved.
    public static func advance(_ phase: CyclePhase, unapproved: Int) -> Result<CyclePhase, SheetWorkflow.Refusal> {
        switch phase {
        case .preparation: return .success(.input)
        case .input: return .success(.review)
        case .review:
            guard unapproved == 0 else {
                return .failure(.init(japanese: "承認されていないシートが\(unapproved)件あります。すべて承認されてから確定してください",
                                      english: "\(unapproved) sheets are not approved yet; approve them all before finalizing"))
            }
            return .success(.finalized)
        case .finalized: return .success(.published)
        case .published:
            return .failure(.init(japanese: "この評価サイクルはすでに公表されています", english: "this cycle is already published"))
        }
    }

    /// The phase before `phase`, for a planner who moved on too early (入力 ← 審査 to let
    /// sections edit again, 審査 ← 確定 to return a sheet). A published cycle does not go
    /// back: its sheets are corrected one by one (訂正), publicly.
    public static func back(_ phase: CyclePhase) -> Result<CyclePhase, SheetWorkflow.Refusal> {
        switch phase {
        case .preparation:
            return .failure(.init(japanese: "準備より前の段階はありません", english: "there is no phase before preparation"))
        case .input: return .success(.preparation)
        case .review: return .success(.input)
        case .finalized: return .success(.review)
        case .published:
            return .failure(.init(japanese: "公表した評価サイクルは戻せません。直す必要があるシートは「訂正」してください（訂正の日付と理由が公開ページに表示されます）",
                                  english: "a published cycle does not go back; correct the sheets that need it (the date and reason are shown publicly)"))
        }
    }
}
