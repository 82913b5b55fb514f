import Foundation
import HyokaCore
import Testing
@testable import HyokaImport

@Suite struct WorkbookTests {
    /// A dataset with a record in every table, with the awkward texts: commas, quotes,
    /// line breaks, leading spaces.
    static func sample() -> Dataset {
        let code = "401005"
        var d = Dataset()
        var city = MunicipalityRecord(code: code, name: "北九州市", nameEnglish: "Kitakyushu", prefecture: "福岡県")
        city.budgetTrendThresholdPercent = Decimal(string: "7.5")!
        city.personnelCostPerHour = Money(yen: 4_000)
        city.evaluationViewpoints = ["政策体系との整合性", "事業費の削減余地"]
        d.municipalities = [city]
        d.departments = [DepartmentRecord(municipalityCode: code, name: "市民文化スポーツ局"),
                         DepartmentRecord(municipalityCode: code, name: "安全・安心推進課", parentName: "市民文化スポーツ局")]
        d.plans = [PlanRecord(municipalityCode: code, name: "基本計画", startFiscalYear: 2024, endFiscalYear: 2033)]
        d.planNodes = [PlanNodeRecord(municipalityCode: code, plan: "基本計画", code: "III", title: "「安らぐまち」の実現", level: "政策"),
                       PlanNodeRecord(municipalityCode: code, plan: "基本計画", code: "III-1", parentCode: "III", title: "防犯, \"AI\" の推進", level: "施策")]
        var program = ProgramRecord(municipalityCode: code, name: "防犯カメラ運用事業", number: "2", department: "安全・安心推進課",
                                    summary: " 街頭防犯カメラの設置、\n運用を行う。")
        program.sdgGoals = [11, 16]
        program.legalBasis = "犯罪のない安全・安心なまちづくり条例\n=HYPERLINK(\"x\")"
        program.category = "Ｅ 一般"
        program.periodKind = "単年度繰返"
        program.budgetAccounts = ["01-04-01-03-1200", "01-04-02-01-0600"]
        program.purposeTarget = "市民"
        program.purposeIntent = "犯罪に遭わない"
        program.purposeResult = "\"><script>alert(1)</script>"
        program.meansPreviousYear = "・カメラ 10 台を設置した。"
        program.meansThisYear = "・カメラ 12 台を設置する。"
        d.programs = [program]
        d.planLinks = [PlanLinkRecord(municipalityCode: code, plan: "基本計画", nodeCode: "III-1", program: "防犯カメラ運用事業", number: "2", summary: "概要")]
        var kpi = IndicatorRecord(municipalityCode: code, owner: .program(name: "防犯カメラ運用事業"), name: "刑法犯認知件数",
                                  direction: .lowerIsBetter, directionSource: .inferred)
        kpi.baselineRaw = "6,044件"
        kpi.baselineYear = 2023
        kpi.finalTargetRaw = "R5年比減"
        d.indicators = [kpi]
        var value = IndicatorValueRecord(municipalityCode: code, owner: .program(name: "防犯カメラ運用事業"), indicatorName: "刑法犯認知件数", fiscalYear: 2024)
        value.targetRaw = "R5年比減"
        value.actualRaw = "6,482件"
        value.publishedRateRaw = "92.9%"  // misprinted: lint_findings gets a row
        d.indicatorValues = [value]
        var budget = BudgetRecord(municipalityCode: code, program: "防犯カメラ運用事業", fiscalYear: 2024)
        budget.budget = Money(yen: 39_464_000)
        budget.settlement = Money(yen: 35_010_000)
        budget.national = Money(yen: 1_000)
        budget.staffCount = Decimal(string: "1.5")!
        budget.workHours = 280
        var planned = BudgetRecord(municipalityCode: code, program: "防犯カメラ運用事業", fiscalYear: 2026)
        planned.budget = Money(yen: 40_000_000)
        planned.isPlanned = true
        d.budgets = [budget, planned]
        var evaluation = EvaluationRecord(municipalityCode: code, subject: .program(name: "防犯カメラ運用事業"), fiscalYear: 2024, stage: .selfAssessment)
        evaluation.grade = "概ね順調"
        evaluation.direction = "拡充"
        evaluation.expectedOutcome = "向上"
        evaluation.expectedCost = "維持"
        evaluation.viewpoints = [ViewpointJudgement(viewpoint: "政策体系との整合性", judgement: "結びついている", reason: "防犯は\n施策の柱。"),
                                 ViewpointJudgement(viewpoint: "事業費の削減余地", judgement: "削減余地がない")]
        d.evaluations = [evaluation, EvaluationRecord(municipalityCode: code, subject: .planNode(plan: "基本計画", code: "III-1"), fiscalYear: 2024, stage: .primary)]
        d.cycles = [CycleRecord(municipalityCode: code, fiscalYear: 2024, phase: .published)]
        d.sheets = [SheetRecord(municipalityCode: code, fiscalYear: 2024, program: "防犯カメラ運用事業", status: .published)]
        var region = RegionRecord(municipalityCode: code, name: "北九州都市圏域", centralCity: "北九州市")
        region.members = ["北九州市", "中間市"]
        d.regions = [region]
        var project = CollaborationProjectRecord(municipalityCode: code, region: "北九州都市圏域", policyField: "(3)", agreementCategory: "f 災害対策",
                                                 name: "消防指令業務の共同運用に係る調査研究事業")
        project.effects = ["指令業務の効率化", "指令水準の高度化、均衡化"]
        project.partners = ["中間市"]
        project.costSharing = ["連携市町と協議し決定する。"]
        project.isRepost = true
        d.collaborationProjects = [project]
        d.collaborationCosts = [CollaborationCostRecord(municipalityCode: code, region: "北九州都市圏域", agreementCategory: "f 災害対策",
                                                        project: project.name, fiscalYear: 2026, amountRaw: "2,420", note: "R8のみ")]
        d.collaborationRoles = [CollaborationRoleRecord(municipalityCode: code, region: "北九州都市圏域", agreementCategory: "f 災害対策",
                                                        project: project.name, party: "北九州市", role: ["検討を行う。", "周知する。"])]
        var manifesto = ManifestoRecord(municipalityCode: code, department: "市民文化スポーツ局", fiscalYear: 2025)
        manifesto.headName = "藪中 英行"
        d.manifestos = [manifesto]
        var goal = ManifestoGoalRecord(municipalityCode: code, department: "市民文化スポーツ局", fiscalYear: 2025, number: 1, title: "住民自治のあり方の検討")
        goal.background = "〈これまでの経緯〉\n…"
        d.manifestoGoals = [goal]
        var review = InventoryReviewRecord(municipalityCode: code, program: "防犯カメラ運用事業", fiscalYear: 2024, reviewRound: "2024", result: .revise)
        review.viewpoints = [1, 4]
        review.saving = Money(yen: 500_000)
        d.inventoryReviews = [review]
        var figure = HeadlineFigureRecord(municipalityCode: code, fiscalYear: 2024, name: "市税収入", valueRaw: "1,811億円")
        figure.publishedRecordHigh = true
        d.headlineFigures = [figure, HeadlineFigureRecord(municipalityCode: code, fiscalYear: 2023, name: "市税収入", valueRaw: "1,790億円")]
        return d
    }

