import Foundation

/// Which way an indicator improves.
public enum IndicatorDirection: String, CaseIterable, Sendable, Codable {
    /// 上昇が望ましい: more is better (participants, satisfaction).
    case higherIsBetter
    /// 減少が望ましい: less is better (crime count, facility floor area).
    case lowerIsBetter
    /// 定性: no rate is computed (a grade, a statement, a rank reported without a rate).
    case qualitative

    public var japanese: String {
        switch self {
        case .higherIsBetter: "高いほど良い"
        case .lowerIsBetter: "低いほど良い"
        case .qualitative: "定性"
        }
    }
}

/// How a lower-is-better rate is computed. Municipalities differ; the default reproduces
/// the published crime-count KPI (target 6,044, actual 6,482 → 92.8%).
public enum LowerIsBetterFormula: String, CaseIterable, Sendable, Codable {
    /// (2 − actual ÷ target) × 100
    case twoMinusRatio
    /// target ÷ actual × 100
    case inverseRatio

    public static let `default`: LowerIsBetterFormula = .twoMinusRatio
}

/// 達成率, in percent, rounded half up to one decimal and never capped (362.0% occurs).
public enum AchievementRate {
    /// Why no rate could be computed; shown as "—".
    public enum Missing: String, Error, Equatable, Sendable, CaseIterable {
        case qualitative
        case noNumericTarget
        case noNumericActual
        case zeroTarget
        case zeroActual
    }

    public typealias Result = Swift.Result<Decimal, Missing>

    /// The number a target stands for: its value; for a relative target the base value it
    /// states (`R5年度比増（R5：81.4%）` → 81.4), else the baseline when the target is relative
    /// to the baseline's year (`R5年比減` with baseline 6,044 in R5), else the previous
    /// year's actual for 前年度比.
    public static func effectiveTarget(_ target: Measure, baseline: Measure? = nil, previousActual: Measure? = nil) -> Decimal? {
        switch target.kind {
        case .number:
            return target.value
        case .relative:
            if let value = target.reference?.value { return value }
            if target.reference?.isPreviousYear == true { return previousActual?.numericValue }
            if let baselineValue = baseline?.numericValue {
                // A relative target names the year of its base; a baseline of another
                // year is not that base.
                if let referenceYear = target.reference?.year?.year, let baselineYear = baseline?.year?.year, referenceYear != baselineYear {
                    return nil
                }
                return baselineValue
            }
            return nil
        default:
            return nil
        }
    }

    public static func compute(
        target: Measure,
        actual: Measure,
        direction: IndicatorDirection,
        formula: LowerIsBetterFormula = .default,
        baseline: Measure? = nil,
        previousActual: Measure? = nil
    ) -> Result {
        if direction == .qualitative { return .failure(.qualitative) }
        guard let targetValue = effectiveTarget(target, baseline: baseline, previousActual: previousActual) else {
            return .failure(.noNumericTarget)
        }
        guard actual.kind == .number, let actualValue = actual.value else {
            return .failure(.noNumericActual)
        }
        return rate(target: targetValue, actual: actualValue, direction: direction, formula: formula)
    }

    public static func rate(target: Decimal, actual: Decimal, direction: IndicatorDirection, formula: LowerIsBetterFormula = .default) -> Result {
        switch direction {
        case .qualitative:
            return .failure(.qualitative)
        case .higherIsBetter:
            guard target != 0 else { return .failure(.zeroTarget) }
            return .success(round(actual / target * 100))
        case .lowerIsBetter:
            switch formula {
            case .twoMinusRatio:
                guard target != 0 else { return .failure(.zeroTarget) }
                return .success(round((2 - actual / target) * 100))
            case .inverseRatio:
                guard actual != 0 else { return .failure(.zeroActual) }
                return .success(round(target / actual * 100))
            }
        }
    }

    /// Half up to one decimal: 94.68 → 94.7, 92.75 → 92.8.
    public static func round(_ value: Decimal) -> Decimal {
        var result = Decimal()
        var source = value
        NSDecimalRound(&result, &source, 1, .plain)
        return result
    }

    /// `94.7%`, `362.0%`, `49,243.4%`, or `—`.
    public static func format(_ result: Result) -> String {
        switch result {
        case let .success(rate): format(rate)
        case .failure: "—"
        }
    }

