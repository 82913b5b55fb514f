import Testing
@testable import HyokaCore

@Suite struct MoneyTests {
    @Test(arguments: [
        ("2,665,000", Money.Unit.thousandYen, Int64(2_665_000_000)),
        ("59,052", .thousandYen, 59_052_000),
        ("１，５００", .thousandYen, 1_500_000),
        ("1,500円", .thousandYen, 1_500),
        ("22.8億円", .yen, 2_280_000_000),
        ("約450万円", .yen, 4_500_000),
        ("80,400百万円", .yen, 80_400_000_000),
        ("181,809 万 円", .yen, 1_818_090_000),
        ("3千円", .yen, 3_000),
        ("12", .tenThousandYen, 120_000),
        ("1.5", .millionYen, 1_500_000),
        ("2", .hundredMillionYen, 200_000_000),
        ("0", .thousandYen, 0),
        // A decrease keeps its sign, however it is written.
        ("-500", .thousandYen, -500_000),
        ("−500", .thousandYen, -500_000),
        ("－１，２００", .thousandYen, -1_200_000),
        ("△500", .thousandYen, -500_000),
        ("▲1.5億円", .thousandYen, -150_000_000),
        // A kanji scale makes the number yen, whatever the column's unit.
        ("1.2億", .thousandYen, 120_000_000),
        ("350万", .thousandYen, 3_500_000),
        ("5百万", .thousandYen, 5_000_000),
    ])
    func parsesAmounts(text: String, unit: Money.Unit, yen: Int64) throws {
        #expect(try Money.parse(text, defaultUnit: unit) == Money(yen: yen))
    }

    @Test(arguments: ["", "—", "千円", "abc", "5人", "6市10町", "-", "△", "87団体87団体", "500以上"])
    func rejectsNonAmounts(text: String) {
        #expect(throws: Money.ParseError.notAnAmount(text)) { try Money.parse(text, defaultUnit: .thousandYen) }
    }

    @Test func rejectsAmountsBeyondAnyBudget() throws {
        // 1,000兆円 and more: a typo, and the bound keeps every sum of amounts from overflowing.
        #expect(throws: Money.ParseError.outOfRange("1000兆円")) { try Money.parse("1000兆円") }
        #expect(throws: Money.ParseError.outOfRange("9" + String(repeating: "9", count: 39))) { try Money.parse("9" + String(repeating: "9", count: 39), defaultUnit: .thousandYen) }
        #expect(try Money.parse("999兆円") == Money(yen: 999_000_000_000_000))
    }

    @Test func rejectsFractionsOfAYen() {
        #expect(throws: Money.ParseError.fractionalYen("1.5円")) { try Money.parse("1.5円") }
    }

    @Test func formatsThousandsOfYen() {
        #expect(Money(yen: 2_665_000_000).thousandYenText == "2,665,000")
        #expect(Money(yen: 2_665_000_000).thousandYenWithUnit == "2,665,000千円")
        #expect(Money(yen: 1_500).thousandYenText == "2")
        #expect(Money(yen: 1_499).thousandYenText == "1")
        #expect(Money(yen: 0).thousandYenText == "0")
        #expect(Money(yen: 999_999_999_000).thousandYenText == "999,999,999")
        #expect(Money(yen: 1_234_567).yenText == "1,234,567円")
    }

    @Test func computesTotalCostAndExecutionRate() {
        // 証明書コンビニ交付: 予算 59,052千円, 決算 52,857千円 → 執行率 89.5%
        #expect(executionRate(budget: Money(yen: 59_052_000), settlement: Money(yen: 52_857_000)) == 89.5)
        #expect(executionRate(budget: .zero, settlement: Money(yen: 1)) == nil)
        #expect(totalCost(programCost: Money(yen: 2_665_000_000), personnelCost: Money(yen: 13_200_000)) == Money(yen: 2_678_200_000))
    }
}
