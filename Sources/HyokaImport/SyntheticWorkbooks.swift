import Foundation
import HyokaCore

/// Fictional municipalities at any scale, for benchmarks (`hyoka generate`): each one a
/// workbook with departments, a three-level plan tree, programs with Japanese names and
/// summaries, 3–5 KPIs per program with five years of targets and actuals, budgets,
/// self-evaluations with grades, published cycles and sheets, an inventory review and
/// headline figures. Municipality `i` depends only on (seed, i, programs), so a prefecture
/// of 60 contains the city of 1 as its first member, and any one can be made alone.
public struct SyntheticWorkbooks: Sendable {
    public static let years = Array(2020...2024)
    public static let maximumMunicipalities = prefectures.count * codesPerPrefecture

    public var municipalities: Int
    public var programs: Int
    public var seed: UInt64

    public init(municipalities: Int, programs: Int, seed: UInt64) {
        self.municipalities = municipalities
        self.programs = programs
        self.seed = seed
    }

    // MARK: codes and names

    /// No real municipality has a code 900–998 after its prefecture's two digits, so these
    /// are valid 団体コード (with check digits) that cannot be mistaken for a real place.
    static let codesPerPrefecture = 99
    /// 東京都 first (as the demo city), then the other prefectures in order.
    static let prefectures: [(code: Int, name: String)] = {
        let names = ["北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県",
                     "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県",
                     "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
                     "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県"]
        let all = names.enumerated().map { (code: $0.offset + 1, name: $0.element) }
        return [all[12]] + all.filter { $0.code != 13 }
    }()

    /// The 団体コード of municipality `index` (0-based).
    public func code(of index: Int) -> String {
        precondition(index >= 0 && index < Self.maximumMunicipalities, "at most \(Self.maximumMunicipalities) synthetic municipalities")
        let prefecture = Self.prefectures[index / Self.codesPerPrefecture]
        let five = String(format: "%02d%03d", prefecture.code, 900 + index % Self.codesPerPrefecture)
        // swiftlint:disable:next force_try
        return try! MunicipalityCode(withoutCheckDigit: five).value
    }

    static let placeNames = ["あさひ", "みどり", "ひかり", "さくら", "かえで", "つばさ", "しらかわ", "みなみ", "きよせ", "なぎさ", "あおい", "ときわ",
                             "はるな", "こまち", "いずみ", "わかば", "すずか", "ほしの", "ゆうき", "みずほ"]
    static let placeKinds = ["市", "町", "市", "村", "市"]

    func name(of index: Int) -> String {
        let place = Self.placeNames[index % Self.placeNames.count]
        let kind = Self.placeKinds[(index / Self.placeNames.count) % Self.placeKinds.count]
        let round = index / (Self.placeNames.count * Self.placeKinds.count)
        return place + (round == 0 ? "" : "第\(round + 1)") + kind + "（架空）"
    }

    // MARK: vocabulary

