import Foundation
import HyokaCore

/// `/`: a municipality's published year at a glance, split as the sheet is.
enum HomeShow {
    struct Model: Sendable {
        struct Figure: Sendable {
            var name: String
            var year: Int
            var valueText: String
            /// 過去最高: the highest of its name over the years held (computed).
            var recordHigh: Bool
        }

        var scope: PagePlace
        var municipalities: [PagePlace.Municipality]
        var years: [Int]
        var rows: [PublicCatalog.ProgramRow]
        var figures: [Figure]
        var latestCycleYear: Int?
        var latestPublishedAt: Date?
    }
}
