import Fluent
import HyokaCore
import Plot
import Vapor

/// `/programs/{id}`: the sheet of a program in PDCA form, from published years only.
enum ProgramSheet {
    static func render(_ row: PublicCatalog.ProgramRow, scope: PortalScope, req: Request) async throws -> Response {
        let (layout, content) = try await page(row, scope: scope, req: req)
        return layout.render(content)
    }

    /// The page as one self-contained HTML document (stylesheet inside), for the PDF.
    static func standaloneHTML(_ row: PublicCatalog.ProgramRow, scope: PortalScope, req: Request) async throws -> String {
        var (layout, content) = try await page(row, scope: scope, req: req)
        layout.inlineStylesheet = true
        return layout.html(content)
    }

    static func page(_ row: PublicCatalog.ProgramRow, scope: PortalScope, req: Request) async throws -> (Layout, Node<HTML.BodyContext>) {
        let l = scope.language
        let db = req.db
        // Years whose cycle is published and whose sheet for this program is published.
        let years = try await req.catalog.publishedYears(of: row.id, in: scope.municipality).filter(scope.years.contains)
        let shown = try await req.catalog.sheetYears(scope.municipality, year: scope.year)
        let indicators = try await Indicator.query(on: db).filter(\.$program.$id == row.id).sort(\.$sortOrder).all()
        let ids = indicators.compactMap(\.id)
        let values = ids.isEmpty ? [] : try await IndicatorValue.query(on: db).filter(\.$indicator.$id ~~ ids).filter(\.$fiscalYear ~~ shown).all()
        let budgets = try await BudgetLine.query(on: db).filter(\.$program.$id == row.id).filter(\.$fiscalYear ~~ shown).sort(\.$fiscalYear).all()
        let evaluations = try await Evaluation.query(on: db).filter(\.$program.$id == row.id).filter(\.$fiscalYear ~~ shown).sort(\.$fiscalYear).all()
        let links = try await PlanLink.query(on: db).filter(\.$program.$id == row.id).with(\.$planNode).all()
        // Derived when the sheet was published (`PublicReadModel`), by program and KPI id.
        let findings = try await PublicReadModel.findings(programID: row.id, years: shown, on: db)
        let rates = try await PublicReadModel.rates(programID: row.id, years: shown, on: db)
        // 訂正 after publication, of the years shown, newest first: the public sees what
        // changed since the figures were first published, when and why.
        let corrections = try await SheetCorrection.query(on: db)
            .join(SheetStatus.self, on: \SheetCorrection.$sheet.$id == \SheetStatus.$id)
            .join(Cycle.self, on: \SheetStatus.$cycle.$id == \Cycle.$id)
            .filter(SheetStatus.self, \.$program.$id == row.id)
            .filter(Cycle.self, \.$phase == CyclePhase.published.rawValue)
            .filter(Cycle.self, \.$fiscalYear ~~ years)
            .sort(\.$correctedAt, .descending).all()
            .map { (year: try $0.joined(Cycle.self).fiscalYear, date: $0.correctedAt, reason: $0.reason) }
        // The money of the years shown, through the one derivation (HyokaCore's
        // `ProgramFigures`), as the read model's list row was.
        let money = ProgramFigures(budgets: Dictionary(budgets.map { ($0.fiscalYear, $0.money) }, uniquingKeysWith: { a, _ in a }), kpis: [],
                                   thresholdPercent: scope.municipality.budgetTrendThreshold)
        let languageQuery: [(String, String?)] = [("lang", l == .en ? "en" : nil)]
        let layout = Layout(language: l, title: "\(row.name) – \(scope.yearLabel)",
                            breadcrumbs: [(l("トップ", "Home"), SiteURL.home.link(scope.query + languageQuery)),
                                          (l("事業をさがす", "Programs"), SiteURL.programs.link(scope.query + languageQuery)),
                                          (row.name, nil)],
                            scope: scope.query, currentQuery: scope.query, currentPath: SiteURL.program(row.id).path, bodyClass: "sheet-page")
        func yearLabel(_ year: Int) -> String { l == .ja ? FiscalYear(year).japanese : "FY\(year)" }
        func nodeLink(_ link: PlanLink) -> Node<HTML.BodyContext> {
            .a(.href(SiteURL.plans.link(scope.query + languageQuery) + "#node-\(link.planNode.code)"), .text("\(link.planNode.code) \(link.planNode.title)"))
        }
        let content: Node<HTML.BodyContext> = .group(
            .div(.class("sheet-title"),
                .h1(.text(row.name)),
                .p(.class("muted"), .text("\(scope.municipalityName) \(scope.yearLabel) " + l("事務事業評価シート", "program evaluation sheet"))),
                .p(.class("sheet-actions"),
                    .a(.href(SiteURL.programPDF(row.id).link(scope.query + languageQuery)), .text(l("PDF（A3横）で開く", "Open as PDF (A3 landscape)"))))
            ),
            .if(!corrections.isEmpty, .section(.class("corrections"), .id("corrections"), .attribute(named: "aria-label", value: l("訂正", "Corrections")),
                .h2(.text(l("訂正", "Corrections"))),
                .ul(.forEach(corrections) { c in
                    .li(.text(l("\(StaffForm.today(c.date)) 訂正（\(FiscalYear(c.year).japanese)のシート）: ", "\(StaffForm.today(c.date)) corrected (FY\(c.year) sheet): ") + c.reason))
                }))),
            .section(.class("sheet-summary"), .attribute(named: "aria-label", value: l("事業の概要", "Summary")),
            .dl(.class("sheet"),
                .dt(.text(l("事務事業番号", "Program number"))), .dd(.text(row.number ?? "—")),
                .dt(.text(l("担当課", "Department"))), .dd(.text(row.department ?? "—")),
                .dt(.text(l("事業概要", "Summary"))), .dd(.text(row.summary ?? "—")),
                .dt(.text(l("施策", "Policy measures"))), .dd(links.isEmpty ? .text("—") : .ul(.class("inline"), .forEach(links) { .li(nodeLink($0)) })),
                .dt(.text("SDGs")), .dd(.text(row.sdgGoals.isEmpty ? "—" : row.sdgGoals.map { l("ゴール", "Goal ") + "\($0)" }.joined(separator: "、"))),
                .dt(.text(l("評価", "Grade"))), .dd(.text((row.grade ?? "—") + (row.suggestedGrade.map { l("（達成率からの目安: \($0)）", " (suggested by the rates: \($0))") } ?? ""))),
                .dt(.text(l("今後の方向性", "Direction"))), .dd(.text(row.direction ?? l("（記載なし）", "(not given)")))
            )),
            .section(.class("sheet-kpis"), .attribute(named: "aria-labelledby", value: "kpis"),
            .h2(.id("kpis"), .text(l("成果指標（KPI）", "Indicators (KPI)"))),
            .if(indicators.isEmpty, .p(.class("empty"), .text(l("成果指標はありません。", "No indicators.")))),
            .forEach(indicators) { indicator in
                let own = values.filter { $0.$indicator.id == indicator.id }.sorted { $0.fiscalYear < $1.fiscalYear }
                // The numbers stored with each value when it was written, not parsed again.
                let chart = TrendChart.svg(own.map { TrendChart.Point(year: $0.fiscalYear, target: $0.targetValue.flatMap(Decimal.posix),
                                                                          actual: $0.actualValue.flatMap(Decimal.posix)) },
                                           title: l("\(indicator.name)の目標と実績の推移", "Targets and actuals of \(indicator.name)"),
                                           yearLabel: yearLabel, id: "kpi-\(indicator.id?.uuidString.prefix(8) ?? "x")",
                                           legend: (l("目標", "Target"), l("実績", "Actual")))
                return .div(.class("kpi"), .table(
                    .caption(.text(indicator.name)),
                    .tr(.th(.attribute(named: "scope", value: "row"), .text(l("基準値", "Baseline"))), .td(.attribute(named: "colspan", value: "3"), .text(indicator.baselineRaw.nonEmpty ?? "—"))),
                    .tr(.th(.attribute(named: "scope", value: "row"), .text(l("中期目標", "Final target"))), .td(.attribute(named: "colspan", value: "3"), .text(indicator.finalTargetRaw.nonEmpty ?? "—"))),
                    .tr(.th(.attribute(named: "scope", value: "col"), .text(l("年度", "Year"))), .th(.attribute(named: "scope", value: "col"), .text(l("目標", "Target"))),
                        .th(.attribute(named: "scope", value: "col"), .text(l("実績", "Actual"))), .th(.attribute(named: "scope", value: "col"), .class("num"), .text(l("達成率", "Rate")))),
                    .forEach(own) { value in
                        let rate = indicator.id.flatMap { rates[$0]?[value.fiscalYear] }
                        return .tr(.td(.text(yearLabel(value.fiscalYear))), .td(.text(value.targetRaw.nonEmpty ?? "—")), .td(.text(value.actualRaw.nonEmpty ?? "—")),
                                   .td(.class("num"), .text(rate.map(AchievementRate.format) ?? "—")))
                    }
                ), .unwrap(chart) { .raw($0) })
            }),
            .section(.class("sheet-budget"), .attribute(named: "aria-labelledby", value: "budget"),
            .h2(.id("budget"), .text(l("事業費（千円）", "Cost (¥1,000)"))),
            .if(budgets.isEmpty, .p(.class("empty"), .text(l("事業費の記載はありません。", "No budget figures.")))),
            .if(!budgets.isEmpty, .table(
                .tr(.th(.attribute(named: "scope", value: "col"), .text(l("年度", "Year"))), .th(.class("num"), .text(l("予算額", "Budget"))), .th(.class("num"), .text(l("決算額", "Settlement"))),
                    .th(.class("num"), .text(l("人件費", "Personnel"))), .th(.class("num"), .text(l("トータルコスト", "Total cost"))), .th(.text(l("増減", "Trend")))),
                .forEach(budgets) { line in
                    let cost = money.totalCost(in: line.fiscalYear)
                    let trend = money.trend(in: line.fiscalYear)
                    return .tr(.td(.text(yearLabel(line.fiscalYear))),
                               .td(.class("num"), .text(line.budgetYen.map { Money(yen: $0).thousandYenText } ?? "—")),
                               .td(.class("num"), .text(line.settlementYen.map { Money(yen: $0).thousandYenText } ?? "—")),
                               .td(.class("num"), .text(line.personnelCostYen.map { Money(yen: $0).thousandYenText } ?? "—")),
                               .td(.class("num"), .text(cost?.thousandYenText ?? "—")),
                               .td(.text(trend?.japanese ?? "—")))
                }
            ))),
            .section(.class("sheet-evaluations"), .attribute(named: "aria-labelledby", value: "evaluations"),
            .h2(.id("evaluations"), .text(l("評価と改善", "Evaluations and improvements"))),
            .if(evaluations.isEmpty, .p(.class("empty"), .text(l("評価の記載はありません。", "No evaluations.")))),
            .forEach(evaluations) { e in
                .div(.h3(.text("\(yearLabel(e.fiscalYear)) \((EvaluationStage(rawValue: e.stage)).map { l($0.japanese, $0.english) } ?? e.stage)")),
                     .dl(.class("sheet"),
                         .dt(.text(l("評価", "Grade"))), .dd(.text(e.grade ?? "—")),
                         .dt(.text(l("方向性", "Direction"))), .dd(.text(e.direction ?? "—")),
                         .dt(.text(l("評価コメント", "Comment"))), .dd(.text(e.comment ?? "—")),
                         .dt(.text(l("改善内容", "Improvement"))), .dd(.text(e.improvement ?? "—"))))
            }),
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
            .if(years.count > 1, .section(.class("sheet-years"),
                .h2(.text(l("他の年度", "Other fiscal years"))),
                .ul(.forEach(years.filter { $0 != scope.year }) { year in
                    .li(.a(.href(SiteURL.program(row.id).link([("m", scope.municipality.code), ("year", String(year)), ("lang", l == .en ? "en" : nil)])),
                           .text(l == .ja ? FiscalYear(year).both : "FY\(year)")))
                })
            ))
        )
        return (layout, content)
    }
}

extension String {
    /// nil for an empty string, for `?? "—"`.
    var nonEmpty: String? { isEmpty ? nil : self }
}

extension Decimal {
    /// A number as stored in a text column (`1234.5`), whatever the server's locale.
    static func posix(_ text: String) -> Decimal? {
        Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }
}