    static let bureaus: [(name: String, sections: [String], topics: [String])] = [
        ("総務局", ["総務課", "人事課", "情報政策課", "危機管理課"], ["行政改革", "職員研修", "デジタル化", "危機管理", "広報", "市民相談"]),
        ("市民文化局", ["地域振興課", "文化振興課", "スポーツ推進課", "多文化共生課", "男女共同参画課"], ["地域づくり", "文化芸術", "スポーツ", "多文化共生", "市民活動", "図書館"]),
        ("子ども家庭局", ["子育て支援課", "保育課", "青少年課", "こども相談課"], ["子育て", "保育", "放課後児童", "青少年育成", "児童虐待防止", "ひとり親支援"]),
        ("保健福祉局", ["健康推進課", "高齢者支援課", "障害福祉課", "地域医療課", "生活支援課"], ["健康づくり", "介護予防", "障害者就労", "地域医療", "がん検診", "認知症支援"]),
        ("環境局", ["環境政策課", "循環社会課", "公園緑地課", "環境保全課"], ["脱炭素", "ごみ減量", "緑化", "水辺環境", "省エネルギー", "環境学習"]),
        ("産業経済局", ["企業立地課", "観光課", "農林水産課", "雇用政策課", "商業振興課"], ["企業誘致", "観光振興", "地産地消", "創業支援", "中小企業支援", "就労支援"]),
        ("都市整備局", ["都市計画課", "道路課", "住宅課", "交通政策課", "河川課"], ["都市計画", "道路維持", "空き家対策", "公共交通", "河川改修", "橋りょう長寿命化"]),
        ("消防局", ["予防課", "警防課", "救急課"], ["防災", "防犯灯", "救急医療", "消防団", "火災予防", "避難所運営"]),
        ("教育委員会", ["学校教育課", "生涯学習課", "教育施設課", "学校保健課"], ["学力向上", "いじめ対策", "生涯学習", "学校施設", "給食", "特別支援教育"]),
    ]
    static let policies = ["誰もが安心して暮らせるまち", "市民が活躍するまち", "子どもと若者が育つまち", "健やかに長生きできるまち",
                           "環境と共生するまち", "にぎわいと仕事のあるまち", "快適で住みやすいまち", "災害に強いまち", "学びが広がるまち"]
    static let romanNumerals = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
    static let audiences = ["市民", "地域", "子ども", "高齢者", "若者", "事業者", "広域", "多世代", "女性", "外国人住民", "障害者", "農業者"]
    static let suffixes = ["推進事業", "支援事業", "整備事業", "啓発事業", "促進事業", "充実事業", "強化事業", "活用事業", "運営事業", "補助事業"]
    static let activities = ["相談窓口を運営する", "補助金を交付する", "講座と研修を開催する", "施設を維持管理する", "広報と啓発を行う",
                             "専門職を派遣する", "関係団体と協議会を運営する", "調査を行い計画を改定する"]
    static let purposes = ["安心して暮らせる環境をつくる", "参加の機会を広げる", "費用負担を軽くする", "地域の担い手を育てる",
                           "利用しやすいサービスにする", "将来の負担を減らす"]
    static let kpiKinds: [(name: String, unit: String, base: Int, lower: Bool)] = [
        ("参加者数", "人", 1_200, false), ("利用者数", "人", 8_000, false), ("満足度", "%", 70, false), ("実施件数", "件", 40, false),
        ("相談件数", "件", 300, false), ("待機者数", "人", 60, true), ("苦情件数", "件", 90, true), ("登録団体数", "団体", 50, false),
        ("認知度", "%", 45, false), ("延べ利用回数", "回", 20_000, false),
    ]
    static let directions = ["継続", "継続", "継続", "改善", "拡充", "縮小", "統合", "完了"]

    // MARK: one municipality

