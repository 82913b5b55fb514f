import HyokaCore

/// What of a dataset may leave the city: the open data, the JSON API and the feed are all
/// made from this view, so that they agree with the portal about what is published.
///
/// - A fiscal year is **public** when its cycle is in phase 公表, or when it has no cycle
///   at all (it came with a published document, such as the budgets of the years ahead
///   that an evaluation sheet prints). A year whose cycle is still open never is. The rule
///   is HyokaCore's `PublicYears`, which the portal's sheets use too.
/// - A program is public when its sheet is 公表 in some published cycle. Its budgets,
///   KPI values and evaluations are public for the public years only; its evaluation of a
///   year with a cycle only when its sheet of that cycle is published.
/// - Reference data (departments, plans and their nodes, regions, collaboration projects)
///   is public once the municipality has published a cycle; year-bound records of other
///   kinds (manifestos, costs, reviews, headline figures) follow the public years.
/// - Cycles and sheets appear only as published, with no return reasons.
/// - A municipality without a published cycle is left out entirely.
public enum PublicView {
    public static func of(_ d: Dataset) -> Dataset {
        var out = Dataset()
        // The ids go along; a table joins them only for the records it keeps.
        out.storedIDs = d.storedIDs
        for municipality in d.municipalities {
            let code = municipality.code
            let cycles = d.cycles.filter { $0.municipalityCode == code }
            let years = PublicYears(cycles: cycles.map { ($0.fiscalYear, $0.phase == .published) })
            let published = years.published, withCycle = years.withCycle
            guard !published.isEmpty else { continue }
            let isPublicYear = years.isPublic
            let sheets = d.sheets.filter { $0.municipalityCode == code && $0.status == .published && published.contains($0.fiscalYear) }
            let publicPrograms = Set(sheets.map(\.program))
            let publishedSheet = Set(sheets.map { SheetKey(program: $0.program, year: $0.fiscalYear) })
            let mine = { (c: String) in c == code }

            out.municipalities.append(municipality)
            out.departments += d.departments.filter { mine($0.municipalityCode) }
            out.plans += d.plans.filter { mine($0.municipalityCode) }
            out.planNodes += d.planNodes.filter { mine($0.municipalityCode) }
            out.programs += d.programs.filter { mine($0.municipalityCode) && publicPrograms.contains($0.name) }
            out.planLinks += d.planLinks.filter { mine($0.municipalityCode) && publicPrograms.contains($0.program) }

            func ownerIsPublic(_ owner: IndicatorOwner) -> Bool {
                switch owner {
                case let .program(name): publicPrograms.contains(name)
                case let .manifestoGoal(_, year, _): isPublicYear(year)
                case .planNode, .collaborationProject: true
                }
            }
            out.indicators += d.indicators.filter { mine($0.municipalityCode) && ownerIsPublic($0.owner) }
            out.indicatorValues += d.indicatorValues.filter { mine($0.municipalityCode) && ownerIsPublic($0.owner) && isPublicYear($0.fiscalYear) }
            out.budgets += d.budgets.filter { mine($0.municipalityCode) && publicPrograms.contains($0.program) && isPublicYear($0.fiscalYear) }
            out.evaluations += d.evaluations.filter { e in
                guard mine(e.municipalityCode), isPublicYear(e.fiscalYear) else { return false }
                switch e.subject {
                case let .program(name):
                    return withCycle.contains(e.fiscalYear) ? publishedSheet.contains(SheetKey(program: name, year: e.fiscalYear)) : publicPrograms.contains(name)
                case .planNode:
                    return true
                }
            }
            out.cycles += cycles.filter { $0.phase == .published }
            out.sheets += sheets.map { sheet in
                var s = sheet
                s.returnReason = nil
                return s
            }
            out.regions += d.regions.filter { mine($0.municipalityCode) }
            out.collaborationProjects += d.collaborationProjects.filter { mine($0.municipalityCode) }
            out.collaborationCosts += d.collaborationCosts.filter { mine($0.municipalityCode) && isPublicYear($0.fiscalYear) }
            out.collaborationRoles += d.collaborationRoles.filter { mine($0.municipalityCode) }
            out.manifestos += d.manifestos.filter { mine($0.municipalityCode) && isPublicYear($0.fiscalYear) }
            out.manifestoGoals += d.manifestoGoals.filter { mine($0.municipalityCode) && isPublicYear($0.fiscalYear) }
            out.inventoryReviews += d.inventoryReviews.filter { mine($0.municipalityCode) && publicPrograms.contains($0.program) && isPublicYear($0.fiscalYear) }
            out.headlineFigures += d.headlineFigures.filter { mine($0.municipalityCode) && isPublicYear($0.fiscalYear) }
        }
        return out
    }

    /// The public fiscal years of a municipality in a dataset, ascending: the published
    /// cycles' years (the years a bundle can be asked for).
    public static func publishedYears(_ d: Dataset, municipalityCode: String) -> [Int] {
        Array(Set(d.cycles.filter { $0.municipalityCode == municipalityCode && $0.phase == .published }.map(\.fiscalYear))).sorted()
    }

    private struct SheetKey: Hashable {
        var program: String
        var year: Int
    }
}
