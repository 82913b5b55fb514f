import Foundation
import HyokaCore
import Plot

extension ProgramShow {
    /// The sheet from its model: plain values in, HTML out, nothing read from a database.
    static func view(_ model: Model) -> (Layout, Node<HTML.BodyContext>) {
        let scope = model.scope, row = model.program, l = scope.language
        let indicators = model.kpis, budgets = model.money, evaluations = model.evaluations
        let findings = model.findings, corrections = model.corrections, planNodes = model.planNodes
        let languageQuery: [(String, String?)] = [("lang", l == .en ? "en" : nil)]
        // The footer says when this year was published; the sheet's own year links (only
        // the years this program is published in) stand in for the switcher.
        var sheetPlace = scope
        sheetPlace.municipalities = []
        sheetPlace.years = []
        let layout = Layout(language: l, title: "\(row.name) – \(scope.municipalityName) \(scope.yearLabel)",
                            breadcrumbs: [(l("トップ", "Home"), SiteURL.home.link(scope.query + languageQuery)),
                                          (l("事業をさがす", "Programs"), SiteURL.programs.link(scope.query + languageQuery)),
                                          (row.name, nil)],
                            scope: scope.query, currentQuery: scope.query, currentPath: SiteURL.program(row.id).path, bodyClass: "sheet-page print-scale-\(printScale(model))",
                            place: sheetPlace)
        func yearLabel(_ year: Int) -> String { l == .ja ? FiscalYear(year).japanese : "FY\(year)" }
        /// トータルコスト says what it stands on when it is not 決算額 + 人件費: ※1 on the
        /// 予算額 (no 決算額), ※2 without 人件費.
        func totalCostMark(_ line: Model.MoneyYear) -> String {
            guard line.totalCost != nil else { return "" }
            return (line.totalCostUsesBudget ? "※1" : "") + (line.personnelCost == nil ? "※2" : "")
        }
        // 財源内訳 of the years that state it: the five parts and their sum.
        let funded = budgets.filter { !$0.funding.isEmpty }
        let fundingTable: Node<HTML.BodyContext> = funded.isEmpty ? .empty : ScrollTable.node(label: l("財源内訳（千円）", "Funding (¥1,000)"), .table(
            .caption(.text(l("財源内訳（千円）", "Funding (¥1,000)"))),
            .tr(.th(.attribute(named: "scope", value: "col"), .text(l("年度", "Year"))),
                .group(FundingSources().parts.map { .th(.class("num"), .text(l($0.japanese, $0.english))) }),
                .th(.class("num"), .text(l("計", "Total")))),
            .forEach(funded) { line in
                .tr(.td(.text(yearLabel(line.year))),
                    .group(line.funding.parts.map { .td(.class("num"), .text($0.amount?.thousandYenText ?? "—")) }),
                    .td(.class("num"), .text(line.funding.total?.thousandYenText ?? "—")))
            }))
        // The money over the years as bars from zero, when two years or more state it.
        let moneyChart: Node<HTML.BodyContext> = budgets.filter({ $0.budget != nil || $0.settlement != nil }).count < 2 ? .empty
            : BarList.node(title: l("予算額・決算額の推移", "Budget and settlement over the years"), series: [BarList.budget, BarList.settlement],
                           bars: budgets.map { .init(label: yearLabel($0.year), values: [$0.budget, $0.settlement], cityText: false) }, l: l) ?? .empty
        let profile = model.profile
        /// A term and its text, or nothing when the sheet does not state it.
        func entry(_ term: String, _ text: String?) -> Node<HTML.DescriptionListContext> {
            guard let text, !text.isEmpty else { return .empty }
            return .group(.dt(.text(term)), .dd(l.cityText(text)))
        }
        let period: String? = {
            let years = [profile.startYear, profile.endYear].map { $0.map(yearLabel) }
            guard profile.periodKind != nil || years.contains(where: { $0 != nil }) else { return nil }
            let span = years.allSatisfy { $0 == nil } ? "" : "（\(years[0] ?? "")〜\(years[1] ?? "")）"
            return (profile.periodKind ?? "") + span
        }()
        // 目的 (対象・意図・結果) and 手段, when the municipality's sheets have them.
        let purposeSection: Node<HTML.BodyContext> = !profile.hasPurpose ? .empty : .section(.class("sheet-purpose"),
            .attribute(named: "aria-labelledby", value: "purpose"),
            .h2(.id("purpose"), .text(l("目的と手段", "Purpose and means"))),
            .dl(.class("sheet"),
                entry(l("対象（誰・何を）", "Target (who or what)"), profile.purposeTarget),
                entry(l("意図（どう変えるか）", "Intent (how it should change)"), profile.purposeIntent),
                entry(l("結果（上位への貢献）", "Result (contribution above)"), profile.purposeResult),
                entry(l("手段（前年度実績）", "Means (last year)"), profile.meansPreviousYear),
                entry(l("手段（今年度計画）", "Means (this year's plan)"), profile.meansThisYear)))
        let hasHours = budgets.contains { $0.workHours != nil || $0.staffCount != nil }
        /// An evaluation: grade, direction, texts, 期待成果 and the checklist of viewpoints.
        func evaluationNode(_ e: Model.Evaluation) -> Node<HTML.BodyContext> {
            let expected: Node<HTML.DescriptionListContext> = e.expectedOutcome == nil && e.expectedCost == nil ? .empty : .group(
                .dt(.text(l("期待成果", "Expected result"))),
                .dd(.text(l("成果: \(e.expectedOutcome ?? "—")、コスト: \(e.expectedCost ?? "—")", "Outcome: \(e.expectedOutcome ?? "—"), cost: \(e.expectedCost ?? "—")"))))
            let details: Node<HTML.BodyContext> = .dl(.class("sheet"),
                .dt(.text(l("評価", "Grade"))), .dd(.text(l.label(e.grade, on: .evaluation))),
                .dt(.text(l("方向性", "Direction"))), .dd(.text(l.label(e.direction, on: .direction))),
                .dt(.text(l("評価コメント", "Comment"))), .dd(.text(e.comment ?? "—")),
                .dt(.text(l("改善内容", "Improvement"))), .dd(.text(e.improvement ?? "—")),
                expected)
            let header: Node<HTML.TableContext> = .tr(.th(.attribute(named: "scope", value: "col"), .text(l("観点", "Viewpoint"))),
                                                      .th(.attribute(named: "scope", value: "col"), .text(l("判定", "Judgement"))),
                                                      .th(.attribute(named: "scope", value: "col"), .text(l("理由", "Reason"))))
            let rows: [Node<HTML.TableContext>] = e.viewpoints.map { v in
                .tr(.th(.attribute(named: "scope", value: "row"), l.cityText(v.viewpoint)), .td(.class("judgement"), l.cityText(v.judgement)), .td(l.cityText(v.reason ?? "—")))
            }
            let caption = l("評価の観点（\(yearLabel(e.year)) \(e.stageText)）", "Viewpoints (\(yearLabel(e.year)) \(e.stageText))")
            // The checklist of the sheet's own year; earlier years' are in the API and open data,
            // as a printed sheet holds one year's judgements.
            let checklist: Node<HTML.BodyContext> = e.viewpoints.isEmpty || e.year != scope.year ? .empty
                : ScrollTable.node(label: l("評価の観点", "Viewpoints"), .table(.caption(.text(caption)), header, .group(rows)))
            // Printed, a sheet holds its year's evaluations and the year before's, as a city's
            // printed sheet does; the screen shows every public year's.
            let printed = (scope.year - 1...scope.year).contains(e.year)
            return .div(.class(printed ? "evaluation" : "evaluation other-year"), .h3(.text("\(yearLabel(e.year)) \(e.stageText)")), details, checklist)
        }
        func nodeLink(_ node: Model.PlanNode) -> Node<HTML.BodyContext> {
            .a(.href(node.id.map { SiteURL.planNode($0).link(scope.query + languageQuery) } ?? SiteURL.plans.link(scope.query + languageQuery) + "#node-\(node.code)"),
               .text("\(node.code) \(node.title)"))
        }
        let content: Node<HTML.BodyContext> = .group(
            .div(.class("sheet-title"),
                .h1(l.cityText(row.name)),
                .p(.class("muted"), .text("\(scope.municipalityName) \(scope.yearLabel) " + l("事務事業評価シート", "program evaluation sheet"))),
                // On the printed sheet too, where the page's footer is not: when and from what.
                .p(.class("sheet-source muted"), .text(scope.provenance)),
                .p(.class("sheet-actions"),
                    .a(.href(SiteURL.programPDF(row.id).link(scope.query + languageQuery)), .text(l("PDF（A3横）で開く", "Open as PDF (A3 landscape)"))))
            ),
            Self.figures(row, funding: budgets.first { $0.year == row.budgetYear }?.funding, l: l),
            .if(!corrections.isEmpty, .section(.class("corrections"), .id("corrections"), .attribute(named: "aria-label", value: l("訂正", "Corrections")),
                .h2(.text(l("訂正", "Corrections"))),
                .ul(.forEach(corrections) { c in
                    .li(.text(l("\(StaffForm.today(c.date)) 訂正（\(FiscalYear(c.year).japanese)のシート）: ", "\(StaffForm.today(c.date)) corrected (FY\(c.year) sheet): ") + c.reason))
                }))),
            .section(.class("sheet-summary"), .attribute(named: "aria-label", value: l("事業の概要", "Summary")),
            .dl(.class("sheet"),
                .dt(.text(l("事務事業番号", "Program number"))), .dd(.text(row.number ?? "—")),
                .dt(.text(l("担当課", "Department"))), .dd(l.cityText(row.department ?? "—")),
                .dt(.text(l("事業概要", "Summary"))), .dd(l.cityText(row.summary ?? "—")),
                entry(l("事務事業区分", "Category"), profile.category),
                entry(l("事業期間", "Period"), period),
                entry(l("根拠法令", "Legal basis"), profile.legalBasis),
                .if(!profile.budgetAccounts.isEmpty, .group(.dt(.text(l("予算科目", "Budget accounts"))),
                    .dd(.ul(.class("inline"), .forEach(profile.budgetAccounts) { .li(.text($0)) })))),
                .dt(.text(l("施策", "Policy measures"))), .dd(planNodes.isEmpty ? .text("—") : .ul(.class("inline"), .forEach(planNodes) { .li(nodeLink($0)) })),
                .dt(.text("SDGs")), .dd(.text(row.sdgGoals.isEmpty ? "—" : row.sdgGoals.map { l("ゴール", "Goal ") + "\($0)" }.joined(separator: "、"))),
                .dt(.text(l("評価", "Grade"))), .dd(.text(l.label(row.grade, on: .evaluation) + (row.suggestedGrade.map { l("（達成率からの目安: \($0)）", " (suggested by the rates: \(l.label($0, on: .evaluation)))") } ?? ""))),
                .dt(.text(l("今後の方向性", "Direction"))), .dd(.text(row.direction == nil ? l("（記載なし）", "(not given)") : l.label(row.direction, on: .direction)))
            )),
            // The indicators and 目的と手段 together: the printed sheet's right column.
            .div(.class("sheet-right"), .section(.class("sheet-kpis"), .attribute(named: "aria-labelledby", value: "kpis"),
            .h2(.id("kpis"), .text(l("成果指標（KPI）", "Indicators (KPI)"))),
            .if(indicators.isEmpty, .p(.class("empty"), .text(l("成果指標はありません。", "No indicators.")))),
            .forEach(indicators) { indicator in
                let chart = TrendChart.svg(indicator.years.map { TrendChart.Point(year: $0.year, target: $0.targetNumber, actual: $0.actualNumber) },
                                           title: l("\(indicator.name)の目標と実績の推移", "Targets and actuals of \(indicator.name)"),
                                           yearLabel: yearLabel, id: "kpi-\(indicator.anchor)",
                                           legend: (l("目標", "Target"), l("実績", "Actual")),
                                           unit: indicator.unit.flatMap { $0.isEmpty ? nil : l("単位: \($0)", "Unit: \($0)") })
                return .div(.class("kpi"), ScrollTable.node(label: indicator.name, .table(
                    .caption(.text(indicator.name), .if(indicator.kind != .outcome, .span(.class("note"), .text(l("（\(indicator.kind.japanese)）", " (\(indicator.kind.english))"))))),
                    .tr(.th(.attribute(named: "scope", value: "row"), .text(l("基準値", "Baseline"))), .td(.attribute(named: "colspan", value: "3"), .text(indicator.baseline.nonEmpty ?? "—"),
                        .unwrap(indicator.baselineYear) { .span(.class("note"), .text(l("（基準年度: \(yearLabel($0))）", " (baseline year: \(yearLabel($0)))"))) })),
                    .tr(.th(.attribute(named: "scope", value: "row"), .text(l("中期目標", "Medium-term target"))), .td(.attribute(named: "colspan", value: "3"), .text(indicator.finalTarget.nonEmpty ?? "—"),
                        .unwrap(indicator.finalTargetYear) { .span(.class("note"), .text(l("（目標年度: \(yearLabel($0))）", " (target year: \(yearLabel($0)))"))) })),
                    .tr(.th(.attribute(named: "scope", value: "col"), .text(l("年度", "Year"))), .th(.attribute(named: "scope", value: "col"), .text(l("目標", "Target"))),
                        .th(.attribute(named: "scope", value: "col"), .text(l("実績", "Actual"))), .th(.attribute(named: "scope", value: "col"), .class("num"), .text(l("達成率", "Rate")))),
                    .forEach(indicator.years) { value in
                        .tr(.td(.text(yearLabel(value.year))), .td(.text(value.target.nonEmpty ?? "—")), .td(.text(value.actual.nonEmpty ?? "—")),
                            .td(.class("num"), .text(value.rate.map(AchievementRate.format) ?? "—")))
                    }
                )), .unwrap(chart) { .raw($0) })
            }),
            purposeSection),
            .section(.class("sheet-budget"), .attribute(named: "aria-labelledby", value: "budget"),
            .h2(.id("budget"), .text(l("事業費（千円）", "Cost (¥1,000)"))),
            .if(budgets.isEmpty, .p(.class("empty"), .text(l("事業費の記載はありません。", "No budget figures.")))),
            .if(!budgets.isEmpty, ScrollTable.node(label: l("事業費（千円）", "Cost (¥1,000)"), .table(
                .tr(.th(.attribute(named: "scope", value: "col"), .text(l("年度", "Year"))), .th(.class("num"), .text(l("予算額", "Budget"))), .th(.class("num"), .text(l("決算額", "Settlement"))),
                    .th(.class("num"), .text(l("人件費", "Personnel"))),
                    .if(hasHours, .group(.th(.class("num"), .text(l("従事人数", "Staff"))), .th(.class("num"), .text(l("延べ業務時間", "Hours"))))),
                    .th(.class("num"), .text(l("トータルコスト", "Total cost"))), .th(.text(l("増減", "Trend")))),
                .forEach(budgets) { line in
                    .tr(.td(.text(yearLabel(line.year) + (line.isPlanned ? l("（計画）", " (plan)") : ""))),
                        .td(.class("num"), .text(line.budget?.thousandYenText ?? "—")),
                        .td(.class("num"), .text(line.settlement?.thousandYenText ?? "—")),
                        .td(.class("num"), .text(line.personnelCost?.thousandYenText ?? "—")),
                        .if(hasHours, .group(.td(.class("num"), .text(line.staffCount ?? "—")), .td(.class("num"), .text(line.workHours ?? "—")))),
                        .td(.class("num"), .text((line.totalCost?.thousandYenText ?? "—") + totalCostMark(line))),
                        .td(.text(l.trend(line.trend))))
                }
            ))),
            .if(budgets.contains { totalCostMark($0) == "※1" || totalCostMark($0) == "※1※2" }, .p(.class("note"),
                .text(l("※1 決算額がないため、予算額で計算しています。", "*1 No settlement is published: computed from the budget.")))),
            .if(budgets.contains { totalCostMark($0).hasSuffix("※2") }, .p(.class("note"),
                .text(l("※2 人件費の記載がないため、事業費だけの額です。", "*2 No personnel cost is published: the program cost alone.")))),
            fundingTable,
            moneyChart),
            .section(.class("sheet-evaluations"), .attribute(named: "aria-labelledby", value: "evaluations"),
            .h2(.id("evaluations"), .text(l("評価と改善", "Evaluations and improvements"))),
            .if(evaluations.isEmpty, .p(.class("empty"), .text(l("評価の記載はありません。", "No evaluations.")))),
            .forEach(evaluations, evaluationNode)),
            .section(.class("sheet-findings"), .attribute(named: "aria-labelledby", value: "findings"),
                .h2(.id("findings"), .text(l("データの点検結果", "Consistency checks"))),
                .if(findings.isEmpty, .p(.class("muted"), .text(l("このシートに点検で見つかった事項はありません。", "The checks found nothing on this sheet.")))),
                .if(!findings.isEmpty, .ul(.forEach(findings) { finding in
                    .li(.strong(.text(l(finding.rule.japanese, finding.rule.english))), .text(" "),
                        .unwrap(finding.fiscalYear) { .text("（\(yearLabel($0))）") },
                        .text(l(finding.japanese, finding.english)))
                })),
                .p(.class("muted"), .text(l("点検はHyokaが公表データから自動で行うもので、誤りと決まったものではありません。",
                                           "Hyoka runs these checks on the published data; a finding is something to look at, not a proven error.")))
            ),
            .if(model.publishedYears.count > 1, .section(.class("sheet-years"),
                .h2(.text(l("他の年度", "Other fiscal years"))),
                .ul(.forEach(model.publishedYears.filter { $0 != scope.year }) { year in
                    .li(.a(.href(SiteURL.program(row.id).link([("m", scope.municipalityCode), ("year", String(year)), ("lang", l == .en ? "en" : nil)])),
                           .text(l == .ja ? FiscalYear(year).both : "FY\(year)")))
                })
            ))
        )
        return (layout, content)
    }

