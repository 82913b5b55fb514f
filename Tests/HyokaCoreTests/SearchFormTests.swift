import HyokaCore
import Testing

/// The search form folds what a person types and what the city printed to one spelling.
@Suite struct SearchFormTests {
    @Test(arguments: [
        ("こども食堂", "子ども食堂支援事業"), ("子供", "子どもの居場所づくり"), ("障がい者", "障害者就労支援"), ("障碍", "障がい福祉"),
        ("取り組み", "地域の取組支援"), ("申し込み", "申込受付システム"), ("手続き", "各種手続オンライン化"),
        ("まち作り", "まちづくり推進事業"), ("インフォメーション", "インフォーメーションセンター"),
        ("ＤＸ", "dx推進"), ("かめら", "防犯カメラ運用事業"), ("ｶﾒﾗ", "防犯カメラ"),
    ])
    func aVariantFindsThePrintedSpelling(typed: String, printed: String) {
        #expect(JapaneseText.searchForm(printed).contains(JapaneseText.searchForm(typed)), "\(typed) → \(JapaneseText.searchForm(typed)) in \(JapaneseText.searchForm(printed))")
    }

    @Test func differentWordsStayDifferent() {
        #expect(!JapaneseText.searchForm("子育て").contains(JapaneseText.searchForm("こども")))
        #expect(JapaneseText.searchForm("防犯灯") != JapaneseText.searchForm("防犯等"))
        #expect(!JapaneseText.searchForm("障害物").isEmpty)
    }
}
