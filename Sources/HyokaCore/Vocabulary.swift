import Foundation

/// The fixed vocabularies of the evaluation cycle. Each case has its Japanese label (as
/// printed and as written in workbooks) and an English one.
public protocol JapaneseLabelled: RawRepresentable, CaseIterable, Sendable where RawValue == String {
    var japanese: String { get }
    var english: String { get }
}

extension JapaneseLabelled {
    /// Reads the raw value, the Japanese label or the English label.
    public init?(label: String) {
        let key = JapaneseText.compact(label)
        guard let match = Self.allCases.first(where: {
            $0.rawValue == key || JapaneseText.compact($0.japanese) == key || $0.english.lowercased() == key.lowercased()
        }) else { return nil }
        self = match
    }
}

/// 評価の段階: who evaluated.
public enum EvaluationStage: String, JapaneseLabelled, Codable {
    /// 自己評価 (the section itself)
    case selfAssessment = "self"
    /// 一次評価 (the bureau)
    case primary
    /// 二次評価 (the planning division)
    case secondary
    /// 外部評価 (the external committee)
    case external

    public var japanese: String {
        switch self {
        case .selfAssessment: "自己評価"
        case .primary: "一次評価"
        case .secondary: "二次評価"
        case .external: "外部評価"
        }
    }

    public var english: String {
        switch self {
        case .selfAssessment: "Self"
        case .primary: "Primary"
        case .secondary: "Secondary"
        case .external: "External"
        }
    }
}

/// サイクルの段階: 準備 → 入力 → 審査 → 確定 → 公表.
public enum CyclePhase: String, JapaneseLabelled, Codable {
    case preparation, input, review, finalized, published

    public var japanese: String {
        switch self {
        case .preparation: "準備"
        case .input: "入力"
        case .review: "審査"
        case .finalized: "確定"
        case .published: "公表"
        }
    }

    public var english: String {
        switch self {
        case .preparation: "Preparation"
        case .input: "Input"
        case .review: "Review"
        case .finalized: "Finalized"
        case .published: "Published"
        }
    }
}

/// シートの状態: 下書き, 提出, 差戻し, 承認, 公表.
public enum SheetState: String, JapaneseLabelled, Codable {
    case draft, submitted, returned, approved, published

    public var japanese: String {
        switch self {
        case .draft: "下書き"
        case .submitted: "提出"
        case .returned: "差戻し"
        case .approved: "承認"
        case .published: "公表"
        }
    }

    public var english: String {
        switch self {
        case .draft: "Draft"
        case .submitted: "Submitted"
        case .returned: "Returned"
        case .approved: "Approved"
        case .published: "Published"
        }
    }
}

/// 指標の種類: 成果指標, 活動指標, or 対象指標 (the size of the program's target population,
/// as real 事務事業評価シート print beside the other two: not a target value).
public enum IndicatorKind: String, JapaneseLabelled, Codable {
    case outcome, activity, target

    public var japanese: String {
        switch self {
        case .outcome: "成果指標"
        case .activity: "活動指標"
        case .target: "対象指標"
        }
    }

    public var english: String {
        switch self {
        case .outcome: "Outcome"
        case .activity: "Activity"
        case .target: "Target population"
        }
    }
}

/// Where an indicator's direction came from.
public enum DirectionSource: String, JapaneseLabelled, Codable {
    /// Written in the sheet or entered by staff.
    case stated
    /// From the targets' words and trend.
    case inferred
    /// Decided by a published rate that only one direction reproduces.
    case published

    public var japanese: String {
        switch self {
        case .stated: "明示"
        case .inferred: "推定"
        case .published: "公表値から判定"
        }
    }

    public var english: String {
        switch self {
        case .stated: "Stated"
        case .inferred: "Inferred"
        case .published: "From the published rate"
        }
    }
}

/// 棚卸しの結果.
public enum InventoryResult: String, JapaneseLabelled, Codable {
    case abolish, reduce, merge, revise, `continue`

    public var japanese: String {
        switch self {
        case .abolish: "廃止"
        case .reduce: "縮小"
        case .merge: "統合"
        case .revise: "手法見直し"
        case .continue: "継続"
        }
    }

    public var english: String {
        switch self {
        case .abolish: "Abolish"
        case .reduce: "Reduce"
        case .merge: "Merge"
        case .revise: "Revise method"
        case .continue: "Continue"
        }
    }
}

/// 組織の階層.
public enum DepartmentLevel: String, JapaneseLabelled, Codable {
    case bureau, department, section

    public var japanese: String {
        switch self {
        case .bureau: "局"
        case .department: "部"
        case .section: "課"
        }
    }

    public var english: String {
        switch self {
        case .bureau: "Bureau"
        case .department: "Department"
        case .section: "Section"
        }
    }

    /// The level a department's name implies: `…局`, `…部`, else a section (課, 室, 事務所).
    public static func implied(byName name: String) -> DepartmentLevel {
        if name.hasSuffix("局") { return .bureau }
        if name.hasSuffix("部") { return .department }
        return .section
    }
}
