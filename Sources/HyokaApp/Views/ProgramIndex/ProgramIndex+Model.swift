import Foundation

/// `/programs`: search, facets, sorting and pages over a year's published programs, split
/// as the sheet is (`+Query`, `+Model`, `+View`).
enum ProgramIndex {
    struct Model: Sendable {
        var scope: PagePlace
        var search: ProgramSearch
        var result: ProgramSearch.Result
        /// SDG goals and 施策 codes of the result, with their counts.
        var sdgs: [(goal: Int, count: Int)]
        var planNodes: [(code: String, count: Int)]
    }
}
