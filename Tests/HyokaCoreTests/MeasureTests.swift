import Foundation
import Testing
@testable import HyokaCore

@Suite struct MeasureTests {
    @Test func parsesCountsWithUnits() {
        let m = Measure.parse("6,044件")
        #expect(m.kind == .number && m.value == 6044 && m.unit == "件" && m.raw == "6,044件")
        let fullWidth = Measure.parse("６，０４４件")
        #expect(fullWidth.value == 6044 && fullWidth.unit == "件" && fullWidth.raw == "６，０４４件")
    }

    @Test func appliesScales() {
        #expect(Measure.parse("177.4万人").value == 1_774_000)
        #expect(Measure.parse("177.4万人").unit == "人")
        #expect(Measure.parse("80,400百万円").value == 80_400_000_000)
        #expect(Measure.parse("22.8億円").value == 2_280_000_000)
        #expect(Measure.parse("22,8億円").value == 2_280_000_000)
        #expect(Measure.parse("3千人").value == 3000)
        #expect(Measure.parse("50.0%").value == 50 && Measure.parse("50.0%").unit == "%")
        #expect(Measure.parse("5本").value == 5 && Measure.parse("5本").unit == "本")
    }

    @Test func readsPdfExtractionNoise() {
        let split = Measure.parse("1,500,0 00件 (R5年 度)")
        #expect(split.value == 1_500_000 && split.unit == "件" && split.year == YearReference(year: 2023, unit: .fiscalYear))
        let spaced = Measure.parse("80%以 上 (R6年 度)")
        #expect(spaced.value == 80 && spaced.comparator == .atLeast && spaced.year?.year == 2024)
        #expect(Measure.parse("100.0 %").value == 100)
    }

    @Test func readsComparatorsAndYears() {
        let m = Measure.parse("80%以上 (R6年度)")
        #expect(m.kind == .number && m.value == 80 && m.unit == "%" && m.comparator == .atLeast)
        #expect(m.year == YearReference(year: 2024, unit: .fiscalYear))
        #expect(Measure.parse("10位以内").comparator == .atMost)
        #expect(Measure.parse("10位以内").unit == "位")
        let cut = Measure.parse("約20%削減 (R37年度)")
        #expect(cut.isApproximate && cut.value == 20 && cut.comparator == .decrease && cut.year?.year == 2055)
        #expect(Measure.parse("5件未満").comparator == .lessThan)
        #expect(Measure.parse("100人超").comparator == .moreThan)
    }

    @Test func readsPeriods() {
        let cumulative = Measure.parse("累計60件 (R5年度)")
        #expect(cumulative.value == 60 && cumulative.period == .cumulative && cumulative.year?.year == 2023)
        let yearly = Measure.parse("1回/年（令和8年度～令和12年度）")
        #expect(yearly.value == 1 && yearly.unit == "回" && yearly.period == .perYear)
        #expect(yearly.startYear == YearReference(year: 2026, unit: .fiscalYear))
        #expect(yearly.year == YearReference(year: 2030, unit: .fiscalYear))
        let monthly = Measure.parse("14,873人/月（R7.2月～R8.1月の月平均）")
        #expect(monthly.value == 14873 && monthly.unit == "人" && monthly.period == .perMonth)
        #expect(monthly.startYear == YearReference(year: 2025, unit: .calendarYear, month: 2))
        #expect(monthly.year == YearReference(year: 2026, unit: .calendarYear, month: 1))
        #expect(Measure.parse("5本 (毎年 度)").period == .everyYear)
        #expect(Measure.parse("年1回").period == .perYear)
        #expect(Measure.parse("年1回").value == 1)
        let until = Measure.parse("25件（令和12年度までの累計）")
        #expect(until.period == .cumulative && until.year?.year == 2030 && until.note == nil)
        let inherited = Measure.parse("5回（令和8～12年度までの累計）")
        #expect(inherited.startYear?.year == 2026 && inherited.year?.year == 2030)
        let range = Measure.parse("24件 (H26～ H30年 度)")
        #expect(range.startYear == YearReference(year: 2014, unit: .fiscalYear) && range.year?.year == 2018)
        let calendar = Measure.parse("450人 (R3～R5 年)")
        #expect(calendar.startYear?.unit == .calendarYear && calendar.year == YearReference(year: 2023, unit: .calendarYear))
    }

