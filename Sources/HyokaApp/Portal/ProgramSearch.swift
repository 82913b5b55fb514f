import Foundation
import HyokaCore

/// The program search of the portal: text, facets, sorting and pages over the published
/// rows of a year. Facets count the current result, each with a 未設定 bucket, so a facet's
/// counts add up to the number of results.
struct ProgramSearch: Sendable {
    enum Sort: String, CaseIterable, Sendable {
        case number, name, department, budget, settlement, change, rate, grade
    }

    var text: String?
    var department: String?
    var planNode: String?
    var sdg: Int?
    var grade: String?
    var direction: String?
    var trend: String?
    var sort: Sort = .number
    var descending = false
    var page = 1
    var pageSize = 50

    struct Facet: Sendable {
        var key: String
        var values: [(value: String, count: Int)]
    }

    struct Result: Sendable {
        var rows: [PublicCatalog.ProgramRow]
        var total: Int
        var pageRows: [PublicCatalog.ProgramRow]
        var pageCount: Int
        var facets: [Facet]
        /// No program held every word, and these are the near matches (`nearMatches`).
        var near = false
    }

    /// The value that stands for "not set" in facets and filters.
    static let unset = "-"

    /// NFKC, lower case, no spaces, spelling variants folded (`JapaneseText.searchForm`):
    /// `防犯` finds `防犯カメラ運用事業`, `ＤＸ` finds `DX`, `こども` finds `子ども` and `子供`,
    /// `インフォメーション` finds `インフォーメーション`.
    static func normalized(_ text: String) -> String {
        JapaneseText.searchForm(text)
    }

    /// The search key of a program: name, summary, department and number, normalized.
    /// Normalizing (NFKC) is the costly part of a search, so the read model stores it when
    /// a program is published.
    static func key(name: String, summary: String?, department: String?, number: String?) -> String {
        normalized([name, summary ?? "", department ?? "", number ?? ""].joined(separator: "\u{1F}"))
    }

    /// The words of `text`, normalized as the rows' search keys are. A word ending in 「事業」
    /// is matched without it (「防犯カメラ事業」 finds 防犯カメラ運用事業): most names end so, and
    /// the word a person types rarely sits right before it.
    var words: [[UInt8]] {
        guard let text else { return [] }
        return text.split(whereSeparator: { $0.isWhitespace || $0 == "　" }).map { word in
            var normalized = Self.normalized(String(word))
            if normalized.count > 3, normalized.hasSuffix("事業") { normalized.removeLast(2) }
            return Array(normalized.utf8)
        }
    }

    func matches(_ row: PublicCatalog.ProgramRow, words: [[UInt8]]? = nil) -> Bool {
        let words = words ?? self.words
        if !words.isEmpty {
            let key = row.searchKey
            // Both sides are NFKC, so a byte-wise substring match is a character match.
            if !words.allSatisfy({ Self.contains(key, $0) }) { return false }
        }
        if let department, (row.department ?? Self.unset) != department { return false }
        if let planNode, !row.planNodes.contains(planNode) { return false }
        if let sdg, !row.sdgGoals.contains(sdg) { return false }
        if let grade, (row.grade ?? Self.unset) != grade { return false }
        if let direction, (row.direction ?? Self.unset) != direction { return false }
        if let trend, (row.trend?.japanese ?? Self.unset) != trend { return false }
        return true
    }

