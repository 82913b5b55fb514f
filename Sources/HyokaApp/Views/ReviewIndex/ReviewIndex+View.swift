import Foundation
import HyokaCore
import Plot

extension ReviewIndex {
    static func view(_ model: Model) -> (Layout, Node<HTML.BodyContext>) {
        let scope = model.scope, l = scope.language, reviews = model.reviews
        let layout = Layout(language: l, title: l("事務事業の棚卸し", "Inventory review") + " – \(scope.municipalityName)",
                            breadcrumbs: [(l("トップ", "Home"), SiteURL.home.link(scope.query + [("lang", l == .en ? "en" : nil)])), (l("事務事業の棚卸し", "Inventory review"), nil)],
                            scope: scope.query, currentQuery: scope.query, currentPath: SiteURL.reviews.path, place: scope)
        let byResult = InventoryResult.allCases.map { result in
            (result, reviews.filter { $0.result == result.rawValue })
        }.filter { !$0.1.isEmpty }
        let byDepartment = Dictionary(grouping: reviews, by: { $0.department ?? l("（担当課なし）", "(no department)") }).sorted { $0.key < $1.key }
        func saving(_ items: [Model.Review]) -> String {
            items.compactMap(\.saving).reduce(.zero, +).thousandYenText
        }
        return (layout, .group(
            .h1(.text(l("予算事務事業の棚卸し", "Budget program inventory review") + " – \(scope.municipalityName)")),
            .if(reviews.isEmpty, .p(.class("empty"), .text(l("棚卸しの結果は登録されていません。", "No inventory review results.")))),
            .if(!reviews.isEmpty, .group(
                .h2(.text(l("結果別の集計", "Totals by result"))),
                .table(.tr(.th(.text(l("結果", "Result"))), .th(.class("num"), .text(l("事業数", "Programs"))), .th(.class("num"), .text(l("削減額（千円）", "Saving (¥1,000)")))),
                       .forEach(byResult) { result, items in
                           .tr(.td(.text(l(result.japanese, result.english))), .td(.class("num"), .text("\(items.count)")), .td(.class("num"), .text(saving(items))))
                       }),
                .h2(.text(l("担当課別の集計", "Totals by department"))),
                .table(.tr(.th(.text(l("担当課", "Department"))), .th(.class("num"), .text(l("事業数", "Programs"))), .th(.class("num"), .text(l("削減額（千円）", "Saving (¥1,000)")))),
                       .forEach(byDepartment) { department, items in
                           .tr(.td(.text(department)), .td(.class("num"), .text("\(items.count)")), .td(.class("num"), .text(saving(items))))
                       }),
                .h2(.text(l("事業ごとの結果", "Results by program"))),
                ScrollTable.node(label: l("事業ごとの結果", "Results by program"), .table(
                    .tr(.th(.text(l("実施回", "Round"))), .th(.text(l("事業名", "Program"))),
                        .forEach(ReviewsController.viewpoints.enumerated()) { index, viewpoint in .th(.text("\(index + 1). \(l(viewpoint.0, viewpoint.1))")) },
                        .th(.text(l("結果", "Result"))), .th(.class("num"), .text(l("削減額（千円）", "Saving (¥1,000)")))),
                    .forEach(reviews) { review in
                        .tr(.td(.text(review.round)),
                                   .td(.a(.href(SiteURL.program(review.programID).link(scope.query + [("lang", l == .en ? "en" : nil)])), .text(review.program))),
                                   .forEach(1...6) { index in .td(.text(review.viewpoints.contains(index) ? l("該当", "Yes") : "")) },
                                   .td(.text(InventoryResult(rawValue: review.result).map { l($0.japanese, $0.english) } ?? review.result)),
                                   .td(.class("num"), .text(review.saving?.thousandYenText ?? "—")))
                    }
                ))
            ))
        ))
    }
}
