import Foundation
import HyokaCore

/// `/guide`: how to read the figures — the grades and the rates they stand on, 達成率 and its
/// two lower-is-better formulas, 増減 — with the chosen municipality's own settings.
enum GuideShow {
    struct Model: Sendable {
        /// The municipality whose settings are shown, when one is chosen or published.
        var scope: PagePlace?
        var formula: LowerIsBetterFormula
        var thresholdPercent: Decimal
    }
}
