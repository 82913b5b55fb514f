import Foundation
import Testing
@testable import HyokaCore

/// Every 達成率 printed in the two published tables, reproduced from the target, actual and
/// baseline printed beside it. `row` is the row of the document that prints the rate.
@Suite struct AchievementRateTests {
    struct Published: CustomStringConvertible, Sendable {
        let file: String
        let row: Int
        let target: String
        let actual: String
        var baseline: String = ""
        var finalTarget: String = ""
        /// The rate as printed; "—" where the sheet prints none.
        let printed: String
        /// Where the direction comes from the printed rate rather than the targets.
        var decidedByPublishedRate = false
        var description: String { "\(file) row \(row): \(target) / \(actual) → \(printed)" }
    }

    static let programTable = "program-evaluation-table.txt"
    static let pdcaSheet = "policy-pdca-sheet.txt"

    static let published: [Published] = [
        // program-evaluation-table.txt
        // The target (47.0%) is below the baseline (50.0%), which alone would mean lower is
        // better; the printed 94.7% fits only higher-is-better.
        Published(file: programTable, row: 6, target: "47.0%", actual: "44.5%", baseline: "50.0%", finalTarget: "47.0%", printed: "94.7%", decidedByPublishedRate: true),
        Published(file: programTable, row: 8, target: "R5年比減", actual: "6,482件", baseline: "6,044件", printed: "92.8%"),
        Published(file: programTable, row: 9, target: "R5年比減", actual: "6,482件", baseline: "6,044件", printed: "92.8%"),
        Published(file: programTable, row: 10, target: "R5年度比増（R5：81.4%）", actual: "75.4%", baseline: "48.0%", printed: "92.6%"),
        Published(file: programTable, row: 11, target: "R5年度比増（R5：81.4%）", actual: "75.4%", baseline: "48.0%", printed: "92.6%"),
        Published(file: programTable, row: 12, target: "137団体", actual: "137団体", baseline: "130団体", printed: "100.0%"),
        Published(file: programTable, row: 12, target: "(R7年度制度開始予定)", actual: "—", baseline: "—", printed: "—"),
        Published(file: programTable, row: 13, target: "—", actual: "20.4%", baseline: "R6年度のアンケート結果をもって設定", printed: "—"),
        Published(file: programTable, row: 17, target: "50.0%", actual: "30.7%", baseline: "39.6%", printed: "61.4%"),
        // policy-pdca-sheet.txt
        Published(file: pdcaSheet, row: 8, target: "A (計画どおり)", actual: "A (計画どおり)", finalTarget: "A (毎年度)", printed: "—"),
        Published(file: pdcaSheet, row: 14, target: "A (計画どおり)", actual: "A (計画どおり)", finalTarget: "A (毎年度)", printed: "—"),
        Published(file: pdcaSheet, row: 17, target: "単年度目標設定なし", actual: "—", finalTarget: "A (R6年度)", printed: "—"),
        Published(file: pdcaSheet, row: 30, target: "A (計画ど おり)", actual: "A (計画ど おり)", finalTarget: "A (毎年 度)", printed: "—"),
        Published(file: pdcaSheet, row: 33, target: "単年度目標 設定なし", actual: "—", finalTarget: "A (R6年 度)", printed: "—"),
        Published(file: pdcaSheet, row: 11, target: "単年度目標設定なし", actual: "—", finalTarget: "A (R6年度)", printed: "—"),
        Published(file: pdcaSheet, row: 24, target: "5 本", actual: "5 本", finalTarget: "5本 (毎年 度)", printed: "100.0 %"),
        Published(file: pdcaSheet, row: 27, target: "6 件", actual: "5 件", finalTarget: "6件 (毎年 度)", printed: "83.3 %"),
        Published(file: pdcaSheet, row: 39, target: "54.0 %", actual: "59.9 %", baseline: "51.8% (H29年 度)", finalTarget: "62% (R6年 度)", printed: "110.9 %"),
        Published(file: pdcaSheet, row: 41, target: "単年度目標 設定なし", actual: "—", baseline: "79.7% (H26年 度)", finalTarget: "80%以 上 (R6年 度)", printed: "—"),
        Published(file: pdcaSheet, row: 48, target: "単年度目標 設定なし", actual: "—", baseline: "79.7% (H26年 度)", finalTarget: "80%以 上 (R6年 度)", printed: "—"),
        Published(file: pdcaSheet, row: 49, target: "54.0 %", actual: "59.9 %", baseline: "51.8% (H29年 度)", finalTarget: "62% (R6年 度)", printed: "110.9 %"),
        Published(file: pdcaSheet, row: 50, target: "100 人", actual: "362 人", baseline: "0人 (R1年)", finalTarget: "450人 (R3～R5 年)", printed: "362.0 %"),
        Published(file: pdcaSheet, row: 57, target: "10 件", actual: "10 件", baseline: "0件 (R2年度)", finalTarget: "累計60件 (R5年度)", printed: "100.0 %"),
        Published(file: pdcaSheet, row: 60, target: "2,700 人", actual: "2,961 人", baseline: "2,032人 (R1年度)", finalTarget: "登録者数計3,100人 (R5年度)", printed: "109.7 %"),
        Published(file: pdcaSheet, row: 63, target: "200 人", actual: "179 人", baseline: "149人 (R1年度)", finalTarget: "新規移住相談者数200人 (毎年度)", printed: "89.5 %"),
        Published(file: pdcaSheet, row: 66, target: "ユネスコへの報告書作成", actual: "ユネスコへの報告書作成", baseline: "現状把握のための調査継続", printed: "—"),
        Published(file: pdcaSheet, row: 69, target: "2 件", actual: "2 件", baseline: "2件 (R1年度)", finalTarget: "2件 (毎年度)", printed: "100.0 %"),
        Published(file: pdcaSheet, row: 74, target: "160人", actual: "0人", baseline: "64人", finalTarget: "120人 (R5年度)", printed: "0.0%"),
        Published(file: pdcaSheet, row: 75, target: "90.0%", actual: "83.1%", baseline: "79.3% (H25年度)", finalTarget: "90.0% (R6年度)", printed: "92.3%"),
        Published(file: pdcaSheet, row: 76, target: "90.0%", actual: "87.2%", baseline: "78.5% (H25年度)", finalTarget: "90.0% (R6年度)", printed: "96.9%"),
        Published(file: pdcaSheet, row: 83, target: "90.0 %", actual: "83.1 %", baseline: "79.3% (H25年 度)", finalTarget: "90.0% (R6年 度)", printed: "92.3 %"),
        Published(file: pdcaSheet, row: 86, target: "90.0 %", actual: "87.2 %", baseline: "78.5% (H25年 度)", finalTarget: "90.0% (R6年 度)", printed: "96.9 %"),
        Published(file: pdcaSheet, row: 89, target: "90.0 %", actual: "87.2 %", baseline: "78.5% (H25年 度)", finalTarget: "90.0% (R6年 度)", printed: "96.9 %"),
        Published(file: pdcaSheet, row: 92, target: "75.0 %", actual: "55.2 %", baseline: "56.7% (H25年 度)", finalTarget: "80.0% (R6年 度)", printed: "73.6 %"),
        Published(file: pdcaSheet, row: 95, target: "95.0 %", actual: "87.1 %", baseline: "83.2% (H23年 度)", finalTarget: "95.0% (R6年 度)", printed: "91.7 %"),
        Published(file: pdcaSheet, row: 101, target: "2,700 人", actual: "2,961 人", baseline: "2,032人 (R1年 度)", finalTarget: "登録者 数計 3,100人 (R5年 度", printed: "109.7 %"),
        // 寄附件数 (row 102) and 寄附金額 (row 103): the extraction printed their rates in the
        // opposite order, 161.4% on row 104 and 150.0% on row 105.
        Published(file: pdcaSheet, row: 105, target: "前年度比 (64,616 件) 増", actual: "96,953 件", baseline: "46件 (H24年 度)", finalTarget: "前年度比増", printed: "150.0 %"),
        Published(file: pdcaSheet, row: 104, target: "前年度比 (112,654万 円) 増", actual: "181,809 万 円", baseline: "約450万 円 (H24年 度)", finalTarget: "前年度比増", printed: "161.4 %"),
        // A rank against 10位以内: the sheet computes no rate.
        Published(file: pdcaSheet, row: 112, target: "10位以内", actual: "17 位", finalTarget: "10位以内 (毎年度)", printed: "—", decidedByPublishedRate: true),
        Published(file: pdcaSheet, row: 115, target: "10位以内", actual: "16 位", finalTarget: "10位以内 (毎年度)", printed: "—", decidedByPublishedRate: true),
        Published(file: pdcaSheet, row: 118, target: "—", actual: "—", finalTarget: "約20%削減 (R37年度)", printed: "—"),
        Published(file: pdcaSheet, row: 121, target: "ユネスコへの報告書作成", actual: "ユネスコへの報告書作成", printed: "—"),
        Published(file: pdcaSheet, row: 124, target: "2 件", actual: "2 件", finalTarget: "2件 (毎年度)", printed: "100.0 %"),
        Published(file: pdcaSheet, row: 129, target: "160 人", actual: "0 人", baseline: "64人", finalTarget: "120人 (R5年 度)", printed: "0.0 %"),
        Published(file: pdcaSheet, row: 130, target: "2 件", actual: "1 件", baseline: "4件 (H26年 度)", finalTarget: "2件以上 (毎年 度)", printed: "50.0 %"),
        // A five-year total baseline (24件 over H26–H30) against a yearly target: the final
        // target (19件 over R2–R6) is below it, yet the printed 175.0% is higher-is-better.
        Published(file: pdcaSheet, row: 131, target: "4 件", actual: "7 件", baseline: "24件 (H26～ H30年 度)", finalTarget: "19件 (R2～R6 年度)", printed: "175.0 %", decidedByPublishedRate: true),
        Published(file: pdcaSheet, row: 136, target: "330 人", actual: "300 人", baseline: "343人 (H26年 度)", finalTarget: "330人以上 (毎年 度)", printed: "90.9 %"),
        Published(file: pdcaSheet, row: 137, target: "50 人", actual: "19 人", baseline: "—", finalTarget: "50人 (毎年 度)", printed: "38.0 %"),
        Published(file: pdcaSheet, row: 138, target: "288 件", actual: "358 件", baseline: "—", finalTarget: "288件 (R5年 度)", printed: "124.3 %"),
        Published(file: pdcaSheet, row: 139, target: "15,000 件", actual: "7,386,517 件", baseline: "—", finalTarget: "1,500,0 00件 (R5年 度)", printed: "49,243.4 %"),
        Published(file: pdcaSheet, row: 144, target: "330 人", actual: "300 人", baseline: "343人 (H26年度)", finalTarget: "330人以上 (毎年度)", printed: "90.9 %"),
        Published(file: pdcaSheet, row: 145, target: "80 %", actual: "91.6 %", baseline: "—", finalTarget: "80% (R5年度)", printed: "114.5 %"),
        Published(file: pdcaSheet, row: 146, target: "54.0 %", actual: "59.9 %", baseline: "51.8% (H29年度)", finalTarget: "62% (R6年度)", printed: "110.9 %"),
        Published(file: pdcaSheet, row: 161, target: "40 事業", actual: "40 事業", baseline: "40事業", finalTarget: "40事業 (毎年度)", printed: "100.0 %"),
        // Rows 165 and 168 print the rates of rows 166 and 169 a second time, in column 21.
        Published(file: pdcaSheet, row: 165, target: "1 回", actual: "1 回", baseline: "1回 (H28年 度)", finalTarget: "1回 (毎年度)", printed: "100.0 %"),
        Published(file: pdcaSheet, row: 168, target: "1 回", actual: "2 回", baseline: "1回 (H28年 度)", finalTarget: "1回 (毎年度)", printed: "200.0 %"),
        Published(file: pdcaSheet, row: 166, target: "1 回", actual: "1 回", baseline: "1回 (H28年 度)", finalTarget: "1回 (毎年度)", printed: "100.0 %"),
        Published(file: pdcaSheet, row: 169, target: "1 回", actual: "2 回", baseline: "1回 (H28年 度)", finalTarget: "1回 (毎年度)", printed: "200.0 %"),
        // The last KPI's rate stands twice: in column 15 of its 実績 row and on its own row.
        Published(file: pdcaSheet, row: 171, target: "52 施設", actual: "52 施設", finalTarget: "52施設 (毎年度)", printed: "100.0 %"),
        Published(file: pdcaSheet, row: 172, target: "52 施設", actual: "52 施設", finalTarget: "52施設 (毎年度)", printed: "100.0 %"),
    ]