    /// The sheet at a glance, before the details: the grade, the mean rate, the year's 予算 and
    /// 決算 as a citizen reads them (約21.3億円) with the exact 千円 figure, and the change
    /// from the year before. Every figure is the read model's (the one derivation).
    static func figures(_ row: PublicCatalog.ProgramRow, funding: FundingSources? = nil, l: PortalLanguage) -> Node<HTML.BodyContext> {
        let year = row.budgetYear.map { l == .ja ? "（\(FiscalYear($0).japanese)）" : " (FY\($0))" } ?? ""
        func amount(_ money: Money?) -> Node<HTML.BodyContext> {
            guard let money else { return .div(.class("value"), .text("—")) }
            return .group(.div(.class("value"), .text(money.approximate(japanese: l == .ja))), .div(.class("exact"), .text(l.thousandYen(money))))
        }
        func card(_ label: String, _ value: Node<HTML.BodyContext>) -> Node<HTML.BodyContext> {
            .div(.class("card"), value, .div(.class("label"), .text(label)))
        }
        let rate = ProgramSearch.meanRate(row).map { AchievementRate.format(AchievementRate.round($0)) }
        let change: Node<HTML.BodyContext> = row.budgetChange.map { change in
            let sign = change.yen > 0 ? "+" : ""
            let percent = row.budgetChangePercent.map { " (\($0 > 0 ? "+" : "")\(NSDecimalNumber(decimal: $0).stringValue)%)" } ?? ""
            return .group(.div(.class("value"), .text(sign + change.approximate(japanese: l == .ja))),
                          .div(.class("exact"), .text(sign + l.thousandYen(change) + percent)))
        } ?? .div(.class("value"), .text("—"))
        return .section(.class("sheet-figures"), .attribute(named: "aria-label", value: l("主な数字", "Key figures")),
            .div(.class("cards"),
                card(l("評価", "Grade"), .div(.class("value"), .text(l.label(row.grade, on: .evaluation)))),
                card(l("達成率（指標の平均）", "Mean achievement rate"), .div(.class("value"), .text(rate ?? "—"))),
                card(l("予算額", "Budget") + year, amount(row.budget)),
                card(l("決算額", "Settlement") + year, amount(row.settlement)),
                card(l("前年度比", "Change from the year before"), change),
                .unwrap(funding.flatMap { $0.isEmpty ? nil : $0 }) { funding in
                    card(l("財源内訳", "Funding") + year, .group(
                        .div(.class("value"), .text(funding.generalShare.map { l("一般財源 \(NSDecimalNumber(decimal: $0).stringValue)%", "\(NSDecimalNumber(decimal: $0).stringValue)% general revenue") } ?? "—")),
                        .div(.class("exact"), .text(funding.parts.compactMap { part in part.amount.map { l(part.japanese, part.english) + " " + l.thousandYen($0) } }
                            .joined(separator: l("・", "; "))))))
                }
            ))
    }
}

extension String {
    /// nil for an empty string, for `?? "—"`.
    var nonEmpty: String? { isEmpty ? nil : self }

}
