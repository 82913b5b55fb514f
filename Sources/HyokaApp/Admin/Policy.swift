import Foundation
import HyokaCore

/// Who may do what: every authorization of a staff write is decided here and nowhere else.
/// Routes describe the action and the record it touches; the policy answers yes or no.
enum Policy {
    /// The signed-in account, as the policy needs it.
    struct Actor: Sendable {
        var role: Role
        var municipalityID: UUID?
        var departmentID: UUID?
        var isDisabled = false
    }

    /// The record an action touches: its municipality, and the department that owns it
    /// followed by that department's parents (課 → 部 → 局), when it has one.
    struct Target: Sendable {
        var municipalityID: UUID?
        var departmentPath: [UUID] = []
    }

    /// Every staff write.
    enum Action: String, CaseIterable, Sendable {
        /// A program sheet's KPIs, budget lines, self-evaluation, direction, improvement.
        case editSheet
        case submitSheet
        case returnSheet
        case approveSheet
        /// 局施策評価 of a plan node.
        case writeBureauEvaluation
        /// A department manifesto's goals and self-evaluation.
        case editManifesto
        case editCollaboration
        /// 棚卸し entries.
        case editInventoryReview
        /// Open a cycle, set deadlines, move its phase on (finalize included).
        case manageCycle
        case publishCycle
        /// Workbook downloads and uploads for a department, imports.
        case exchangeWorkbook
        /// Comments on drafts (the external committee).
        case comment
        case manageUsers
    }

    static func allows(_ actor: Actor, _ action: Action, on target: Target) -> Bool {
        guard !actor.isDisabled else { return false }
        if actor.role == .admin { return action == .manageUsers }
        // Everyone else works inside their own municipality only.
        guard let own = actor.municipalityID, own == target.municipalityID else { return false }
        let ownsTarget = actor.departmentID.map { target.departmentPath.first == $0 } ?? false
        let aboveTarget = actor.departmentID.map(target.departmentPath.contains) ?? false
        switch actor.role {
        case .planner:
            return action != .manageUsers
        case .approver:
            switch action {
            case .returnSheet, .approveSheet, .writeBureauEvaluation, .editManifesto, .comment: return aboveTarget
            default: return false
            }
        case .editor:
            switch action {
            case .editSheet, .submitSheet: return ownsTarget
            default: return false
            }
        case .reviewer:
            return action == .comment
        case .admin:
            return false
        }
    }
}