    /// The hand-listed texts are the document's: each printed rate stands in its row.
    @Test(arguments: published)
    func theListedRateIsInTheDocument(entry: Published) throws {
        let seed = try SeedFile(entry.file)
        let row = seed.rows[entry.row - 1].map(JapaneseText.compact)
        let printed = JapaneseText.compact(entry.printed)
        #expect(row.contains { $0 == printed || $0 == "達成率" + printed }, "\(entry)")
    }

    @Test(arguments: published)
    func reproducesThePublishedRate(entry: Published) {
        let target = Measure.parse(entry.target), actual = Measure.parse(entry.actual)
        let baseline = Measure.parse(entry.baseline), printed = Measure.parse(entry.printed)
        let evidence = DirectionInference.Evidence(baseline: baseline, targets: [target], finalTarget: Measure.parse(entry.finalTarget),
                                                   published: [(target, actual, printed)])
        let outcome = DirectionInference.infer(evidence)
        #expect(outcome.decidedByPublishedRate == entry.decidedByPublishedRate, "\(entry): direction \(outcome.direction)")
        let result = AchievementRate.compute(target: target, actual: actual, direction: outcome.direction, baseline: baseline)
        #expect(AchievementRate.format(result) == expectedText(entry.printed), "\(entry)")
    }

