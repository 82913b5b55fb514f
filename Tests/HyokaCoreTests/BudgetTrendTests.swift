import Foundation
import Testing
@testable import HyokaCore

@Suite struct BudgetTrendTests {
    struct Pair: CustomStringConvertible {
        let row: Int
        let previous: String
        let current: String
        let printed: String
        var description: String { "policy-pdca-sheet.txt row \(row): \(previous) → \(current) printed \(printed)" }
    }

    /// Every 事業費の増減 cell of the PDCA sheet, with the two budgets (千円) printed left of it.
    static func publishedPairs() throws -> [Pair] {
        let seed = try SeedFile("policy-pdca-sheet.txt")
        var pairs: [Pair] = []
        for (index, row) in seed.rows.enumerated() {
            for column in row.indices.dropFirst(2) where BudgetTrend(japanese: row[column]) != nil {
                pairs.append(Pair(row: index + 1, previous: row[column - 2], current: row[column - 1], printed: row[column]))
            }
        }
        return pairs
    }

    @Test func reproducesAll38PublishedLabels() throws {
        let pairs = try Self.publishedPairs()
        #expect(pairs.count == 38)
        for pair in pairs {
            let previous = try Money.parse(pair.previous, defaultUnit: .thousandYen)
            let current = try Money.parse(pair.current, defaultUnit: .thousandYen)
            #expect(BudgetTrend.classify(previous: previous, current: current).japanese == pair.printed, "\(pair)")
        }
    }

    @Test func theThresholdIsFivePercentAndConfigurable() {
        let k = { (thousands: Int64) in Money(yen: thousands * 1_000) }
        // 46,190 → 44,090 is −4.55%: 維持. 37,544 → 35,544 is −5.33%: 減額.
        #expect(BudgetTrend.classify(previous: k(46_190), current: k(44_090)) == .maintain)
        #expect(BudgetTrend.changePercent(previous: k(46_190), current: k(44_090)) == Decimal(string: "-4.55"))
        #expect(BudgetTrend.classify(previous: k(37_544), current: k(35_544)) == .decrease)
        #expect(BudgetTrend.changePercent(previous: k(37_544), current: k(35_544)) == Decimal(string: "-5.33"))
        // Exactly 5% is a change.
        #expect(BudgetTrend.classify(previous: k(100), current: k(105)) == .increase)
        #expect(BudgetTrend.classify(previous: k(100), current: k(95)) == .decrease)
        #expect(BudgetTrend.classify(previous: k(100), current: k(104)) == .maintain)
        #expect(BudgetTrend.classify(previous: k(46_190), current: k(44_090), thresholdPercent: 3) == .decrease)
        #expect(BudgetTrend.classify(previous: k(37_544), current: k(35_544), thresholdPercent: 10) == .maintain)
        #expect(BudgetTrend.classify(previous: .zero, current: k(1)) == .increase)
        #expect(BudgetTrend.classify(previous: .zero, current: .zero) == .maintain)
    }

    @Test func readsLabels() {
        #expect(BudgetTrend(japanese: "増額") == .increase)
        #expect(BudgetTrend(japanese: " 維持 ") == .maintain)
        #expect(BudgetTrend(japanese: "減") == nil)
    }
}