    @Test func everyTableSurvivesCSV() throws {
        let dataset = Self.sample()
        let tables = Workbook.tables(from: dataset)
        #expect(tables.map(\.name) == Workbook.schema.map(\.table))
        #expect(tables.allSatisfy { !$0.rows.isEmpty }, "the sample must fill every table")
        let reread = try tables.map { try WorkbookTable(csv: $0.csv, name: $0.name, file: "\($0.name).csv") }
        #expect(reread == tables)
        let result = Workbook.dataset(from: reread)
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(Workbook.tables(from: result.dataset).map(\.csv) == tables.map(\.csv))
    }

    @Test func writesComputedColumnsFromCore() throws {
        let tables = Workbook.tables(from: Self.sample())
        func cell(_ table: String, _ column: String, row: Int = 0) throws -> String {
            let t = try #require(tables.first { $0.name == table })
            return t.rows[row][try #require(t.columns.firstIndex(of: column))]
        }
        #expect(try cell("indicator_values", "achievement_rate") == "92.8")
        #expect(try cell("indicator_values", "actual_value") == "6482")
        #expect(try cell("budgets", "execution_rate") == "88.7")
        #expect(try cell("budgets", "total_cost_yen") == "35010000")
        #expect(try cell("evaluations", "suggested_grade", row: 1) == "概ね順調")  // row 0 is the plan node
        #expect(try cell("headline_figures", "record_high", row: 1) == "true")
        #expect(try cell("headline_figures", "record_high", row: 0) == "false")
        #expect(try cell("collaboration_costs", "amount_yen") == "2420000")
    }

    @Test func computedColumnsAreRecomputedNotTrusted() throws {
        var tables = Workbook.tables(from: Self.sample())
        let values = try #require(tables.firstIndex { $0.name == "indicator_values" })
        let rate = try #require(tables[values].columns.firstIndex(of: "achievement_rate"))
        tables[values].rows[0][rate] = "150.0"
        let result = Workbook.dataset(from: tables)
        #expect(Workbook.tables(from: result.dataset)[values].rows[0][rate] == "92.8")
    }

    @Test func namesTheCellOfEveryError() throws {
        var tables = Workbook.tables(from: Self.sample())
        let budgets = try #require(tables.firstIndex { $0.name == "budgets" })
        let column = try #require(tables[budgets].columns.firstIndex(of: "fiscal_year"))
        tables[budgets].rows[0][column] = "来年"
        let programs = try #require(tables.firstIndex { $0.name == "programs" })
        let sdg = try #require(tables[programs].columns.firstIndex(of: "sdg_goals"))
        tables[programs].rows[0][sdg] = "4,18"
        let result = Workbook.dataset(from: tables)
        #expect(result.errors.count == 2)
        #expect(result.errors.contains { $0.location == SourceLocation(file: "budgets.csv", line: 2, column: column + 1) && $0.japanese.contains("来年") })
        #expect(result.errors.contains { $0.location.file == "programs.csv" && $0.japanese.contains("18") })
        // The row in error is not read; the planned year's row is.
        #expect(result.dataset.budgets.map(\.fiscalYear) == [2026])
    }

    @Test func reportsMissingColumnsAndUnknownTables() {
        let tables = [WorkbookTable(name: "programs", columns: ["municipality_code", "number"], rows: [["401005", "1"]]),
                      WorkbookTable(name: "notes", columns: ["x"], rows: [["y"]])]
        let result = Workbook.dataset(from: tables)
        #expect(result.errors.first?.japanese.contains("name") == true)
        #expect(result.warnings.contains { $0.location.file == "notes.csv" })
    }

    /// docs/workbook.md documents every table and column of the schema.
    @Test func theDocumentationCoversEveryColumn() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/workbook.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        for (table, columns) in Workbook.schema {
            guard let start = text.range(of: "### \(table)\n") else {
                Issue.record("docs/workbook.md has no section ### \(table)")
                continue
            }
            let section = text[start.upperBound...].prefix { _ in true }
            let end = section.range(of: "\n### ")?.lowerBound ?? section.endIndex
            let body = section[..<end]
            for column in columns {
                #expect(body.contains("| `\(column)` |"), "docs/workbook.md: \(table).\(column) is not documented")
            }
        }
    }
}
