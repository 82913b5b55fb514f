import Foundation

/// `/plans`: the 施策 tree (政策 → 施策 → 事業) of a published year: each node with the count
/// of its programs, a roll-up of their KPI rates and the 局施策評価, linked to its own page
/// (`PlanNodeShow`) where the programs are listed; a chart of the budget by 政策.
enum PlanIndex {
    struct Model: Sendable {
        struct Node: Sendable {
            /// The address of its page (`/plans/{id}`).
            var id: UUID
            var code: String
            var title: String
            /// The code of the parent node; nil at the top.
            var parentCode: String?
            /// 局施策評価 of the year: grade and improvement.
            var grade: String?
            var improvement: String?
            var hasEvaluation: Bool
        }

        struct Plan: Sendable {
            var name: String
            /// In the plan's order.
            var nodes: [Node]
        }

        var scope: PagePlace
        var plans: [Plan]
        /// The year's published programs (their 施策 codes place them in the tree).
        var rows: [PublicCatalog.ProgramRow]
    }
}
