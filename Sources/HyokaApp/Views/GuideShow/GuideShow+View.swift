import Foundation
import HyokaCore
import Plot

extension GuideShow {
    static func view(_ model: Model, language l: PortalLanguage) -> (Layout, Node<HTML.BodyContext>) {
        let scope = model.scope
        let layout = Layout(language: l, title: l("評価の見方", "How to read the figures"),
                            breadcrumbs: [(l("トップ", "Home"), SiteURL.home.link((scope?.query ?? []) + [("lang", l == .en ? "en" : nil)])),
                                          (l("評価の見方", "How to read the figures"), nil)],
                            scope: scope?.query ?? [], currentQuery: scope?.query ?? [], currentPath: SiteURL.guide.path, place: scope)
        let threshold = NSDecimalNumber(decimal: model.thresholdPercent).stringValue
        let whose = scope.map { l("\($0.municipalityName)の設定", "\($0.municipalityName)'s setting") } ?? l("既定の設定", "the default setting")
        func percent(_ value: Decimal?) -> String { value.map { NSDecimalNumber(decimal: $0).stringValue + "%" } ?? "" }
        func gradeRows(_ scale: GradeScale) -> Node<HTML.TableContext> {
            let grades = scale.grades
            return .forEach(grades.enumerated()) { index, grade in
                // The band of rates a grade stands for: from its minimum up to the next one's.
                let upper = grades[..<index].last(where: { $0.minimumRate != nil })?.minimumRate
                let band: String = switch (grade.minimumRate, upper) {
                case let (low?, high?): l("\(percent(low))以上 \(percent(high))未満", "\(percent(low)) to under \(percent(high))")
                case let (low?, nil): l(grade.includesMinimum ? "\(percent(low))以上" : "\(percent(low))超", grade.includesMinimum ? "\(percent(low)) or more" : "over \(percent(low))")
                default: l("達成率によらない", "not by the rate")
                }
                return .tr(.td(.text(grade.label)), .td(.text(grade.english)), .td(.text(band)))
            }
        }
        let formulas: [(LowerIsBetterFormula, String, String)] = [
            (.twoMinusRatio, "（2 − 実績 ÷ 目標）× 100", "(2 − actual ÷ target) × 100"),
            (.inverseRatio, "目標 ÷ 実績 × 100", "target ÷ actual × 100"),
        ]
        return (layout, .group(
            .h1(.text(l("評価の見方", "How to read the figures"))),
            .p(.text(l("このポータルの数字は、市が公表した目標・実績・予算・決算から Hyoka が計算したものです。計算の決まりを説明します。",
                       "The figures on this portal are computed by Hyoka from the targets, actuals, budgets and settlements the city published. These are the rules."))),
            .h2(.id("rate"), .text(l("達成率", "Achievement rate (達成率)"))),
            .p(.text(l("目標に対する実績の割合です。値が大きいほど良い指標では「実績 ÷ 目標 × 100」。小数第1位まで四捨五入し、100%を超えても上限はありません。",
                       "How far the actual reached the target. For an indicator where more is better: actual ÷ target × 100, rounded half up to one decimal, with no upper limit."))),
            .p(.text(l("値が小さいほど良い指標（件数を減らす目標など）には、二つの式があります。\(whose)は「\(formulas.first { $0.0 == model.formula }?.1 ?? "")」です。",
                       "For an indicator where less is better (fewer incidents), there are two formulas; \(whose) is \(formulas.first { $0.0 == model.formula }?.2 ?? "")."))),
            ScrollTable.node(label: l("値が小さいほど良い指標の式", "Formulas where less is better"), .table(
                .tr(.th(.text(l("式", "Formula"))), .th(.text(l("目標100件・実績80件のとき", "Target 100, actual 80")))),
                .forEach(formulas) { formula, japanese, english in
                    // The example is computed by the same rule as every rate, not typed in.
                    let example = AchievementRate.format(AchievementRate.rate(target: 100, actual: 80, direction: .lowerIsBetter, formula: formula))
                    return .tr(.td(.text(l(japanese, english) + (formula == model.formula ? l("（この団体）", " (this municipality)") : ""))), .td(.text(example)))
                })),
            .p(.text(l("目標や実績が数値でない（定性的な）指標、目標が0の指標などには達成率を出さず「—」と表示します。",
                       "An indicator whose target or actual is not a number (qualitative), or whose target is zero, gets no rate: shown as —."))),
            .h2(.id("grade"), .text(l("評価（達成率からの目安）", "Grades (and the grade the rates suggest)"))),
            .p(.text(l("評価は各課が記入したものです。シートに添える「達成率からの目安」は、その年度の指標の達成率の平均を次の区分に当てはめたものです。",
                       "Grades are written by each section. The grade the rates suggest, shown beside it, places the mean of the year's rates in these bands."))),
            ScrollTable.node(label: l("評価の区分", "Grade bands"), .table(
                .tr(.th(.text(l("評価", "Grade"))), .th(.text("English")), .th(.text(l("達成率の平均", "Mean rate")))),
                gradeRows(.evaluation))),
            .h2(.id("trend"), .text(l("事業費の増減", "Budget trend (増減)"))),
            .p(.text(l("前年度の予算額と比べて、\(threshold)%を超えて増えたものを「増額」、\(threshold)%を超えて減ったものを「減額」、その間を「現状維持」とします（\(whose)）。増減額・増減率も前年度の予算額との差です。",
                       "Against the year before's budget: over \(threshold)% more is an increase, over \(threshold)% less a decrease, anything between is maintained (\(whose)). The change in yen and percent is against the year before's budget too."))),
            .h2(.id("cost"), .text(l("トータルコスト", "Total cost"))),
            .p(.text(l("事業費と人件費の合計です。事業費は決算額を使い、決算がまだ公表されていない年度は予算額を使います（シートでは※1を付けます）。人件費の記載がない年度は事業費だけの額です（※2）。",
                       "The program's cost plus its personnel cost. The cost is the settlement, or the budget for a year whose settlement is not published yet (marked *1 on the sheet); a year without a personnel cost is the program cost alone (*2)."))),
            .h2(.id("unknown"), .text(l("「—」の意味", "What — means"))),
            .p(.text(l("公表されていない値は0ではなく「—」です。合計は値のある事業だけを足し、すべての事業にないときは何事業分かを添えます。",
                       "A value that was not published is not zero: it is shown as —. A total adds the programs that state the value, and says how many they are when not all do.")))
        ))
    }
}
