import Foundation
import HyokaCore

/// Reads a 連携中枢都市圏 collaboration plan: policy-field headings (`## (2) …`), 連携協約
/// category headings (`【連携協約】` then `f 災害対策`, on the same row or the next), and cards
/// of labelled rows: 事業名 (with 【再掲】), 事業内容 (with 連携市町 in the last cell), 効果,
/// 事業費 (a row of years R8…R12 and 備考, then a row of amounts in 千円), 役割分担 (one row
/// per party), 費用負担（基本方針）, and a KPI header followed by KPI rows (指標, 現状値, 目標値).
/// Columns are found per card from its own header rows, since extraction shifts them.
public enum CollaborationPlanReader {
    static let categoryPattern = try! NSRegularExpression(pattern: "^[a-z]\\s*[\\s　]\\S")

    public static func detect(_ table: DelimitedText) -> Bool {
        let labels = table.rows.compactMap { $0.first?.trimmingCharacters(in: .whitespaces) }
        return labels.contains("事業名") && labels.contains("役割分担")
    }

    struct Card {
        var project: CollaborationProjectRecord
        var line: Int
        var costs: [CollaborationCostRecord] = []
        var roles: [CollaborationRoleRecord] = []
        var kpis: [(name: String, baseline: String, target: String, line: Int)] = []
    }

    enum Section { case none, cost([Int: Int], Int?), role, kpi([Int]) }

