import Foundation
import HyokaCore
import Plot

extension CollaborationIndex {
    static func view(_ model: Model) -> (Layout, Node<HTML.BodyContext>) {
        let scope = model.scope, l = scope.language, partner = model.partner
        let layout = Layout(language: l, title: l("連携中枢都市圏", "Regional collaboration") + " – \(scope.municipalityName)",
                            breadcrumbs: [(l("トップ", "Home"), SiteURL.home.link(scope.query + [("lang", l == .en ? "en" : nil)])), (l("連携中枢都市圏", "Regional collaboration"), nil)],
                            scope: scope.query, currentQuery: scope.query + [("partner", partner)], currentPath: SiteURL.collaboration.path, place: scope)
        var sections: [Node<HTML.BodyContext>] = []
        for region in model.regions {
            let members = region.members, projects = region.projects
            let partners = projects.flatMap(\.partners)
            let costs = projects.flatMap(\.costs)
            let involves = region.involves
            let shown = partner.map { name in projects.filter { involves($0, name) } } ?? projects
            let years = Array(Set(costs.map(\.fiscalYear))).sorted()
            /// nil when none of the projects states an amount for the year.
            func total(_ projects: [Model.Project], _ year: Int) -> Money? {
                let amounts = projects.flatMap(\.costs).filter { $0.fiscalYear == year }.compactMap(\.amountYen)
                return amounts.isEmpty ? nil : amounts.map(Money.init(yen:)).reduce(.zero, +)
            }
            let everyone = Array(Set([region.centralCity] + members + partners)).sorted()
            sections.append(.section(
                .h2(.text(region.name)),
                .p(.text(l("連携中枢都市: ", "Central city: ") + region.centralCity + l("　構成市町村: ", " · Members: ") + members.joined(separator: "、"))),
                .h3(.text(l("市町村ごとの参加事業数と、その事業の事業費の合計（千円）", "Projects per municipality and the total cost of those projects (¥1,000)"))),
                ScrollTable.node(label: l("市町村ごとの参加事業数", "Projects per municipality"), .table(
                    .tr(.th(.attribute(named: "scope", value: "col"), .text(l("市町村", "Municipality"))), .th(.class("num"), .text(l("事業数", "Projects"))),
                        .forEach(years) { .th(.class("num"), .text(l == .ja ? FiscalYear($0).shortJapanese : "FY\($0)")) }),
                    .forEach(everyone) { name in
                        let involved = projects.filter { involves($0, name) }
                        return .tr(.td(.a(.href(layout.link(.collaboration, [("partner", name)])), .text(name))),
                                   .td(.class("num"), .text("\(involved.count)")),
                                   .forEach(years) { .td(.class("num"), .text(total(involved, $0)?.thousandYenText ?? "—")) })
                    }
                )),
                .if(partner != nil, .p(.text(l("「\(partner ?? "")」が参加する事業: \(shown.count)件", "Projects with \(partner ?? ""): \(shown.count)")),
                                       .text(" "), .a(.href(layout.link(.collaboration)), .text(l("絞り込みを外す", "Show all"))))),
                .group(Dictionary(grouping: shown, by: \.policyField).sorted { $0.key < $1.key }.map { field, inField in
                    .group(
                        .h3(.text(field.isEmpty ? l("（政策分野の記載なし）", "(no policy field given)") : field)),
                        .group(Dictionary(grouping: inField, by: \.agreementCategory).sorted { $0.key < $1.key }.map { category, inCategory in
                            .group(.h4(.text(category.isEmpty ? l("（区分の記載なし）", "(no category given)") : l("連携協約: ", "Agreement: ") + category)),
                                   .forEach(inCategory) { project in card(project, l: l) })
                        })
                    )
                })
            ))
        }
        return (layout, .group(
            .h1(.text(l("連携中枢都市圏の連携事業", "Regional collaboration projects") + " – \(scope.municipalityName)")),
            .if(sections.isEmpty, .p(.class("empty"), .text(l("連携事業は登録されていません。", "No collaboration projects.")))),
            .group(sections)
        ))
    }

    static func card(_ p: CollaborationIndex.Model.Project, l: PortalLanguage) -> Node<HTML.BodyContext> {
        let partners = p.partners, costs = p.costs, roles = p.roles, kpis = p.kpis
        return .article(.class("card"),
            .h5(.text(p.name + (p.isRepost ? l("【再掲】", " (repeated)") : ""))),
            .dl(.class("sheet"),
                .dt(.text(l("事業内容", "Content"))), .dd(.text(p.content ?? "—")),
                .dt(.text(l("連携市町", "Partners"))), .dd(.text(p.allMembers ? l("全市町村", "All members") : (partners.isEmpty ? (p.partnersText ?? "—") : partners.joined(separator: "、")))),
                .dt(.text(l("効果", "Effects"))), .dd(.ul(.forEach((p.effects ?? "").split(separator: "\n").map(String.init)) { .li(.text($0)) })),
                .dt(.text(l("事業費（千円）", "Cost (¥1,000)"))), .dd(.text(costs.map { "\(l == .ja ? FiscalYear($0.fiscalYear).shortJapanese : "FY\($0.fiscalYear)"): \($0.amountRaw)\($0.note.map { "（\($0)）" } ?? "")" }.joined(separator: " / ").nonEmpty ?? "—")),
                .dt(.text(l("役割分担", "Roles"))), .dd(.ul(.forEach(roles) { .li(.strong(.text($0.party + ": ")), .text($0.role.replacingOccurrences(of: "\n", with: " / "))) })),
                .dt(.text(l("費用負担", "Cost sharing"))), .dd(.text((p.costSharing ?? "—").replacingOccurrences(of: "\n", with: " / "))),
                .dt(.text("KPI")), .dd(.ul(.forEach(kpis) { .li(.text("\($0.name): \($0.baseline.nonEmpty ?? "—") → \($0.finalTarget.nonEmpty ?? "—")")) }))
            )
        )
    }
}
