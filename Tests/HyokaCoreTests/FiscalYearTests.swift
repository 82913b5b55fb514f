import Foundation
import Testing
@testable import HyokaCore

@Suite struct FiscalYearTests {
    @Test(arguments: [
        ("令和5年度", 2023), ("令和元年度", 2019), ("令和1年度", 2019), ("R5", 2023), ("R5年度", 2023), ("令5", 2023),
        ("H25", 2013), ("平成25年度", 2013), ("平成31年度", 2019), ("H31", 2019), ("昭和63年度", 1988), ("S63", 1988),
        ("昭和元年度", 1926), ("平成元年度", 1989), ("2023年度", 2023), ("FY2023", 2023), ("2023", 2023),
        ("Ｒ５", 2023), ("令和５年度", 2023), ("令和 5 年度", 2023), ("ｒ7", 2025), ("R37年度", 2055),
    ])
    func parsesFiscalYears(text: String, year: Int) {
        #expect(FiscalYear(parsing: text)?.year == year, "\(text)")
    }

    @Test func heisei31AndReiwaGannenAreTheSameYear() {
        #expect(FiscalYear(parsing: "平成31年度") == FiscalYear(parsing: "令和元年度"))
        #expect(FiscalYear(parsing: "平成31年度") == FiscalYear(2019))
    }

    @Test(arguments: ["H27年", "R7.2月", "R7年2月", "令和", "年度", "5", "R", "abc", "", "R5年度比増", "令和5年度末"])
    func rejectsWhatIsNotAFiscalYear(text: String) {
        #expect(FiscalYear(parsing: text) == nil, "\(text)")
    }

    @Test func distinguishesCalendarYearsAndMonths() throws {
        let calendarYear = try #require(YearReference.parse("H27年"))
        #expect(calendarYear == YearReference(year: 2015, unit: .calendarYear))
        #expect(calendarYear.fiscalYear == nil)
        let month = try #require(YearReference.parse("R7.2月"))
        #expect(month == YearReference(year: 2025, unit: .calendarYear, month: 2))
        #expect(YearReference.parse("R5年度") == YearReference(year: 2023, unit: .fiscalYear))
        #expect(YearReference.parse("R5") == YearReference(year: 2023, unit: .unspecified))
        #expect(YearReference.parse("R5")?.fiscalYear == FiscalYear(2023))
    }

    @Test func formatsJapaneseAndGregorian() {
        #expect(FiscalYear(2023).japanese == "令和5年度")
        #expect(FiscalYear(2019).japanese == "令和元年度")
        #expect(FiscalYear(2018).japanese == "平成30年度")
        #expect(FiscalYear(1989).japanese == "平成元年度")
        #expect(FiscalYear(1988).japanese == "昭和63年度")
        #expect(FiscalYear(2023).gregorian == "2023年度")
        #expect(FiscalYear(2023).both == "令和5年度（2023年度）")
        #expect(FiscalYear(2023).shortJapanese == "R5")
        #expect(FiscalYear(2013).shortJapanese == "H25")
        #expect(FiscalYear(2023).english == "FY2023")
    }

    @Test func formattingRoundTrips() {
        for year in 1926...2100 {
            let fy = FiscalYear(year)
            #expect(FiscalYear(parsing: fy.japanese) == fy)
            #expect(FiscalYear(parsing: fy.shortJapanese) == fy)
            #expect(FiscalYear(parsing: fy.gregorian) == fy)
        }
    }

    @Test func fiscalYearOfADateStartsInApril() throws {
        let calendar = Calendar.japan
        func date(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 12) throws -> Date {
            try #require(calendar.date(from: DateComponents(year: y, month: m, day: d, hour: h)))
        }
        #expect(FiscalYear(containing: try date(2024, 3, 31, 23)) == FiscalYear(2023))
        #expect(FiscalYear(containing: try date(2024, 4, 1, 0)) == FiscalYear(2024))
        #expect(FiscalYear(containing: try date(2025, 1, 15)) == FiscalYear(2024))
        #expect(FiscalYear(containing: try date(2019, 4, 30)) == FiscalYear(2019))
        #expect(FiscalYear(containing: try date(2019, 4, 30)).japanese == "令和元年度")
    }

    @Test func ordersByYear() {
        #expect(FiscalYear(2022) < FiscalYear(2023))
        #expect([FiscalYear(2024), FiscalYear(2019)].sorted() == [FiscalYear(2019), FiscalYear(2024)])
    }
}
