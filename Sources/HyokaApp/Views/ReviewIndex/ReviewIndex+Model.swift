import Foundation
import HyokaCore

/// `/reviews`: the 予算事務事業の棚卸し, split as the sheet is.
enum ReviewIndex {
    struct Model: Sendable {
        struct Review: Sendable {
            var round: String
            var programID: UUID
            var program: String
            var department: String?
            /// The viewpoints (1–6) that applied.
            var viewpoints: Set<Int>
            var result: String
            var saving: Money?
        }

        var scope: PagePlace
        /// Newest round first.
        var reviews: [Review]
    }
}
