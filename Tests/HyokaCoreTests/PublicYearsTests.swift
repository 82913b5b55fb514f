import HyokaCore
import Testing

@Suite struct PublicYearsTests {
    /// 2021 and 2022 published, 2023 open (入力), 2024 and later without a cycle: the planned
    /// budgets a published sheet prints.
    let years = PublicYears(cycles: [(2021, true), (2022, true), (2023, false)])

    @Test func aYearIsPublicWhenPublishedOrWithoutACycle() {
        #expect(years.isPublic(2021) && years.isPublic(2022))
        #expect(!years.isPublic(2023), "an open cycle's year never shows through")
        #expect(years.isPublic(2024) && years.isPublic(2019))
    }

    @Test func aSheetPrintsThePublicYearsFromThreeBackToThreeAhead() {
        // 2018–2020 have no cycle: the settled years a published sheet came with.
        #expect(years.onSheet(of: 2021) == [2018, 2019, 2020, 2021, 2022, 2024])
        #expect(years.onSheet(of: 2022) == [2019, 2020, 2021, 2022, 2024, 2025])
        #expect(PublicYears(cycles: []).onSheet(of: 2024) == [2021, 2022, 2023, 2024, 2025, 2026, 2027])
        // 大船渡市's 令和7年度 sheet: 決算 of 2022–2024, 予算 of 2025, plans of 2026–2027.
        #expect(PublicYears(cycles: [(2025, true)]).onSheet(of: 2025) == [2022, 2023, 2024, 2025, 2026, 2027, 2028])
    }
}