    /// The workbook of municipality `index`.
    // swiftlint:disable:next function_body_length
    public func dataset(municipality index: Int) -> Dataset {
        var random = DemoCity.Random(state: seed &+ UInt64(index) &* 0x2545_F491_4F6C_DD1D)
        let code = code(of: index)
        let cityName = name(of: index)
        let prefecture = Self.prefectures[index / Self.codesPerPrefecture]
        var d = Dataset()
        var city = MunicipalityRecord(code: code, name: cityName, prefecture: prefecture.name)
        city.lowerIsBetterFormula = index % 2 == 0 ? .twoMinusRatio : .inverseRatio
        d.municipalities = [city]
        let plan = "\(cityName.replacingOccurrences(of: "（架空）", with: ""))総合計画（架空）"
        d.plans = [PlanRecord(municipalityCode: code, name: plan, startFiscalYear: 2020, endFiscalYear: 2029)]

        // Plan tree: 政策 → 施策 → 基本事業, one 政策 per bureau; programs hang from 基本事業.
        var leaves: [[String]] = []
        for (b, bureau) in Self.bureaus.enumerated() {
            let numeral = Self.romanNumerals[b]
            d.planNodes.append(PlanNodeRecord(municipalityCode: code, plan: plan, code: numeral, title: Self.policies[b], level: "政策"))
            var bureauLeaves: [String] = []
            for (m, topic) in bureau.topics.prefix(4).enumerated() {
                let measure = "\(numeral)-\(m + 1)"
                d.planNodes.append(PlanNodeRecord(municipalityCode: code, plan: plan, code: measure, parentCode: numeral,
                                                  title: "\(topic)の充実", level: "施策"))
                for n in 1...3 {
                    let leaf = "\(measure)-(\(n))"
                    d.planNodes.append(PlanNodeRecord(municipalityCode: code, plan: plan, code: leaf, parentCode: measure,
                                                      title: "\(Self.audiences[(m * 3 + n) % Self.audiences.count])の\(topic)", level: "基本事業"))
                    bureauLeaves.append(leaf)
                }
            }
            leaves.append(bureauLeaves)
            d.departments.append(DepartmentRecord(municipalityCode: code, name: bureau.name, level: .bureau))
            for section in bureau.sections {
                d.departments.append(DepartmentRecord(municipalityCode: code, name: section, parentName: bureau.name, level: .section))
            }
        }

        // Programs, dealt round-robin over the sections so every section has some.
        let sections = Self.bureaus.enumerated().flatMap { b, bureau in bureau.sections.map { (bureau: b, name: $0) } }
        var names: Set<String> = []
        for p in 0..<programs {
            let section = sections[p % sections.count]
            let bureau = Self.bureaus[section.bureau]
            let topic = random.pick(bureau.topics)
            let audience = random.pick(Self.audiences)
            var name = audience + topic + random.pick(Self.suffixes)
            if !names.insert(name).inserted {
                var n = 2
                let stem = String(name.dropLast(2))
                while !names.insert("\(stem)（第\(n)期）事業").inserted { n += 1 }
                name = "\(stem)（第\(n)期）事業"
            }
            let number = String(format: "%02d%05d", section.bureau + 1, p + 1)
            let summary = "\(section.name)が\(audience)を対象に\(topic)の\(random.pick(Self.activities))。\(random.pick(Self.purposes))ことを目的とする（架空のデータ）。"
            var program = ProgramRecord(municipalityCode: code, name: name, number: number, department: section.name, summary: summary)
            program.sdgGoals = Array(Set([random.int(1...17), random.int(1...17)])).sorted()
            program.startFiscalYear = 2005 + random.int(0...15)
            d.programs.append(program)
            d.planLinks.append(PlanLinkRecord(municipalityCode: code, plan: plan, nodeCode: random.pick(leaves[section.bureau]),
                                              program: name, number: number, summary: summary))
            addIndicators(program: name, municipality: code, into: &d, random: &random)
            addBudgets(program: name, municipality: code, into: &d, random: &random)
            if random.int(0...6) == 0 {
                var review = InventoryReviewRecord(municipalityCode: code, program: name, fiscalYear: 2023, reviewRound: "2023",
                                                   result: random.pick(InventoryResult.allCases))
                review.viewpoints = Array(Set((0..<random.int(1...3)).map { _ in random.int(1...6) })).sorted()
                review.saving = review.result == .continue ? nil : Money(yen: Int64(random.int(1...300)) * 100_000)
                review.note = "棚卸しの結果（架空のデータ）。"
                d.inventoryReviews.append(review)
            }
        }
        for year in Self.years {
            d.cycles.append(CycleRecord(municipalityCode: code, fiscalYear: year, phase: .published))
            for program in d.programs {
                d.sheets.append(SheetRecord(municipalityCode: code, fiscalYear: year, program: program.name, status: .published))
            }
        }
        addEvaluations(municipality: code, into: &d, random: &random)
        for (figure, base, unit) in [("市税収入", 200 + index % 300, "億円"), ("ふるさと納税の受入金額", 3 + index % 20, "億円"), ("観光客数", 50 + index % 400, "万人")] {
            var value = Double(base)
            for year in Self.years {
                value *= random.factor(0.96, 1.06)
                d.headlineFigures.append(HeadlineFigureRecord(municipalityCode: code, fiscalYear: year, name: figure,
                                                              valueRaw: String(format: "%.1f", value) + unit))
            }
        }
        return d
    }

    func addIndicators(program: String, municipality code: String, into d: inout Dataset, random: inout DemoCity.Random) {
        let stem = program.replacingOccurrences(of: "事業", with: "")
        var kinds = Self.kpiKinds
        for k in 0..<random.int(3...5) {
            let kind = kinds.remove(at: random.int(0...(kinds.count - 1)))
            let name = stem + "の" + kind.name
            let baseline = kind.unit == "%" ? random.int(30...75) : Int((Double(kind.base) * random.factor(0.5, 2.0)).rounded())
            var indicator = IndicatorRecord(municipalityCode: code, owner: .program(name: program), name: name,
                                            direction: kind.lower ? .lowerIsBetter : .higherIsBetter, directionSource: .stated)
            indicator.kind = k == 0 ? .activity : .outcome
            indicator.unit = kind.unit
            indicator.baselineRaw = "\(Self.grouped(baseline))\(kind.unit)"
            indicator.baselineYear = 2019
            let final = kind.lower ? Int(Double(baseline) * 0.6) : (kind.unit == "%" ? min(95, baseline + 20) : Int(Double(baseline) * 1.4))
            indicator.finalTargetRaw = "\(Self.grouped(final))\(kind.unit)\(kind.lower ? "以下" : "") (R11年度)"
            indicator.finalTargetYear = 2029
            d.indicators.append(indicator)
            for (step, year) in Self.years.enumerated() {
                let progress = Double(step + 1) / 10
                let target = kind.lower ? Double(baseline) * (1 - 0.4 * progress)
                    : (kind.unit == "%" ? Double(baseline) + Double(final - baseline) * progress * 2 : Double(baseline) * (1 + 0.4 * progress))
                let actual = kind.lower ? target * random.factor(0.8, 1.4) : target * random.factor(0.55, 1.3)
                let cap = kind.unit == "%" ? 100.0 : .infinity
                var value = IndicatorValueRecord(municipalityCode: code, owner: .program(name: program), indicatorName: name, fiscalYear: year)
                value.targetRaw = "\(Self.grouped(Int(min(target, cap).rounded())))\(kind.unit)"
                value.actualRaw = "\(Self.grouped(Int(min(actual, cap).rounded())))\(kind.unit)"
                d.indicatorValues.append(value)
            }
        }
    }

