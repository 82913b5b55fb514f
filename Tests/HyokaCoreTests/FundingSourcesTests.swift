import HyokaCore
import Testing

@Suite struct FundingSourcesTests {
    @Test func theSumAndTheGeneralShareAreOfTheStatedParts() {
        let k = { (thousands: Int64) in Money(yen: thousands * 1_000) }
        let funding = FundingSources(national: k(10_000), prefectural: k(5_000), general: k(29_090))
        #expect(funding.total == k(44_090))
        #expect(funding.generalShare == 66)   // 29,090 / 44,090 = 65.98 %, to one decimal 66.0
        #expect(FundingSources().isEmpty && FundingSources().total == nil && FundingSources().generalShare == nil)
        #expect(FundingSources(national: k(1)).generalShare == nil, "no 一般財源 stated is not 0 %")
        #expect(FundingSources(general: Money.zero).generalShare == nil, "a zero sum has no share")
        #expect(FundingSources(bond: k(3), general: k(1)).generalShare == 25)
    }
}