    /// Whether `needle` occurs in `haystack`, compared in place: the generic
    /// `firstRange(of:)` allocated on every call and was two thirds of a search over a
    /// municipality of 3,000 programs (BENCHMARKS.md). Search words are a few characters and
    /// keys a few hundred bytes, so the plain scan is the fast one.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard haystack.count >= needle.count else { return false }
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                let last = h.count - n.count
                var i = 0
                while i <= last {
                    if h[i] == first {
                        var j = 1
                        while j < n.count && h[i + j] == n[j] { j += 1 }
                        if j == n.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    /// The figure a numeric sort orders by, nil for the sorts by text.
    var numericKey: (@Sendable (PublicCatalog.ProgramRow) -> Decimal?)? {
        switch sort {
        case .budget: { $0.budget.map { Decimal($0.yen) } }
        case .settlement: { $0.settlement.map { Decimal($0.yen) } }
        case .change: { $0.budgetChange.map { Decimal($0.yen) } }
        case .rate: { Self.meanRate($0) }
        case .number, .name, .department, .grade: nil
        }
    }

    /// The two-character pieces of a word (文字 bigrams), as UTF-8; a word of one
    /// character is its own piece.
    static func bigrams(_ word: [UInt8]) -> [[UInt8]] {
        let characters = Array(String(decoding: word, as: UTF8.self))
        guard characters.count > 1 else { return [word] }
        return (0..<characters.count - 1).map { Array(String(characters[$0...($0 + 1)]).utf8) }
    }

    /// Whether most of each word's bigrams occur in the key: 「防犯カメラ運営」 finds
    /// 防犯カメラ運用事業 (3 of 5 pieces), 「高齢者の見守り」 finds 高齢者見守り支援. A word of
    /// two characters has one piece, so it matches only as typed.
    static func nearlyContains(_ key: [UInt8], _ pieces: [[[UInt8]]]) -> Bool {
        pieces.allSatisfy { word in
            let needed = (word.count * 3 + 4) / 5   // 60 %, rounded up
            var found = 0
            for piece in word where contains(key, piece) {
                found += 1
                if found >= needed { return true }
            }
            return false
        }
    }

    func apply(_ all: [PublicCatalog.ProgramRow]) -> Result {
        let words = self.words
        var rows = all.filter { matches($0, words: words) }
        var near = false
        if rows.isEmpty, !words.isEmpty {
            // Nothing holds every word as typed: the programs that hold most of each word's
            // pieces, said as near matches on the page (never mixed with exact ones).
            let pieces = words.map(Self.bigrams)
            var filters = self
            filters.text = nil
            rows = all.filter { filters.matches($0, words: []) && Self.nearlyContains($0.searchKey, pieces) }
            near = !rows.isEmpty
        }
        if let key = numericKey {
            // A program without the figure is not the lowest: it comes last whichever the
            // direction (without a rate, ascending 達成率 listed them first).
            var known = rows.compactMap { row in key(row).map { (row, $0) } }
            let unknown = rows.filter { key($0) == nil }.sorted { $0.name < $1.name }
            known.sort { a, b in
                a.1 == b.1 ? a.0.name < b.0.name : (descending ? a.1 > b.1 : a.1 < b.1)
            }
            rows = known.map(\.0) + unknown
        } else {
            rows.sort { a, b in
                let ordered: Bool
                switch sort {
                case .name: ordered = a.name < b.name
                case .department: ordered = (a.department ?? "", a.name) < (b.department ?? "", b.name)
                case .grade: ordered = (Self.gradeIndex(a.grade), a.name) < (Self.gradeIndex(b.grade), b.name)
                default: ordered = Self.numberOrder(a.number, b.number) ?? (a.name < b.name)
                }
                return descending ? !ordered : ordered
            }
        }
        let pageCount = max(1, (rows.count + pageSize - 1) / pageSize)
        let current = min(max(page, 1), pageCount)
        let pageRows = Array(rows.dropFirst((current - 1) * pageSize).prefix(pageSize))
        return Result(rows: rows, total: rows.count, pageRows: pageRows, pageCount: pageCount, facets: facets(rows), near: near)
    }

    func facets(_ rows: [PublicCatalog.ProgramRow]) -> [Facet] {
        func count(_ key: String, _ value: (PublicCatalog.ProgramRow) -> String?, order: [String] = []) -> Facet {
            var counts: [String: Int] = [:]
            for row in rows { counts[value(row) ?? Self.unset, default: 0] += 1 }
            let sorted = counts.sorted { a, b in
                let i = order.firstIndex(of: a.key) ?? Int.max, j = order.firstIndex(of: b.key) ?? Int.max
                return i != j ? i < j : (a.key == Self.unset ? false : b.key == Self.unset ? true : a.key < b.key)
            }
            return Facet(key: key, values: sorted.map { ($0.key, $0.value) })
        }
        return [
            count("department", \.department),
            count("grade", \.grade, order: GradeScale.evaluation.grades.map(\.label)),
            count("direction", \.direction, order: GradeScale.direction.grades.map(\.label)),
            count("trend", { $0.trend?.japanese }, order: BudgetTrend.allCases.map(\.japanese)),
        ]
    }

    /// SDG goals and 施策 are many per program: counted, but they need not add up.
    func multiFacets(_ rows: [PublicCatalog.ProgramRow]) -> (sdgs: [(Int, Int)], planNodes: [(String, Int)]) {
        var sdgs: [Int: Int] = [:], nodes: [String: Int] = [:]
        for row in rows {
            for goal in Set(row.sdgGoals) { sdgs[goal, default: 0] += 1 }
            for node in Set(row.planNodes) { nodes[node, default: 0] += 1 }
        }
        return (sdgs.sorted { $0.key < $1.key }, nodes.sorted { $0.key < $1.key })
    }

    static func meanRate(_ row: PublicCatalog.ProgramRow) -> Decimal? {
        row.rates.isEmpty ? nil : row.rates.reduce(0, +) / Decimal(row.rates.count)
    }

    static func gradeIndex(_ grade: String?) -> Int {
        grade.flatMap { g in GradeScale.evaluation.grades.firstIndex { $0.label == g } } ?? Int.max
    }

    static func numberOrder(_ a: String?, _ b: String?) -> Bool? {
        switch (a.flatMap { Int($0) }, b.flatMap { Int($0) }) {
        case let (x?, y?) where x != y: x < y
        case (nil, _?): false
        case (_?, nil): true
        default: nil
        }
    }
}