    public static func read(_ table: DelimitedText, options: ReadOptions) -> ReadResult {
        var result = ReadResult()
        let file = table.file
        guard let municipality = PublishedDocument.municipality(options, into: &result, file: file) else { return result }
        // The region is named after its central city: the municipality's registry name.
        let centralCity = MunicipalityRegistry.entry(municipality)?.name ?? municipality
        let regionName = "\(centralCity)連携中枢都市圏"
        result.notes.append("\(file): 圏域名が文書にないため「\(regionName)」としました (the plan does not name its region: \(regionName))")

        var policyField = ""
        var category = ""
        var awaitingCategory = false
        var cards: [Card] = []
        var section = Section.none
        var withoutPolicyField = 0
        /// Partners named as outside the region (`（圏域外：下関市、長門市）`): not members.
        var outsideRegion: Set<String> = []

        func warn(_ line: Int, _ column: Int?, _ ja: String, _ en: String) {
            result.issues.append(.warning(at: SourceLocation(file: file, line: line, column: column), ja, en))
        }

        for (index, row) in table.rows.enumerated() {
            let line = index + 1
            // `-------` rows are Markdown table rules left by extraction; a lone `-` is a value.
            let cells = PublishedDocument.cells(row).filter { !($0.text.count >= 3 && $0.text.allSatisfy { $0 == "-" }) }
            guard let first = cells.first else { continue }

            // Headings.
            if first.text.hasPrefix("#") || (cells.count == 1 && first.text.range(of: "^\\([0-9０-９]+\\)", options: .regularExpression) != nil) {
                policyField = first.text.trimmingCharacters(in: CharacterSet(charactersIn: "# ")).trimmingCharacters(in: .whitespaces)
                section = .none
                continue
            }
            if let marker = cells.firstIndex(where: { $0.text.contains("【連携協約】") }) {
                let rest = cells[marker].text.replacingOccurrences(of: "【連携協約】", with: "").trimmingCharacters(in: .whitespaces)
                let candidates = [rest] + cells[(marker + 1)...].map(\.text)
                if let heading = candidates.first(where: isCategory) {
                    category = PublishedDocument.collapse(heading)
                    awaitingCategory = false
                } else {
                    awaitingCategory = true
                }
                section = .none
                continue
            }
            if awaitingCategory, let heading = cells.first(where: { isCategory($0.text) }) {
                category = PublishedDocument.collapse(heading.text)
                awaitingCategory = false
                continue
            }

            let label = first.column == 1 ? JapaneseText.compact(first.text) : ""
            let values = label.isEmpty ? cells : Array(cells.dropFirst())
            if label == "事業名" {
                var name = values.first { $0.text != "連携市町" }.map { JapaneseText.unwrap($0.text) } ?? ""
                let isRepost = name.contains("【再掲】")
                name = name.replacingOccurrences(of: "【再掲】", with: "").trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else {
                    result.issues.append(.error(at: SourceLocation(file: file, line: line), "事業名が空です", "a card without 事業名"))
                    continue
                }
                if policyField.isEmpty { withoutPolicyField += 1 }
                if category.isEmpty {
                    warn(line, nil, "「\(name)」に連携協約の区分の見出しがありません", "\(name) stands under no 連携協約 category")
                }
                var project = CollaborationProjectRecord(municipalityCode: municipality, region: regionName, policyField: policyField,
                                                         agreementCategory: category, name: name)
                project.isRepost = isRepost
                cards.append(Card(project: project, line: line))
                section = .none
                continue
            }
            guard !cards.isEmpty else {
                warn(line, first.column, "最初の事業名より前の「\(first.text.prefix(20))」は置き場所が分からないため取り込みませんでした",
                     "a cell before the first card could not be placed")
                continue
            }
            let card = cards.count - 1
            switch label {
            case "事業内容":
                cards[card].project.content = values.first.map { PublishedDocument.text($0.text) }
                if values.count >= 2, let partners = values.last {
                    let text = PublishedDocument.collapse(partners.text)
                    cards[card].project.partnersText = text
                    if text.contains("全市町") {
                        cards[card].project.allMembers = true
                    } else {
                        let (inRegion, outside) = partnerNames(text)
                        cards[card].project.partners = inRegion + outside
                        outsideRegion.formUnion(outside)
                    }
                } else {
                    warn(line, nil, "「\(cards[card].project.name)」の連携市町が文書にありません", "\(cards[card].project.name): no 連携市町 given")
                }
            case "効果":
                cards[card].project.effects = values.flatMap { PublishedDocument.lines($0.text) }
            case _ where label.hasPrefix("事業費"):
                var years: [Int: Int] = [:]
                var noteColumn: Int?
                for cell in values {
                    if let year = YearReference.parse(cell.text)?.year { years[cell.column] = year }
                    if JapaneseText.compact(cell.text) == "備考" { noteColumn = cell.column }
                }
                if years.isEmpty { warn(line, nil, "事業費の年度（R8 など）が見つかりません", "the cost header names no fiscal years") }
                section = .cost(years, noteColumn)
            case "役割分担":
                addRole(values, to: &cards[card], line: line, warn: warn)
                section = .role
            case _ where label.hasPrefix("費用負担"):
                cards[card].project.costSharing = values.flatMap { PublishedDocument.lines($0.text) }
                section = .none
            case _ where label.contains("KPI") || label.contains("重要業績評価"):
                section = .kpi(values.map(\.column))
            case "":
                switch section {
                case let .cost(years, noteColumn):
                    for cell in cells {
                        if let year = years[cell.column] {
                            cards[card].costs.append(CollaborationCostRecord(
                                municipalityCode: municipality, region: regionName, agreementCategory: cards[card].project.agreementCategory,
                                project: cards[card].project.name, fiscalYear: year, amountRaw: cell.text))
                        } else if cell.column == noteColumn, let lastIndex = cards[card].costs.indices.last {
                            cards[card].costs[lastIndex].note = PublishedDocument.text(cell.text)
                        } else {
                            warn(line, cell.column, "事業費の「\(cell.text)」はどの年度か分からないため取り込みませんでした", "a cost under no year was not imported")
                        }
                    }
                    section = .none
                case .role:
                    addRole(cells, to: &cards[card], line: line, warn: warn)
                case let .kpi(columns):
                    // 指標, 現状値, 目標値 by the header's columns; else in order.
                    func cell(at position: Int) -> String {
                        if position < columns.count, let match = cells.first(where: { $0.column == columns[position] }) { return match.text }
                        return position < cells.count && columns.count != 3 ? cells[position].text : ""
                    }
                    let kpi = (name: JapaneseText.unwrap(cell(at: 0)), baseline: PublishedDocument.collapse(cell(at: 1)),
                               target: PublishedDocument.collapse(cell(at: 2)), line: line)
                    let placed = Set(columns.prefix(3))
                    for stray in cells where !placed.contains(stray.column) {
                        warn(line, stray.column, "KPI 欄の「\(stray.text.prefix(20))」は置き場所が分からないため取り込みませんでした",
                             "a cell in the KPI rows could not be placed")
                    }
                    if kpi.name.isEmpty {
                        warn(line, nil, "KPI の指標名が空です", "a KPI without a name")
                    } else {
                        cards[card].kpis.append(kpi)
                    }
                case .none:
                    warn(line, first.column, "「\(first.text.prefix(20))」は置き場所が分からないため取り込みませんでした", "a cell could not be placed")
                }
            default:
                warn(line, 1, "「\(first.text.prefix(20))」は知らない見出しのため取り込みませんでした", "an unknown row label was skipped")
            }
        }

        if withoutPolicyField > 0 {
            result.issues.append(.warning(at: SourceLocation(file: file), "政策分野の見出しより前に \(withoutPolicyField) 件の事業があります（政策分野は空のまま取り込みます）",
                                          "\(withoutPolicyField) cards stand before any policy-field heading; their policy field is left empty"))
        }
        if cards.isEmpty {
            result.issues.append(.error(at: SourceLocation(file: file), "事業（事業名）が1つもありません", "no cards (事業名) found"))
            return result
        }

        var d = Dataset()
        var region = RegionRecord(municipalityCode: municipality, name: regionName, centralCity: centralCity)
        var members: [String] = [centralCity]
        var seen: Set<String> = []
        for card in cards {
            let key = card.project.agreementCategory + "\u{1F}" + card.project.name
            if seen.contains(key) {
                result.issues.append(.warning(at: SourceLocation(file: file, line: card.line), "「\(card.project.name)」が同じ区分に2回あります。後の方で上書きします",
                                              "\(card.project.name) appears twice in one category; the later card wins"))
                d.collaborationProjects.removeAll { $0.agreementCategory + "\u{1F}" + $0.name == key }
            }
            seen.insert(key)
            for partner in card.project.partners where !members.contains(partner) && !outsideRegion.contains(partner) { members.append(partner) }
            d.collaborationProjects.append(card.project)
            d.collaborationCosts += card.costs
            d.collaborationRoles += card.roles
            let owner = IndicatorOwner.collaborationProject(region: regionName, category: card.project.agreementCategory, name: card.project.name)
            for kpi in card.kpis where !d.indicators.contains(where: { $0.owner == owner && $0.name == kpi.name }) {
                let (direction, source) = PublishedDocument.direction(baseline: kpi.baseline, targets: [], finalTarget: kpi.target, published: [])
                var indicator = IndicatorRecord(municipalityCode: municipality, owner: owner, name: kpi.name, direction: direction, directionSource: source)
                indicator.baselineRaw = kpi.baseline
                indicator.finalTargetRaw = kpi.target
                indicator.unit = Measure.parse(kpi.target).unit ?? Measure.parse(kpi.baseline).unit
                d.indicators.append(indicator)
            }
        }
        region.members = members
        d.regions.append(region)
        result.dataset.merge(d)
        return result
    }

