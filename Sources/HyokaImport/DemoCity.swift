import Foundation
import HyokaCore

/// A fictional city for demonstrations: はなみ市, clearly labelled as fictional in its name,
/// with departments, a plan tree, several hundred programs with KPIs, budgets and
/// evaluations over five fiscal years, a collaboration region, manifestos and an inventory
/// review. Deterministic: the same seed gives the same city.
public struct DemoCity {
    /// 139998: a valid code (check digit 8) that no municipality has (東京都 13-999).
    public static let code = "139998"
    public static let name = "はなみ市（架空のデモ都市）"
    public static let years = Array(2020...2024)
    /// The cycle still open: its sheets are drafts and never published.
    public static let draftYear = 2025

    public var seed: UInt64
    public var programsPerSection: Int

    public init(seed: UInt64 = 2024, programsPerSection: Int = 14) {
        self.seed = seed
        self.programsPerSection = programsPerSection
    }

    static let bureaus: [(String, [String], [String])] = [
        ("市民文化局", ["地域振興課", "文化振興課", "スポーツ推進課", "多文化共生課"], ["地域づくり", "文化芸術", "スポーツ", "多文化共生", "市民活動", "図書館"]),
        ("子ども家庭局", ["子育て支援課", "保育課", "青少年課"], ["子育て", "保育", "放課後児童", "青少年育成", "児童虐待防止", "ひとり親支援"]),
        ("保健福祉局", ["健康推進課", "高齢者支援課", "障害福祉課", "地域医療課"], ["健康づくり", "介護予防", "障害者就労", "地域医療", "がん検診", "認知症支援"]),
        ("環境局", ["環境政策課", "循環社会課", "公園緑地課"], ["脱炭素", "ごみ減量", "緑化", "水辺環境", "省エネルギー", "環境学習"]),
        ("産業経済局", ["企業立地課", "観光課", "農林水産課", "雇用政策課"], ["企業誘致", "観光振興", "地産地消", "創業支援", "中小企業支援", "就労支援"]),
        ("都市整備局", ["都市計画課", "道路課", "住宅課", "防災課"], ["都市計画", "道路維持", "空き家対策", "防災", "公共交通", "防犯灯"]),
    ]
    static let suffixes = ["推進事業", "支援事業", "整備事業", "啓発事業", "促進事業", "充実事業", "強化事業", "活用事業"]
    static let policies = [("I", "誰もが安心して暮らせるまち"), ("II", "子どもと若者が育つまち"), ("III", "健やかに長生きできるまち"),
                           ("IV", "環境と共生するまち"), ("V", "にぎわいと仕事のあるまち"), ("VI", "安全で住みやすいまち")]
    static let kpiKinds: [(name: String, unit: String, base: Int, lower: Bool)] = [
        ("参加者数", "人", 1_200, false), ("利用者数", "人", 8_000, false), ("満足度", "%", 70, false), ("実施件数", "件", 40, false),
        ("相談件数", "件", 300, false), ("待機者数", "人", 60, true), ("苦情件数", "件", 90, true), ("登録団体数", "団体", 50, false),
    ]

