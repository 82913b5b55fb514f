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
        /// The 施策's names by code, so that a filter reads 「III-1 地域の活性化」, not 「III-1」.
        var planNodeTitles: [String: String] = [:]
        /// When the search finds nothing here: the other municipalities and years where it
        /// does, with how many (「他の団体・年度に N 件」).
        var elsewhere: [Elsewhere] = []

        struct Elsewhere: Sendable {
            var municipalityCode: String
            var municipalityName: String
            var year: Int
            var count: Int
        }
    }
}