    private static let percentFormatter = SharedNumberFormatter { formatter in
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = ","
        formatter.usesGroupingSeparator = true
        formatter.minimumFractionDigits = 1
        formatter.maximumFractionDigits = 1
    }

    public static func format(_ rate: Decimal) -> String {
        (percentFormatter.string(from: NSDecimalNumber(decimal: rate)) ?? "\(rate)") + "%"
    }
}

/// Infers an indicator's direction where the sheet does not state it (DESIGN "Domain rules").
public enum DirectionInference {
    /// Words in a target that mean smaller is better.
    public static let lowerKeywords = ["減", "以下", "以内", "未満", "削減", "抑制", "短縮"]

    public struct Evidence: Sendable {
        public var baseline: Measure?
        /// Yearly targets in year order, then the final (mid-term) target.
        public var targets: [Measure]
        public var finalTarget: Measure?
        /// Pairs of (target, actual, published rate text) as printed, to test both directions.
        public var published: [(target: Measure, actual: Measure, rate: Measure)]

        public init(baseline: Measure? = nil, targets: [Measure] = [], finalTarget: Measure? = nil,
                    published: [(target: Measure, actual: Measure, rate: Measure)] = []) {
            self.baseline = baseline
            self.targets = targets
            self.finalTarget = finalTarget
            self.published = published
        }
    }

    public struct Outcome: Equatable, Sendable {
        public var direction: IndicatorDirection
        /// Set when a published rate overruled the textual rules: lint reports it.
        public var decidedByPublishedRate: Bool
    }

    public static func infer(_ evidence: Evidence, formula: LowerIsBetterFormula = .default) -> Outcome {
        let byRules = inferFromTargets(evidence)
        // A published rate that only one direction reproduces decides.
        for entry in evidence.published {
            if entry.rate.kind == .dash, entry.target.kind == .number, entry.actual.kind == .number {
                // Both numbers given and the sheet printed no rate: it does not rate this KPI.
                return Outcome(direction: .qualitative, decidedByPublishedRate: byRules != .qualitative)
            }
            guard entry.rate.kind == .number, let printed = entry.rate.value else { continue }
            let fits = { (direction: IndicatorDirection) -> Bool in
                let result = AchievementRate.compute(target: entry.target, actual: entry.actual, direction: direction,
                                                     formula: formula, baseline: evidence.baseline)
                return (try? result.get()) == printed
            }
            let higher = fits(.higherIsBetter), lower = fits(.lowerIsBetter)
            if higher != lower {
                let direction: IndicatorDirection = higher ? .higherIsBetter : .lowerIsBetter
                return Outcome(direction: direction, decidedByPublishedRate: direction != byRules)
            }
        }
        return Outcome(direction: byRules, decidedByPublishedRate: false)
    }

    static func inferFromTargets(_ evidence: Evidence) -> IndicatorDirection {
        let all = evidence.targets + [evidence.finalTarget].compactMap { $0 }
        let meaningful = all.filter { $0.kind != .dash && $0.kind != .empty && $0.kind != .noTarget }
        if meaningful.isEmpty { return .qualitative }
        if meaningful.allSatisfy({ $0.kind == .grade || $0.kind == .text || $0.kind == .none }) { return .qualitative }
        // A comparator says it outright: `330人以上` is higher-is-better even below a
        // baseline of 343; `R5年比減`, `約20%削減` are lower-is-better.
        for target in meaningful {
            if let comparator = target.comparator {
                return comparator.impliesLowerIsBetter ? .lowerIsBetter : .higherIsBetter
            }
            let text = JapaneseText.compact(target.raw)
            if lowerKeywords.contains(where: { text.contains($0) }) { return .lowerIsBetter }
        }
        if let final = evidence.finalTarget?.numericValue, let base = evidence.baseline?.numericValue,
           evidence.finalTarget?.unit == evidence.baseline?.unit, final < base {
            return .lowerIsBetter
        }
        let yearly = evidence.targets.compactMap { $0.kind == .number ? $0.value : nil }
        if yearly.count >= 2, zip(yearly, yearly.dropFirst()).allSatisfy({ $0 >= $1 }), yearly.first! > yearly.last! {
            return .lowerIsBetter
        }
        return .higherIsBetter
    }
}
