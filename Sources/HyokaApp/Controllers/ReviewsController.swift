import Fluent
import HyokaCore
import Plot
import Vapor

/// `/reviews`: the 予算事務事業の棚卸し: each reviewed program with the six viewpoints, the
/// result and the saving; totals by result and by department. Only programs the public can
/// see (published in some published cycle) are listed.
enum ReviewsController {
    static let viewpoints = [
        ("市民ニーズ", "Citizen needs"), ("社会経済情勢の変化", "Changed circumstances"), ("役割分担", "Division of roles"),
        ("費用対効果", "Cost-effectiveness"), ("手法・実施主体", "Method and provider"), ("類似事業", "Similar programs"),
    ]

    @Sendable static func index(req: Request) async throws -> Response {
        guard let scope = try await PortalScope.resolve(req) else { return try await HomeController.show(req: req) }
        let l = scope.language
        let catalog = req.catalog
        var visible: Set<UUID> = []
        for year in scope.years { visible.formUnion(try await catalog.publishedProgramIDs(scope.municipality, year: year)) }
        let reviews = visible.isEmpty ? [] : try await InventoryReview.query(on: req.db).filter(\.$program.$id ~~ Array(visible))
            .with(\.$program) { $0.with(\.$department) }.sort(\.$reviewRound, .descending).all()
        let layout = Layout(language: l, title: l("事務事業の棚卸し", "Inventory review") + " – \(scope.municipalityName)",
                            breadcrumbs: [(l("トップ", "Home"), SiteURL.home.link(scope.query + [("lang", l == .en ? "en" : nil)])), (l("事務事業の棚卸し", "Inventory review"), nil)],
                            scope: scope.query, currentQuery: scope.query, currentPath: SiteURL.reviews.path)
        let byResult = InventoryResult.allCases.map { result in
            (result, reviews.filter { $0.result == result.rawValue })
        }.filter { !$0.1.isEmpty }
        let byDepartment = Dictionary(grouping: reviews, by: { $0.program.department?.name ?? l("（担当課なし）", "(no department)") }).sorted { $0.key < $1.key }
        func saving(_ items: [InventoryReview]) -> String {
            items.compactMap(\.savingYen).map(Money.init(yen:)).reduce(.zero, +).thousandYenText
        }
        return layout.render(
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
                .table(
                    .tr(.th(.text(l("実施回", "Round"))), .th(.text(l("事業名", "Program"))),
                        .forEach(viewpoints.enumerated()) { index, viewpoint in .th(.text("\(index + 1). \(l(viewpoint.0, viewpoint.1))")) },
                        .th(.text(l("結果", "Result"))), .th(.class("num"), .text(l("削減額（千円）", "Saving (¥1,000)")))),
                    .forEach(reviews) { review in
                        let checked = Set(review.viewpoints.split(separator: ",").compactMap { Int($0) })
                        return .tr(.td(.text(review.reviewRound)),
                                   .td(.a(.href(SiteURL.program(review.program.id ?? UUID()).link(scope.query + [("lang", l == .en ? "en" : nil)])), .text(review.program.name))),
                                   .forEach(1...6) { index in .td(.text(checked.contains(index) ? l("該当", "Yes") : "")) },
                                   .td(.text(InventoryResult(rawValue: review.result).map { l($0.japanese, $0.english) } ?? review.result)),
                                   .td(.class("num"), .text(review.savingYen.map { Money(yen: $0).thousandYenText } ?? "—")))
                    }
                )
            ))
        )
    }
}
