import Foundation

/// `/manifestos`: department manifestos by fiscal year, each goal with its 現状や課題,
/// 達成水準 and self-evaluation on the six-level scale. Split as the sheet is.
enum ManifestoIndex {
    struct Model: Sendable {
        struct Goal: Sendable {
            var number: Int
            var title: String
            var heading: String?
            var relatedPolicy: String?
            var background: String?
            var currentAnalysis: String?
            var issues: String?
            var targetFigures: String?
            var achievedState: String?
            var meansAndProcess: String?
            var selfGrade: String?
            var selfReason: String?
            var supervisorGrade: String?
        }

        struct Manifesto: Sendable {
            var fiscalYear: Int
            var department: String
            var headTitle: String?
            var headName: String?
            var contact: String?
            var goals: [Goal]
        }

        var scope: PagePlace
        var manifestos: [Manifesto]
    }
}
