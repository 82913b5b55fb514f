import HyokaCore

/// A sum over programs of a figure some may not state.
enum MoneyTotal {
    /// The sum of the programs that state the figure, saying how many those are when not all
    /// do; 「—」 when none does (an unpublished 決算 is unknown, not zero).
    static func text(_ rows: [PublicCatalog.ProgramRow], _ figure: (PublicCatalog.ProgramRow) -> Money?, l: PortalLanguage) -> String {
        let known = rows.compactMap(figure)
        guard !known.isEmpty else { return "—" }
        let sum = l.thousandYen(known.reduce(Money.zero, +))
        return known.count == rows.count ? sum : sum + l("（\(known.count)/\(rows.count)事業）", " (\(known.count) of \(rows.count) programs)")
    }

    /// The sum, nil when no program states the figure.
    static func sum(_ rows: [PublicCatalog.ProgramRow], _ figure: (PublicCatalog.ProgramRow) -> Money?) -> Money? {
        let known = rows.compactMap(figure)
        return known.isEmpty ? nil : known.reduce(Money.zero, +)
    }

    /// The sums are of each sheet's latest budget year, which an evaluation sheet may print
    /// ahead of its own year: which years they are, when not just `year`.
    static func yearsNote(_ rows: [PublicCatalog.ProgramRow], year: Int, l: PortalLanguage) -> String {
        let budgetYears = Set(rows.compactMap(\.budgetYear)).sorted()
        return budgetYears == [year] || budgetYears.isEmpty ? ""
            : l("（\(budgetYears.map { FiscalYear($0).japanese }.joined(separator: "・"))）", " (FY\(budgetYears.map(String.init).joined(separator: ", ")))")
    }
}