    /// `直方市、上毛町（圏域外：下関市、長門市）` → ([直方市, 上毛町], [下関市, 長門市]): names are
    /// split at separators outside parentheses; a parenthesis names partners from outside.
    static func partnerNames(_ text: String) -> (inRegion: [String], outside: [String]) {
        var items: [String] = []
        var current = ""
        var depth = 0
        for c in text {
            if "(（".contains(c) { depth += 1 }
            if ")）".contains(c) { depth = max(0, depth - 1) }
            if depth == 0, "、,，・ 　".contains(c) {
                if !current.isEmpty { items.append(current) }
                current = ""
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { items.append(current) }
        var inRegion: [String] = [], outside: [String] = []
        for item in items {
            guard let open = item.firstIndex(where: { "(（".contains($0) }) else {
                inRegion.append(item)
                continue
            }
            let base = String(item[..<open]).trimmingCharacters(in: .whitespaces)
            if !base.isEmpty { inRegion.append(base) }
            var inner = String(item[item.index(after: open)...]).trimmingCharacters(in: CharacterSet(charactersIn: ")）"))
            if let colon = inner.firstIndex(where: { ":：".contains($0) }) { inner = String(inner[inner.index(after: colon)...]) }
            outside += inner.split(whereSeparator: { "、,，・ 　".contains($0) }).map(String.init).filter { !$0.isEmpty }
        }
        return (inRegion, outside)
    }

    static func isCategory(_ text: String) -> Bool {
        categoryPattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// `北九州市 | ・…` or `連携市町 | <ul>…</ul>`: the party, then its role.
    static func addRole(_ cells: [(column: Int, text: String)], to card: inout Card, line: Int, warn: (Int, Int?, String, String) -> Void) {
        guard cells.count >= 2 else {
            warn(line, nil, "役割分担の主体か役割が空です", "a role without party or text")
            return
        }
        let party = PublishedDocument.collapse(cells[0].text)
        let role = cells.dropFirst().flatMap { PublishedDocument.lines($0.text) }
        card.roles.append(CollaborationRoleRecord(municipalityCode: card.project.municipalityCode, region: card.project.region,
                                                  agreementCategory: card.project.agreementCategory, project: card.project.name,
                                                  party: party, role: role))
    }
}
