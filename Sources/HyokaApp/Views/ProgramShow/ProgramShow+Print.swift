import Foundation

extension ProgramShow {
    /// The sizes the printed sheet may be set at, in percent of its base 8 pt.
    static let printScales = [80, 90, 100, 115, 130, 150]

    /// How large the printed sheet is set so that it fills its A3-landscape page without
    /// running onto a second: estimated from what the sheet holds, in lines of the base
    /// size, for the left column (summary, money, evaluations, checks) and the right (the
    /// KPIs, each at least as tall as its chart). No script runs when the PDF is made, so
    /// the page cannot measure itself; a sheet too full for 100 % prints as it did before.
    static func printScale(_ model: Model) -> Int {
        func lines(_ text: String?, perLine: Int) -> Double {
            guard let text, !text.isEmpty else { return 1 }
            return Double(text.split(separator: "\n", omittingEmptySubsequences: false).map { max(1, ($0.count + perLine - 1) / perLine) }.reduce(0, +))
        }
        let heading = 1.6
        var left = heading + 6 + lines(model.program.summary, perLine: 48) + Double(model.planNodes.count)
        left += heading + 1.2 * Double(1 + model.money.count)
        // The notes under the money table (※1, ※2), each a paragraph.
        if model.money.contains(where: { $0.totalCost != nil && ($0.totalCostUsesBudget || $0.personnelCost == nil) }) { left += 3 }
        let funded = model.money.filter { !$0.funding.isEmpty }.count
        if funded > 0 { left += 1.2 * Double(2 + funded) }
        left += heading
        for evaluation in model.evaluations where (model.scope.year - 1...model.scope.year).contains(evaluation.year) {
            left += 1.4 + 2 + lines(evaluation.comment, perLine: 52) + lines(evaluation.improvement, perLine: 52)
            if evaluation.expectedOutcome != nil || evaluation.expectedCost != nil { left += 1 }
            // The checklist's table: a row a viewpoint, its reason wrapping in the third column.
            if evaluation.year == model.scope.year {
                left += 2.4 + evaluation.viewpoints.map { 0.2 + lines($0.reason, perLine: 30) }.reduce(0, +)
            }
        }
        let profile = model.profile
        left += Double(profile.budgetAccounts.count) + lines(profile.legalBasis, perLine: 48) - 1
        var right = heading
        if profile.hasPurpose {
            right += heading + [profile.purposeTarget, profile.purposeIntent, profile.purposeResult, profile.meansPreviousYear, profile.meansThisYear]
                .map { lines($0, perLine: 48) }.reduce(0, +)
        }
        // The checks: the findings (or that there are none) and the line on what they are.
        left += heading + max(2, 2 * Double(model.findings.count)) + 2
        for kpi in model.kpis {
            // A table row is a little taller than a line; the chart beside it is 30 mm.
            right += max(8, lines(kpi.name, perLine: 60) + 1.2 * Double(3 + kpi.years.count)) + 0.6
        }
        // A3 landscape less its margins holds about 73 lines of 8 pt; the title takes 5.
        // A little short of that: the estimate errs on the small side, and a sheet that spills
        // onto a second page is worse than one set a size smaller. Below 80 % (6.4 pt) the
        // text would be too small to read: such a sheet prints on two pages.
        let room = 62.0 / (max(left, right) + 5)
        return printScales.last { Double($0) / 100 <= room } ?? printScales[0]
    }
}
