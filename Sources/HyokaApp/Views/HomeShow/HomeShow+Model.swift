import Foundation
import HyokaCore

/// `/`: a municipality's published year at a glance, split as the sheet is.
enum HomeShow {
    struct Model: Sendable {
        struct Figure: Sendable {
            var name: String
            var year: Int
            var valueText: String
            /// 過去最高 (`Computations.isRecordHigh`).
            var recordHigh: Bool
            /// What the city published with the figure (「2年連続」, 「再建直後を除き」): shown
            /// beside 過去最高, never dropped.
            var qualifier: String? = nil
            /// The value's digits are grouped irregularly (「22,8億円」, likely 22.8億円): shown as
            /// published, with a note.
            var irregularGrouping = false
        }

        /// With the published municipalities and years, for the switcher.
        var scope: PagePlace
        var rows: [PublicCatalog.ProgramRow]
        var figures: [Figure]
        var latestCycleYear: Int?
        var latestPublishedAt: Date?
    }
}