    /// Without the printed rate, the targets alone give the same direction wherever the
    /// sheet did not have to decide it.
    @Test(arguments: published.filter { !$0.decidedByPublishedRate })
    func targetsAloneGiveTheDirection(entry: Published) {
        let evidence = DirectionInference.Evidence(baseline: Measure.parse(entry.baseline), targets: [Measure.parse(entry.target)],
                                                   finalTarget: Measure.parse(entry.finalTarget))
        let direction = DirectionInference.infer(evidence).direction
        let result = AchievementRate.compute(target: Measure.parse(entry.target), actual: Measure.parse(entry.actual),
                                             direction: direction, baseline: Measure.parse(entry.baseline))
        #expect(AchievementRate.format(result) == expectedText(entry.printed), "\(entry)")
    }

    func expectedText(_ printed: String) -> String {
        let compact = JapaneseText.compact(printed)
        return compact == "—" ? "—" : compact
    }

    @Test func lowerIsBetterFormulas() throws {
        let target = Measure.parse("R5年比減"), actual = Measure.parse("6,482件"), baseline = Measure.parse("6,044件 (R5年)")
        let twoMinus = AchievementRate.compute(target: target, actual: actual, direction: .lowerIsBetter, formula: .twoMinusRatio, baseline: baseline)
        let inverse = AchievementRate.compute(target: target, actual: actual, direction: .lowerIsBetter, formula: .inverseRatio, baseline: baseline)
        #expect(try twoMinus.get() == Decimal(string: "92.8"))
        #expect(try inverse.get() == Decimal(string: "93.2"))
        #expect(LowerIsBetterFormula.default == .twoMinusRatio)
        // Meeting a lower target exactly is 100% in both formulas; beating it is over 100%.
        #expect(try AchievementRate.rate(target: 50, actual: 50, direction: .lowerIsBetter, formula: .inverseRatio).get() == 100)
        #expect(try AchievementRate.rate(target: 50, actual: 40, direction: .lowerIsBetter).get() == 120)
        #expect(try AchievementRate.rate(target: 50, actual: 40, direction: .lowerIsBetter, formula: .inverseRatio).get() == 125)
    }