    func addBudgets(program: String, municipality code: String, into d: inout Dataset, random: inout DemoCity.Random) {
        var budget = Double(random.int(2...400)) * 1_000_000
        for year in Self.years {
            budget *= random.factor(0.88, 1.12)
            let thousands = Int64((budget / 1_000).rounded())
            var line = BudgetRecord(municipalityCode: code, program: program, fiscalYear: year)
            line.budget = Money(yen: thousands * 1_000)
            line.settlement = Money(yen: Int64(Double(thousands) * random.factor(0.8, 1.0)) * 1_000)
            line.personnelCost = Money(yen: Int64(random.int(1...40)) * 775_000)
            let general = thousands * Int64(random.int(40...100)) / 100
            line.general = Money(yen: general * 1_000)
            line.national = Money(yen: (thousands - general) * 1_000)
            d.budgets.append(line)
        }
    }

    /// Grades follow the rates HyokaCore computes, as evaluators mostly do, one step off now and then.
    func addEvaluations(municipality code: String, into d: inout Dataset, random: inout DemoCity.Random) {
        let computed = Computations(d)
        let grades = GradeScale.evaluation.grades
        for program in d.programs {
            for year in Self.years {
                var evaluation = EvaluationRecord(municipalityCode: code, subject: .program(name: program.name), fiscalYear: year, stage: .selfAssessment)
                let rates = computed.programRates(municipality: code, program: program.name, fiscalYear: year)
                let suggested = GradeScale.evaluation.suggestedGrade(forRates: rates)?.label ?? "概ね順調"
                let at = grades.firstIndex { $0.label == suggested } ?? 2
                let shifted = min(max(at + (random.int(0...9) == 0 ? random.pick([-1, 1]) : 0), 0), grades.count - 1)
                evaluation.grade = grades[shifted].label
                evaluation.direction = random.pick(Self.directions)
                evaluation.comment = "\(FiscalYear(year).japanese)は計画に沿って取り組んだ（架空のデータ）。"
                evaluation.improvement = random.int(0...2) == 0 ? "事業手法を見直し、対象者への周知を強化する。" : nil
                evaluation.author = program.department
                d.evaluations.append(evaluation)
            }
        }
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (value < 0 ? "-" : "") + out
    }

    // MARK: files

    /// Writes one workbook folder per municipality, `DIR/<団体コード>/<table>.csv`, as many
    /// at a time as there are cores (memory holds that many municipalities, however many
    /// are asked for). The files do not depend on the order they are written in.
    public func write(to directory: URL, progress: (@Sendable (Int, Int) -> Void)? = nil) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let state = WriteState()
        let total = municipalities
        DispatchQueue.concurrentPerform(iterations: total) { index in
            guard !state.failed else { return }
            do {
                let folder = directory.appendingPathComponent(code(of: index), isDirectory: true)
                try WorkbookFiles.writeFolder(Workbook.tables(from: dataset(municipality: index)), to: folder)
                progress?(state.finishOne(), total)
            } catch {
                state.fail(error)
            }
        }
        if let error = state.error { throw error }
    }

    /// What the parallel writers share: how many are done, and the first error.
    private final class WriteState: @unchecked Sendable {
        private let lock = NSLock()
        private var done = 0
        private(set) var error: (any Error)?

        var failed: Bool { lock.withLock { error != nil } }

        func finishOne() -> Int {
            lock.withLock {
                done += 1
                return done
            }
        }

        func fail(_ error: any Error) {
            lock.withLock { if self.error == nil { self.error = error } }
        }
    }
}
