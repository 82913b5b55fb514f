/// The one rule of which fiscal years of a municipality are public, used by the portal's
/// sheets and lists, the API, the open-data bundles and the feed (through `PublicView`).
///
/// A year is public when its evaluation cycle is published (公表), or when it has no cycle
/// at all: such a year came with a published document, as the planned budgets and targets
/// a published sheet prints for the years ahead. A year whose cycle is not yet published
/// never is, so a draft never shows through.
public struct PublicYears: Sendable, Equatable {
    public let published: Set<Int>
    public let withCycle: Set<Int>

    /// `cycles`: each cycle's fiscal year and whether it is published.
    public init(cycles: [(year: Int, published: Bool)]) {
        published = Set(cycles.filter(\.published).map(\.year))
        withCycle = Set(cycles.map(\.year))
    }

    public func isPublic(_ year: Int) -> Bool {
        published.contains(year) || !withCycle.contains(year)
    }

    /// How far ahead a sheet prints planned years (budgets of the next three years).
    public static let yearsAhead = 3
    /// How far back a sheet prints the settled years it came with (大船渡市's sheet of
    /// 令和7年度 prints the 決算 of 令和4–6年度).
    public static let yearsBack = 3

    /// The public years a sheet of `year` shows, ascending: from the first published year,
    /// or three years back when that is earlier, to three years ahead. A year before the
    /// first published one is public only when no cycle of it exists: its figures came with
    /// a published document.
    public func onSheet(of year: Int) -> [Int] {
        let first = min(published.min() ?? year, year - Self.yearsBack)
        return (first...(year + Self.yearsAhead)).filter(isPublic)
    }
}
