import Foundation
import HyokaCore
import HyokaImport
import Plot
import SnapshotTesting
import Testing
@testable import HyokaApp

/// The overview rendered from a model built by hand: the cards, headline figures, counts
/// and the rate histogram of three programs.
@Suite struct HomeShowSnapshotTests {
    static func html(_ language: PortalLanguage) -> String {
        let model = HomeShow.Model(
            scope: PagePlace(municipalityCode: "401005", municipalityName: language == .ja ? "北九州市" : "Kitakyushu", year: 2024, language: language,
                             municipalities: [.init(code: "401005", name: "北九州市", nameEnglish: "Kitakyushu"), .init(code: "402036", name: "久留米市", nameEnglish: nil)],
                             years: [2024, 2023]),
            rows: ProgramIndexSnapshotTests.rows(),
            figures: [.init(name: "小倉城の入場者", year: 2024, valueText: "80万人", recordHigh: true),
                      .init(name: "観光客数", year: 2024, valueText: "2,400万人", recordHigh: false)],
            latestCycleYear: 2024, latestPublishedAt: Date(timeIntervalSince1970: 1_754_000_000))
        let (layout, content) = HomeShow.view(model)
        return layout.html(content, indented: true)
    }

    @Test func japanese() {
        assertSnapshot(of: Self.html(.ja), as: .lines)
    }

    @Test func english() {
        let html = Self.html(.en)
        // The fixed vocabulary is translated; what the city wrote stays Japanese, marked so.
        for word in ["千円", "大変順調", "概ね順調", "拡充", "増額", "現状維持", "未設定"] {
            #expect(!html.contains(">\(word)"), "\(word) on the English overview")
        }
        #expect(html.contains("<span lang=\"ja\">小倉城の入場者</span>"))
        assertSnapshot(of: html, as: .lines)
    }
}
