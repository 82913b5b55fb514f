import Foundation
import HyokaCore

/// `/plans/{id}`: one 施策 (or 政策) of a published year: its programs and those of the
/// measures under it, their budget totals and a chart of where the money goes, the KPIs'
/// rates and the 局施策評価. The tree page links here, so it no longer lists every program.
enum PlanNodeShow {
    struct Model: Sendable {
        struct NodeReference: Sendable {
            var id: UUID
            var code: String
            var title: String
        }

        /// A measure under this one, with the programs of its whole subtree.
        struct Child: Sendable {
            var node: NodeReference
            var rows: [PublicCatalog.ProgramRow]
        }

        /// A KPI of one of the programs, with its 達成率 in the year (nil: no row for the year).
        struct KPI: Sendable {
            var programID: UUID
            var programName: String
            var name: String
            var rate: AchievementRate.Result?
        }

        var scope: PagePlace
        var planName: String
        var node: NodeReference
        /// From the top of the tree down to the parent.
        var ancestors: [NodeReference]
        /// 局施策評価 of the year.
        var grade: String?
        var improvement: String?
        var hasEvaluation: Bool
        var children: [Child]
        /// The year's published programs of this node and every node under it, once each.
        var rows: [PublicCatalog.ProgramRow]
        var kpis: [KPI]
    }
}