    @Test func keepsLabelsBeforeTheNumber() {
        let m = Measure.parse("登録者数計3,100人 (R5年度)")
        #expect(m.kind == .number && m.value == 3100 && m.label == "登録者数計")
        #expect(Measure.parse("検討会0回（令和7年度）").label == "検討会")
        #expect(Measure.parse("検討会0回（令和7年度）").value == 0)
        #expect(Measure.parse("約450万 円 (H24年 度)").isApproximate)
        #expect(Measure.parse("約450万 円 (H24年 度)").value == 4_500_000)
    }

    @Test func readsRelativeTargets() throws {
        let crime = Measure.parse("R5年比減")
        #expect(crime.kind == .relative && crime.comparator == .decrease)
        #expect(crime.reference?.year == YearReference(year: 2023, unit: .calendarYear))
        #expect(crime.reference?.value == nil)

        let survey = Measure.parse("R5年度比増（R5：81.4%）")
        #expect(survey.kind == .relative && survey.comparator == .increase)
        #expect(survey.reference?.year?.year == 2023 && survey.reference?.value == Decimal(string: "81.4") && survey.reference?.unit == "%")
        #expect(survey.numericValue == Decimal(string: "81.4"))

        let donations = Measure.parse("前年度比 (64,616 件) 増")
        #expect(donations.kind == .relative && donations.reference?.isPreviousYear == true && donations.reference?.value == 64616)
        let amount = Measure.parse("前年度比 (112,654万 円) 増")
        #expect(amount.reference?.value == 1_126_540_000)

        let plain = Measure.parse("前年度比増")
        #expect(plain.kind == .relative && plain.reference?.isPreviousYear == true && plain.reference?.value == nil)
        let members = Measure.parse("参加自治体の増")
        #expect(members.kind == .relative && members.comparator == .increase && members.label == "参加自治体")
        #expect(Measure.parse("R5年度比増（R5：81.4%）").label == nil)
    }

    @Test func readsNonNumericValues() {
        let grade = Measure.parse("A (計画どおり)")
        #expect(grade.kind == .grade && grade.grade == "A" && grade.note == "計画どおり")
        #expect(Measure.parse("A (毎年度)").period == .everyYear)
        #expect(Measure.parse("A (R6年度)").year?.year == 2024)
        #expect(Measure.parse("単年度目標設定なし").kind == .noTarget)
        #expect(Measure.parse("単年度目標 設定なし").kind == .noTarget)
        for dash in ["—", "-", "－", "―", "ー"] { #expect(Measure.parse(dash).kind == .dash, "\(dash)") }
        #expect(Measure.parse("").kind == .empty)
        #expect(Measure.parse("なし（令和7年度）").kind == .none)
        #expect(Measure.parse("なし（令和7年度）").year?.year == 2025)
        let text = Measure.parse("ユネスコへの報告書作成")
        #expect(text.kind == .text && text.value == nil && text.raw == "ユネスコへの報告書作成")
        let planned = Measure.parse("(R7年度制度開始予定)")
        #expect(planned.kind == .text && planned.year?.year == 2025 && planned.note == "制度開始予定")
        #expect(Measure.parse("R6年度のアンケート結果をもって設定").kind == .text)
        #expect(Measure.parse("6市10町").kind == .text)
    }

    @Test func doesNotTakeQuantitiesForYears() {
        #expect(Measure.parse("2000人").value == 2000)
        #expect(Measure.parse("2000人").year == nil)
        #expect(Measure.parse("2,961 人").value == 2961)
        #expect(Measure.parse("7,386,517 件").value == 7_386_517)
        #expect(Measure.parse("2023年度").kind == .text)
    }

    @Test func survivesCoding() throws {
        let m = Measure.parse("R5年度比増（R5：81.4%）")
        let data = try JSONEncoder().encode(m)
        #expect(try JSONDecoder().decode(Measure.self, from: data) == m)
    }
}

@Suite struct JapaneseTextTests {
    @Test func unwrapsTextBrokenByExtraction() {
        #expect(JapaneseText.unwrap("公立大学法人 北九州市立大 学運営事業") == "公立大学法人北九州市立大学運営事業")
        #expect(JapaneseText.unwrap("国際 政策 課") == "国際政策課")
        #expect(JapaneseText.unwrap("A (計画ど おり)") == "A (計画どおり)")
        #expect(JapaneseText.unwrap("KitaQ Fes  2024") == "KitaQ Fes 2024")
        #expect(JapaneseText.unwrap("  市民 センター  ") == "市民センター")
    }

    @Test func compactsAndTidies() {
        #expect(JapaneseText.compact("６，０４４ 件") == "6,044件")
        #expect(JapaneseText.tidy("  北九州市 \n 魅力  発信 ") == "北九州市 魅力 発信")
    }
}