    @Test func aRelativeTargetOfAnotherYearIsNotTheBaseline() {
        let target = Measure.parse("R5年比減"), baseline = Measure.parse("6,044件 (R4年)")
        #expect(AchievementRate.effectiveTarget(target, baseline: baseline) == nil)
        #expect(AchievementRate.effectiveTarget(Measure.parse("前年度比増"), previousActual: Measure.parse("96,953件")) == 96953)
    }

    @Test func roundsHalfUpToOneDecimalWithoutCap() throws {
        #expect(AchievementRate.round(Decimal(string: "92.75")!) == Decimal(string: "92.8")!)
        #expect(AchievementRate.round(Decimal(string: "92.749")!) == Decimal(string: "92.7")!)
        #expect(AchievementRate.round(Decimal(string: "0.05")!) == Decimal(string: "0.1")!)
        #expect(try AchievementRate.rate(target: 100, actual: 362, direction: .higherIsBetter).get() == 362)
        #expect(AchievementRate.format(Decimal(string: "49243.4")!) == "49,243.4%")
        #expect(AchievementRate.format(Decimal(0)) == "0.0%")
    }

    @Test func explainsMissingRates() {
        #expect(AchievementRate.compute(target: Measure.parse("10件"), actual: Measure.parse("5件"), direction: .qualitative) == .failure(.qualitative))
        #expect(AchievementRate.compute(target: Measure.parse("単年度目標設定なし"), actual: Measure.parse("5件"), direction: .higherIsBetter) == .failure(.noNumericTarget))
        #expect(AchievementRate.compute(target: Measure.parse("10件"), actual: Measure.parse("—"), direction: .higherIsBetter) == .failure(.noNumericActual))
        #expect(AchievementRate.compute(target: Measure.parse("0件"), actual: Measure.parse("5件"), direction: .higherIsBetter) == .failure(.zeroTarget))
    }

