import Foundation

/// A problem found while reading a file: an error stops the import (nothing is written), a
/// warning is reported beside the counts. The message says what is wrong and what to do,
/// in Japanese and in English.
public struct ImportIssue: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        case warning, error

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .warning && rhs == .error }
    }

    public var severity: Severity
    public var location: SourceLocation
    public var japanese: String
    public var english: String

    public init(_ severity: Severity, at location: SourceLocation, _ japanese: String, _ english: String) {
        self.severity = severity
        self.location = location
        self.japanese = japanese
        self.english = english
    }

    public static func error(at location: SourceLocation, _ japanese: String, _ english: String) -> ImportIssue {
        ImportIssue(.error, at: location, japanese, english)
    }

    public static func warning(at location: SourceLocation, _ japanese: String, _ english: String) -> ImportIssue {
        ImportIssue(.warning, at: location, japanese, english)
    }

    /// The same issue with its file named inside a workbook folder (`139009/budgets.csv`).
    public func inFolder(_ folder: String) -> ImportIssue {
        var copy = self
        copy.location.file = "\(folder)/\(location.file)"
        return copy
    }

    public var description: String {
        "\(location): \(severity == .error ? "エラー" : "警告"): \(japanese)\(english.isEmpty ? "" : " (\(english))")"
    }
}

/// What a reader produced: the records, and every issue it met along the way.
public struct ReadResult: Sendable {
    public var dataset: Dataset
    public var issues: [ImportIssue]
    /// Notes for the report that are neither warnings nor errors (defaults applied).
    public var notes: [String]

    public init(dataset: Dataset = Dataset(), issues: [ImportIssue] = [], notes: [String] = []) {
        self.dataset = dataset
        self.issues = issues
        self.notes = notes
    }

    public var errors: [ImportIssue] { issues.filter { $0.severity == .error } }
    public var warnings: [ImportIssue] { issues.filter { $0.severity == .warning } }
}
