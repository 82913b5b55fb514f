import Foundation
import HyokaCore

/// The layouts Hyoka reads: its own workbook, and the published documents of the seeds.
public enum DocumentLayout: String, CaseIterable, Sendable {
    case workbook
    /// 主要事務事業 evaluation table (program-evaluation-table.txt).
    case programTable = "program-table"
    /// 施策評価 PDCA sheet (policy-pdca-sheet.txt).
    case pdcaSheet = "pdca-sheet"
    /// 連携中枢都市圏ビジョン collaboration cards (regional-collaboration-plan.txt).
    case collaborationPlan = "collaboration-plan"
    /// 部局マニフェスト (department-manifesto.txt).
    case manifesto
    /// 過去最高 headline figures (reform-overview.txt).
    case headlines

    /// Published documents: importing one marks its cycle 公表 unless `--draft`.
    public var isPublishedDocument: Bool { self != .workbook }
}

/// What the caller knows that a document may not say.
public struct ReadOptions: Sendable {
    /// 団体コード; for published documents the default is 北九州市 (401005), reported.
    public var municipalityCode: String?
    public var fiscalYear: Int?
    /// Import published documents as drafts instead of published sheets.
    public var draft: Bool

    public init(municipalityCode: String? = nil, fiscalYear: Int? = nil, draft: Bool = false) {
        self.municipalityCode = municipalityCode
        self.fiscalYear = fiscalYear
        self.draft = draft
    }
}

/// Helpers shared by the readers of published documents.
enum PublishedDocument {
    /// The municipality a document is imported for: `--municipality`, else nil with an
    /// error saying to give it. A published document rarely names its own municipality in a
    /// form a reader can trust (the manifesto seed is 伊賀市's, told only by its 0595
    /// telephone number), so no municipality is assumed.
    static func municipality(_ options: ReadOptions, into result: inout ReadResult, file: String) -> String? {
        if let code = options.municipalityCode { return code }
        result.issues.append(.error(at: SourceLocation(file: file),
                                    "この資料の団体が指定されていません。--municipality で団体コードを指定してください（例: --municipality 401005 で北九州市）",
                                    "the document's municipality is not given; give its code with --municipality, e.g. --municipality 401005 for Kitakyushu"))
        return nil
    }

    /// The fiscal year a document that does not state it is for: the option, else an
    /// error asking for `--fiscal-year`.
    static func fiscalYear(_ options: ReadOptions, into result: inout ReadResult, file: String) -> Int? {
        if let year = options.fiscalYear { return year }
        result.issues.append(.error(at: SourceLocation(file: file),
                                    "この資料には数値の年度が書かれていません。--fiscal-year で年度（例: 2024 または 令和6年度）を指定してください",
                                    "the document does not state the fiscal year of its figures; give it with --fiscal-year, e.g. 2024"))
        return nil
    }

    /// A cell as text: HTML tags dropped (list items become lines), extraction breaks joined.
    static func text(_ cell: String) -> String {
        lines(cell).joined(separator: "\n")
    }

    /// The items of a cell: `<li>` items, else the cell as one item.
    static func lines(_ cell: String) -> [String] {
        var text = cell
        let breaks = ["</li>", "<br>", "<br/>", "<br />", "</p>"]
        for tag in breaks { text = text.replacingOccurrences(of: tag, with: "\n", options: .caseInsensitive) }
        // Items run together with ` ・` are a list: one item a line.
        text = text.replacingOccurrences(of: "\\s+・", with: "\n・", options: .regularExpression)
        text = text.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
        for (entity, character) in [("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text.split(separator: "\n").map { line in
            var item = JapaneseText.unwrap(String(line))
            // Bullets printed inside list items.
            while let first = item.first, "・●○■□◆◇-–".contains(first) { item.removeFirst() }
            return item.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
    }

    /// Whitespace runs collapsed to one space, ends trimmed, width kept (`藪中 英行`).
    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The non-empty cells of a row with their 1-based columns.
    static func cells(_ row: [String]) -> [(column: Int, text: String)] {
        row.enumerated().compactMap { i, cell in
            let trimmed = cell.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : (i + 1, trimmed)
        }
    }

    /// Marks a document's fiscal year published (or draft) for the programs read.
    static func cycle(for programs: [String], municipality: String, fiscalYear: Int, options: ReadOptions, into d: inout Dataset) {
        d.cycles.append(CycleRecord(municipalityCode: municipality, fiscalYear: fiscalYear, phase: options.draft ? .input : .published))
        for program in programs {
            d.sheets.append(SheetRecord(municipalityCode: municipality, fiscalYear: fiscalYear, program: program, status: options.draft ? .draft : .published))
        }
    }

    /// Infers the direction of an indicator from its targets and the published rate.
    static func direction(baseline: String, targets: [String], finalTarget: String, published: [(target: String, actual: String, rate: String)])
        -> (IndicatorDirection, DirectionSource)
    {
        let evidence = DirectionInference.Evidence(
            baseline: Measure.parse(baseline), targets: targets.map(Measure.parse), finalTarget: Measure.parse(finalTarget),
            published: published.map { (Measure.parse($0.target), Measure.parse($0.actual), Measure.parse($0.rate)) })
        let outcome = DirectionInference.infer(evidence)
        return (outcome.direction, outcome.decidedByPublishedRate ? .published : .inferred)
    }
}