    @Test func infersDirectionFromWordsAndTrends() {
        func direction(_ targets: [String], baseline: String = "", final: String = "") -> IndicatorDirection {
            DirectionInference.infer(.init(baseline: Measure.parse(baseline), targets: targets.map(Measure.parse), finalTarget: Measure.parse(final))).direction
        }
        #expect(direction(["R5年比減"]) == .lowerIsBetter)
        #expect(direction(["100件以下"]) == .lowerIsBetter)
        #expect(direction(["待機時間30分短縮"]) == .lowerIsBetter)
        #expect(direction(["排出量1,000t抑制"]) == .lowerIsBetter)
        // A statement without a number cannot be rated, whatever its words.
        #expect(direction(["待機時間の短縮"]) == .qualitative)
        #expect(direction(["100件"], baseline: "150件", final: "80件") == .lowerIsBetter)
        #expect(direction(["300t", "280t", "250t"]) == .lowerIsBetter)
        #expect(direction(["250t", "280t", "300t"]) == .higherIsBetter)
        #expect(direction(["100件"], baseline: "50件", final: "200件") == .higherIsBetter)
        #expect(direction(["330人"], baseline: "343人", final: "330人以上") == .higherIsBetter)
        #expect(direction(["A (計画どおり)"]) == .qualitative)
        #expect(direction(["単年度目標設定なし"]) == .qualitative)
    }
}
