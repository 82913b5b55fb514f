import Foundation
import Testing
@testable import HyokaCore

@Suite struct GradeScaleTests {
    @Test func defaultsAreTheThreeScalesOfTheDesign() {
        #expect(GradeScale.evaluation.grades.map(\.label) == ["大変順調", "順調", "概ね順調", "やや遅れ", "遅れ"])
        #expect(GradeScale.manifesto.grades.map(\.label) == ["上回る", "到達", "わずかに届かず", "届かず", "遠い", "取組なし"])
        #expect(GradeScale.direction.grades.map(\.label) == ["拡充", "継続", "改善", "縮小", "統合", "休止", "廃止", "完了"])
        #expect(GradeScale.defaults.map(\.id) == ["evaluation", "manifesto", "direction"])
    }

    /// Program grades printed in the seeds beside the rates of their KPIs.
    @Test(arguments: [
        ([Decimal(100)], "順調"),                       // program table row 12
        ([Decimal(string: "94.7")!], "概ね順調"),        // row 6
        ([Decimal(string: "92.8")!], "概ね順調"),        // rows 8, 9
        ([Decimal(string: "92.6")!], "概ね順調"),        // rows 10, 11
        ([Decimal(string: "61.4")!], "やや遅れ"),        // row 17
        ([Decimal(362)], "大変順調"),                    // pdca row 50
        ([Decimal(38)], "遅れ"),                         // pdca row 137
        ([Decimal(0)], "遅れ"),                          // pdca row 74
        ([Decimal(50), Decimal(175)], "順調"),           // pdca rows 130–131
        ([Decimal(100), Decimal(string: "83.3")!], "概ね順調"),
        ([Decimal(string: "124.3")!, Decimal(string: "49243.4")!], "大変順調"), // pdca rows 138–139
        ([Decimal(string: "109.7")!], "順調"),           // pdca row 101
    ])
    func suggestsEvaluationGrades(rates: [Decimal], expected: String) {
        #expect(GradeScale.evaluation.suggestedGrade(forRates: rates)?.label == expected)
    }

    @Test func noRatesNoSuggestion() {
        #expect(GradeScale.evaluation.suggestedGrade(forRates: []) == nil)
    }

    @Test(arguments: [
        (Decimal(string: "100.1")!, "上回る"), (Decimal(100), "到達"), (Decimal(string: "99.9")!, "わずかに届かず"),
        (Decimal(90), "わずかに届かず"), (Decimal(string: "89.9")!, "届かず"), (Decimal(60), "届かず"),
        (Decimal(string: "59.9")!, "遠い"), (Decimal(0), "遠い"), (Decimal(-20), "遠い"),
    ])
    func manifestoBoundaries(rate: Decimal, expected: String) {
        #expect(GradeScale.manifesto.grade(forRate: rate)?.label == expected)
    }

    @Test func findsGradesByLabelAliasAndExtractedSpelling() {
        #expect(GradeScale.evaluation.grade(named: "大変 順調")?.label == "大変順調")
        #expect(GradeScale.evaluation.grade(named: "やや 遅れ")?.english == "Slightly behind")
        #expect(GradeScale.direction.grade(named: "拡大")?.label == "拡充")
        #expect(GradeScale.direction.grade(named: "順調") == nil)
        #expect(GradeScale.manifesto.grade(named: "取組なし")?.minimumRate == nil)
        #expect(GradeScale.evaluation.distance(from: "順調", to: "遅れ") == 3)
    }

    @Test func aScaleIsConfiguration() throws {
        let json = """
        {"id":"city-x","name":"X市事業評価","grades":[
          {"label":"A","english":"A","minimumRate":100,"includesMinimum":true,"aliases":[]},
          {"label":"B","english":"B","minimumRate":70,"includesMinimum":true,"aliases":["Ｂ"]},
          {"label":"C","english":"C","minimumRate":0,"includesMinimum":true,"aliases":[]}]}
        """
        let scale = try JSONDecoder().decode(GradeScale.self, from: Data(json.utf8))
        #expect(scale.suggestedGrade(forRates: [80])?.label == "B")
        #expect(scale.grade(named: "Ｂ")?.label == "B")
        let roundTrip = try JSONDecoder().decode(GradeScale.self, from: JSONEncoder().encode(GradeScale.manifesto))
        #expect(roundTrip == GradeScale.manifesto)
    }
}