    /// Splitmix64: small, fast and the same on every platform (the reader fuzzer uses it too).
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        /// A factor in [low, high] with two decimals.
        mutating func factor(_ low: Double, _ high: Double) -> Double { low + (high - low) * Double(next() % 10_001) / 10_000 }
        mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
    }

    // swiftlint:disable:next function_body_length
    public func dataset() -> Dataset {
        var random = Random(state: seed)
        let code = Self.code
        var d = Dataset()
        var city = MunicipalityRecord(code: code, name: Self.name, nameEnglish: "Hanami City (fictional demo)", prefecture: "東京都")
        city.lowerIsBetterFormula = .twoMinusRatio
        city.personnelCostPerHour = Self.hourlyPersonnelCost
        city.evaluationViewpoints = Self.viewpoints.map(\.name)
        d.municipalities = [city]
        let plan = "はなみ市総合計画（架空）"
        d.plans = [PlanRecord(municipalityCode: code, name: plan, startFiscalYear: 2020, endFiscalYear: 2029)]
        for (numeral, title) in Self.policies {
            d.planNodes.append(PlanNodeRecord(municipalityCode: code, plan: plan, code: numeral, title: title, level: "政策"))
        }
        var programNames: Set<String> = []
        for (bureauIndex, bureau) in Self.bureaus.enumerated() {
            let (bureauName, sections, topics) = bureau
            d.departments.append(DepartmentRecord(municipalityCode: code, name: bureauName, level: .bureau))
            let policy = Self.policies[bureauIndex].0
            for (measureIndex, topic) in topics.prefix(4).enumerated() {
                d.planNodes.append(PlanNodeRecord(municipalityCode: code, plan: plan, code: "\(policy)-\(measureIndex + 1)", parentCode: policy,
                                                  title: "\(topic)の充実", level: "施策"))
            }
            for section in sections {
                d.departments.append(DepartmentRecord(municipalityCode: code, name: section, parentName: bureauName, level: .section))
                for _ in 0..<programsPerSection {
                    var name = random.pick(topics) + random.pick(Self.suffixes)
                    var n = 2
                    while programNames.contains(name) {
                        name = name.replacingOccurrences(of: "事業", with: "") + "（第\(n)期）事業"
                        n += 1
                    }
                    programNames.insert(name)
                    let number = String(format: "%d%03d", bureauIndex + 1, programNames.count)
                    var program = ProgramRecord(municipalityCode: code, name: name, number: number, department: section,
                                                summary: "\(section)が実施する\(name.replacingOccurrences(of: "事業", with: ""))の取組（架空のデモデータ）。")
                    program.sdgGoals = Array(Set([random.int(1...17), random.int(1...17)])).sorted()
                    program.startFiscalYear = 2015 + random.int(0...5)
                    Self.describe(&program, index: programNames.count)
                    d.programs.append(program)
                    let measure = "\(policy)-\(random.int(1...min(4, topics.count)))"
                    d.planLinks.append(PlanLinkRecord(municipalityCode: code, plan: plan, nodeCode: measure, program: name, number: number,
                                                      summary: program.summary))
                    addIndicators(program: name, into: &d, random: &random)
                    addBudgets(program: name, into: &d, random: &random)
                }
            }
        }
        for year in Self.years {
            d.cycles.append(CycleRecord(municipalityCode: code, fiscalYear: year, phase: .published))
            for program in d.programs { d.sheets.append(SheetRecord(municipalityCode: code, fiscalYear: year, program: program.name, status: .published)) }
        }
        d.cycles.append(CycleRecord(municipalityCode: code, fiscalYear: Self.draftYear, phase: .input))
        for program in d.programs.prefix(20) {
            d.sheets.append(SheetRecord(municipalityCode: code, fiscalYear: Self.draftYear, program: program.name, status: .draft))
        }
        addEvaluations(into: &d, random: &random)
        addRegion(into: &d, random: &random)
        addManifestos(into: &d, random: &random)
        addInventoryReview(into: &d, random: &random)
        for (name, base, unit) in [("市税収入", 420, "億円"), ("ふるさと納税の受入金額", 12, "億円"), ("観光客数", 310, "万人")] {
            var value = Double(base)
            for year in Self.years {
                value *= random.factor(0.96, 1.06)
                d.headlineFigures.append(HeadlineFigureRecord(municipalityCode: code, fiscalYear: year, name: name,
                                                              valueRaw: String(format: "%.1f", value) + unit))
            }
        }
        return d
    }

    func addIndicators(program: String, into d: inout Dataset, random: inout Random) {
        let count = random.int(1...3)
        var used: Set<String> = []
        for _ in 0..<count {
            let kind = random.pick(Self.kpiKinds)
            guard used.insert(kind.name).inserted else { continue }
            let name = program.replacingOccurrences(of: "事業", with: "") + "の" + kind.name
            // A percentage stays a percentage: baselines of 40–75%, targets capped below 100%.
            let baseline = kind.unit == "%" ? random.int(40...75) : Int((Double(kind.base) * random.factor(0.5, 2.0)).rounded())
            var indicator = IndicatorRecord(municipalityCode: Self.code, owner: .program(name: program), name: name,
                                            direction: kind.lower ? .lowerIsBetter : .higherIsBetter, directionSource: .stated)
            indicator.kind = random.int(0...3) == 0 ? .activity : .outcome
            indicator.unit = kind.unit
            indicator.baselineRaw = "\(formatted(baseline))\(kind.unit)"
            indicator.baselineYear = 2019
            let final = kind.lower ? Int(Double(baseline) * 0.6) : (kind.unit == "%" ? min(95, baseline + 20) : Int(Double(baseline) * 1.4))
            indicator.finalTargetRaw = "\(formatted(final))\(kind.unit)\(kind.lower ? "以下" : "") (R11年度)"
            indicator.finalTargetYear = 2029
            d.indicators.append(indicator)
            for (step, year) in Self.years.enumerated() {
                let progress = Double(step + 1) / 10
                let target = kind.lower ? Double(baseline) * (1 - 0.4 * progress)
                    : (kind.unit == "%" ? Double(baseline) + Double(final - baseline) * progress * 2 : Double(baseline) * (1 + 0.4 * progress))
                let actual = kind.lower ? target * random.factor(0.8, 1.4) : target * random.factor(0.55, 1.3)
                var value = IndicatorValueRecord(municipalityCode: Self.code, owner: .program(name: program), indicatorName: name, fiscalYear: year)
                let cap = kind.unit == "%" ? 100.0 : .infinity
                value.targetRaw = "\(formatted(Int(min(target, cap).rounded())))\(kind.unit)"
                value.actualRaw = "\(formatted(Int(min(actual, cap).rounded())))\(kind.unit)"
                d.indicatorValues.append(value)
            }
        }
    }

    /// The demo city's 人件費 per hour of 延べ業務時間.
    static let hourlyPersonnelCost = Money(yen: 3_875)

    /// The demo city's checklist: the four classic viewpoints, each with its two judgements.
    static let viewpoints: [(name: String, good: String, review: String)] = [
        ("必要性", "必要性が高い", "必要性を見直す余地がある"),
        ("有効性", "成果が上がっている", "成果を高める余地がある"),
        ("効率性", "効率的である", "費用を下げる余地がある"),
        ("公平性", "受益と負担が公平である", "受益者負担を見直す余地がある"),
    ]

    /// 根拠法令, 区分, 予算科目, 目的 and 手段 of a demo program, from its place in the list (no
    /// random draw, so that the rest of the demo stays as it was).
    static func describe(_ program: inout ProgramRecord, index: Int) {
        let subject = program.name.replacingOccurrences(of: "事業", with: "")
        program.legalBasis = index % 3 == 0 ? "はなみ市\(subject)条例（架空）" : nil
        program.category = ["政策事業", "施設管理", "補助金等", "一般"][index % 4]
        program.periodKind = "単年度繰返"
        program.budgetAccounts = ["01-02-01-\(String(format: "%02d", index % 9 + 1))-\(program.number ?? "0000")"]
        program.purposeTarget = "\(subject)の対象となる市民・団体"
        program.purposeIntent = "\(subject)を利用し、暮らしの課題が解決する。"
        program.purposeResult = "施策の目標の達成に寄与する。"
        program.meansPreviousYear = "・\(subject)を実施した（架空のデモデータ）。"
        program.meansThisYear = "・\(subject)を引き続き実施する。"
    }

    /// 期待成果 from the direction, and the checklist's judgements from the evaluation's place.
    static func judge(_ evaluation: inout EvaluationRecord, index: Int) {
        switch evaluation.direction {
        case "拡充": (evaluation.expectedOutcome, evaluation.expectedCost) = ("向上", "増加")
        case "縮小", "統合": (evaluation.expectedOutcome, evaluation.expectedCost) = ("維持", "削減")
        case "改善": (evaluation.expectedOutcome, evaluation.expectedCost) = ("向上", "維持")
        default: (evaluation.expectedOutcome, evaluation.expectedCost) = ("維持", "維持")
        }
        evaluation.viewpoints = viewpoints.enumerated().map { n, v in
            let good = (index + n) % 5 != 0
            return ViewpointJudgement(viewpoint: v.name, judgement: good ? v.good : v.review,
                                      reason: good ? "\(v.name)の観点から現在の手法が適切と判断した（架空のデモデータ）。" : "\(v.name)の観点から見直しを検討する（架空のデモデータ）。")
        }
    }

    func addBudgets(program: String, into d: inout Dataset, random: inout Random) {
        var budget = Double(random.int(2...400)) * 1_000_000
        for year in Self.years {
            budget *= random.factor(0.88, 1.12)
            let thousands = Int64((budget / 1_000).rounded())
            var line = BudgetRecord(municipalityCode: Self.code, program: program, fiscalYear: year)
            line.budget = Money(yen: thousands * 1_000)
            line.settlement = Money(yen: Int64(Double(thousands) * random.factor(0.8, 1.0)) * 1_000)
            line.personnelCost = Money(yen: Int64(random.int(1...40)) * 775_000)
            // 延べ業務時間 that give the 人件費 at the city's hourly cost, as real sheets state it.
            let hours = (line.personnelCost?.yen ?? 0) / Self.hourlyPersonnelCost.yen
            line.workHours = Decimal(hours)
            line.staffCount = Decimal(max(1, hours / 400))
            // The parts add up to the budget, to the 千円, as a sheet's do.
            let general = (line.budget?.yen ?? 0) * Int64(random.int(40...100)) / 100 / 1_000 * 1_000
            line.general = Money(yen: general)
            line.national = Money(yen: (line.budget?.yen ?? 0) - general)
            d.budgets.append(line)
        }
    }

    func addEvaluations(into d: inout Dataset, random: inout Random) {
        let computed = Computations(d)
        let directions = ["継続", "継続", "継続", "改善", "拡充", "縮小", "統合", "完了"]
        for program in d.programs {
            for year in Self.years {
                var evaluation = EvaluationRecord(municipalityCode: Self.code, subject: .program(name: program.name), fiscalYear: year, stage: .selfAssessment)
                let rates = computed.programRates(municipality: Self.code, program: program.name, fiscalYear: year)
                let suggested = GradeScale.evaluation.suggestedGrade(forRates: rates)?.label ?? "概ね順調"
                // Evaluators mostly follow the suggestion, sometimes a step off.
                let index = GradeScale.evaluation.grades.firstIndex { $0.label == suggested } ?? 2
                let shifted = min(max(index + (random.int(0...9) == 0 ? random.pick([-1, 1]) : 0), 0), GradeScale.evaluation.grades.count - 1)
                evaluation.grade = GradeScale.evaluation.grades[shifted].label
                evaluation.direction = random.pick(directions)
                evaluation.comment = "\(FiscalYear(year).japanese)は計画に沿って取り組んだ（架空のデモデータ）。"
                evaluation.improvement = random.int(0...2) == 0 ? "事業手法を見直し、対象者への周知を強化する。" : nil
                evaluation.author = program.department
                Self.judge(&evaluation, index: d.evaluations.count)
                d.evaluations.append(evaluation)
            }
        }
    }

    func addRegion(into d: inout Dataset, random: inout Random) {
        let regionName = "はなみ連携中枢都市圏（架空）"
        var region = RegionRecord(municipalityCode: Self.code, name: regionName, centralCity: Self.name)
        let towns = ["さくら町（架空）", "かえで市（架空）", "みなと町（架空）", "あおば村（架空）", "ひばり市（架空）"]
        region.members = [Self.name] + towns
        region.startFiscalYear = 2026
        region.endFiscalYear = 2030
        d.regions = [region]
        let projects: [(String, String, String)] = [
            ("(1) 圏域全体の経済成長のけん引", "a 産業振興", "圏域創業支援ネットワーク事業"),
            ("(1) 圏域全体の経済成長のけん引", "b 観光", "圏域周遊観光ルート整備事業"),
            ("(2) 高次の都市機能の集積・強化", "c 医療", "圏域救急医療連携事業"),
            ("(2) 高次の都市機能の集積・強化", "d 交通", "圏域コミュニティバス共同運行事業"),
            ("(3) 圏域全体の生活関連機能サービスの向上", "e 災害対策", "広域避難受入れ協定事業"),
            ("(3) 圏域全体の生活関連機能サービスの向上", "f 環境", "ごみ処理広域化検討事業"),
            ("(3) 圏域全体の生活関連機能サービスの向上", "g 人材育成", "圏域職員合同研修事業"),
            ("(3) 圏域全体の生活関連機能サービスの向上", "g 人材育成", "圏域DX人材育成事業"),
        ]
        for (index, (field, category, name)) in projects.enumerated() {
            var project = CollaborationProjectRecord(municipalityCode: Self.code, region: regionName, policyField: field, agreementCategory: category, name: name)
            project.content = "\(name.replacingOccurrences(of: "事業", with: ""))を圏域の市町村と共同で進める（架空のデモデータ）。"
            project.effects = ["圏域住民の利便性向上", "事務の効率化"]
            if index % 3 == 0 {
                project.allMembers = true
                project.partnersText = "全市町村"
            } else {
                project.partners = Array(towns.shuffled(using: &random).prefix(random.int(2...4)))
                project.partnersText = project.partners.joined(separator: "、")
            }
            project.costSharing = ["原則として\(Self.name)が負担する。", "費用が見込まれるときは連携市町村と協議する。"]
            d.collaborationProjects.append(project)
            for year in 2026...2030 {
                d.collaborationCosts.append(CollaborationCostRecord(municipalityCode: Self.code, region: regionName, agreementCategory: category,
                                                                    project: name, fiscalYear: year, amountRaw: formatted(random.int(300...20_000))))
            }
            d.collaborationRoles.append(CollaborationRoleRecord(municipalityCode: Self.code, region: regionName, agreementCategory: category,
                                                                project: name, party: Self.name, role: ["事業を推進する。", "住民へ周知する。"]))
            d.collaborationRoles.append(CollaborationRoleRecord(municipalityCode: Self.code, region: regionName, agreementCategory: category,
                                                                project: name, party: "連携市町村", role: ["事業に協力する。"]))
            var kpi = IndicatorRecord(municipalityCode: Self.code, owner: .collaborationProject(region: regionName, category: category, name: name),
                                      name: "\(name.replacingOccurrences(of: "事業", with: ""))の実施件数", direction: .higherIsBetter, directionSource: .stated)
            kpi.baselineRaw = "\(random.int(0...10))件（令和7年度）"
            kpi.finalTargetRaw = "\(random.int(12...40))件（令和12年度）"
            d.indicators.append(kpi)
        }
    }

    func addManifestos(into d: inout Dataset, random: inout Random) {
        for bureau in Self.bureaus.prefix(3).map(\.0) {
            var manifesto = ManifestoRecord(municipalityCode: Self.code, department: bureau, fiscalYear: 2024)
            manifesto.headTitle = "局長"
            manifesto.headName = "架空 太郎"
            manifesto.contact = "000-0000-0000（架空）"
            d.manifestos.append(manifesto)
            for number in 1...3 {
                var goal = ManifestoGoalRecord(municipalityCode: Self.code, department: bureau, fiscalYear: 2024, number: number,
                                               title: "\(bureau)の重点目標\(number)（架空）")
                goal.heading = "市民サービスの向上"
                goal.background = "これまでの取組の経緯（架空のデモデータ）。"
                goal.currentAnalysis = "現状の分析（架空のデモデータ）。"
                goal.issues = "課題（架空のデモデータ）。"
                goal.targetFigures = "利用者満足度\(random.int(70...90))%"
                goal.achievedState = "市民が変化を実感している状態。"
                goal.meansAndProcess = "第1四半期に計画\n第2四半期から実施\n年度末に検証"
                goal.selfGrade = GradeScale.manifesto.grades[random.int(0...4)].label
                goal.selfReason = "年度末の検証結果による（架空のデモデータ）。"
                d.manifestoGoals.append(goal)
            }
        }
    }

    func addInventoryReview(into d: inout Dataset, random: inout Random) {
        let results = InventoryResult.allCases
        for program in d.programs where random.int(0...6) == 0 {
            var review = InventoryReviewRecord(municipalityCode: Self.code, program: program.name, fiscalYear: 2023, reviewRound: "2023",
                                               result: random.pick(results))
            review.viewpoints = Array(Set((0..<random.int(1...3)).map { _ in random.int(1...6) })).sorted()
            review.saving = review.result == .continue ? nil : Money(yen: Int64(random.int(1...300)) * 100_000)
            review.note = "棚卸しの結果（架空のデモデータ）。"
            d.inventoryReviews.append(review)
        }
    }

    func formatted(_ value: Int) -> String { SyntheticWorkbooks.grouped(value) }
}

extension DemoCity.Random: RandomNumberGenerator {}
