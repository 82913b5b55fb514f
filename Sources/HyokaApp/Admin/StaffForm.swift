import Foundation
import HyokaCore
import Plot
import Vapor

/// Pieces every staff form is made of: the token, labelled fields with their message next
/// to them, and the box that explains a refused save.
enum StaffForm {
    static func token(_ csrf: String) -> Node<HTML.FormContext> {
        .input(.type(.hidden), .name("_csrf"), .value(csrf))
    }

    static func hidden(_ name: String, _ value: String) -> Node<HTML.FormContext> {
        .input(.type(.hidden), .name(name), .value(value))
    }

    /// A field id safe for HTML from a form name (`target.<uuid>` → `f-target-<uuid>`).
    static func id(_ name: String) -> String { "f-" + name.replacingOccurrences(of: ".", with: "-") }

    enum Kind {
        case text
        case textarea
        /// Choices as (value, label); an empty first choice means "not chosen".
        case select([(String, String)])
    }

    /// A labelled field; a problem is shown next to it and tied to it for screen readers.
    static func field(_ label: String, name: String, value: String, kind: Kind = .text, problem: String? = nil, hint: String? = nil,
                      warning: String? = nil, extra: Node<HTML.BodyContext> = .empty) -> Node<HTML.BodyContext> {
        let fieldID = id(name)
        let described: [String] = [hint == nil ? nil : fieldID + "-hint", problem == nil ? nil : fieldID + "-error",
                                   warning == nil ? nil : fieldID + "-warning"].compactMap { $0 }
        let describedBy: Node<HTML.BodyContext> = described.isEmpty ? .empty : .attribute(named: "aria-describedby", value: described.joined(separator: " "))
        let invalid: Node<HTML.BodyContext> = problem == nil ? .empty : .attribute(named: "aria-invalid", value: "true")
        let control: Node<HTML.BodyContext>
        switch kind {
        case .text:
            control = .selfClosedElement(named: "input", attributes: [
                Attribute(name: "type", value: "text"), Attribute(name: "name", value: name), Attribute(name: "id", value: fieldID),
                Attribute(name: "value", value: value, ignoreIfValueIsEmpty: false),
            ] + (described.isEmpty ? [] : [Attribute(name: "aria-describedby", value: described.joined(separator: " "))])
              + (problem == nil ? [] : [Attribute(name: "aria-invalid", value: "true")]))
            _ = (describedBy, invalid)
        case .textarea:
            control = .element(named: "textarea", nodes: [
                .attribute(named: "name", value: name), .attribute(named: "id", value: fieldID), .attribute(named: "rows", value: "4"),
                described.isEmpty ? .empty : .attribute(named: "aria-describedby", value: described.joined(separator: " ")),
                problem == nil ? .empty : .attribute(named: "aria-invalid", value: "true"),
                .text(value),
            ])
        case let .select(choices):
            control = .element(named: "select", nodes: [
                .attribute(named: "name", value: name), .attribute(named: "id", value: fieldID),
                described.isEmpty ? .empty : .attribute(named: "aria-describedby", value: described.joined(separator: " ")),
                .forEach(choices) { choice in
                    .element(named: "option", nodes: [.attribute(named: "value", value: choice.0),
                                                      choice.0 == value ? .attribute(named: "selected", value: "selected") : .empty,
                                                      .text(choice.1)])
                },
            ])
        }
        return .div(.class(problem == nil ? "field" : "field invalid"),
            .label(.for(fieldID), .text(label)),
            control,
            extra,
            .unwrap(hint) { .span(.class("hint"), .id(fieldID + "-hint"), .text($0)) },
            .unwrap(problem) { .span(.class("error"), .id(fieldID + "-error"), .text($0)) },
            .unwrap(warning) { .span(.class("warning"), .id(fieldID + "-warning"), .text("⚠ " + $0)) }
        )
    }

    static func choices(_ scale: GradeScale, language l: PortalLanguage) -> [(String, String)] {
        [("", l("（選択してください）", "(choose)"))] + scale.grades.map { ($0.label, l == .ja ? $0.label : "\($0.label) – \($0.english)") }
    }

    /// The box shown when a save based on an old version was refused: what changed meanwhile.
    static func conflict(_ changes: [AuditEntry], language l: PortalLanguage) -> Node<HTML.BodyContext> {
        .div(.class("notice conflict"), .attribute(named: "role", value: "alert"),
            .h2(.text(l("保存されませんでした: ほかの人が先に変更しました", "Not saved: someone changed this first"))),
            .p(.text(l("あなたが開いた後に、次の変更が保存されています。入力した内容は下に残っています。変更を確かめ、必要なところを直してからもう一度保存してください。",
                       "These changes were saved after you opened the page. What you typed is kept below: check the changes, adjust, and save again."))),
            changeTable(changes.filter { $0.field != "version" }, language: l)
        )
    }

    /// Audit entries as a table: when, who, record, field, before, after.
    static func changeTable(_ entries: [AuditEntry], language l: PortalLanguage) -> Node<HTML.BodyContext> {
        .table(.class("history"),
            .tr(.th(.attribute(named: "scope", value: "col"), .text(l("日時", "When"))),
                .th(.attribute(named: "scope", value: "col"), .text(l("変更者", "Who"))),
                .th(.attribute(named: "scope", value: "col"), .text(l("記録", "Record"))),
                .th(.attribute(named: "scope", value: "col"), .text(l("項目", "Field"))),
                .th(.attribute(named: "scope", value: "col"), .text(l("変更前", "Before"))),
                .th(.attribute(named: "scope", value: "col"), .text(l("変更後", "After")))),
            .forEach(entries) { e in
                .tr(.td(.text(timestamp(e.at))), .td(.text("\(e.actor)（\(e.source)）")), .td(.text(e.entityLabel ?? e.entity)),
                    .td(.text(e.field)), .td(.text(e.before ?? "—")), .td(.text(e.after ?? "—")))
            }
        )
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "ja_JP")
        formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    /// A date typed in a date field (`2026-06-30`). Deadlines are calendar days (a `DATE`
    /// column on PostgreSQL), kept as midnight UTC of that day so both engines give the
    /// same day back.
    static func date(_ text: String?) throws -> Date? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        guard let date = formatter.date(from: text) else {
            throw StaffError(status: .unprocessableEntity, japanese: "日付は 2026-06-30 の形で入力してください（「\(text)」）", english: "write dates as 2026-06-30 (\"\(text)\")")
        }
        return date
    }

    /// A stored deadline as `2026-06-30`.
    static func day(_ date: Date?) -> String {
        guard let date else { return "" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    /// Today in Japan, as `2026-06-30`: a deadline has passed when it is before this.
    static func today(_ now: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: now)
    }

    /// The posted form as text fields.
    static func fields(_ req: Request) throws -> [String: String] {
        try req.content.decode([String: String].self)
    }

    /// The `version` a form was based on.
    static func version(_ form: [String: String]) throws -> Int {
        guard let text = form["version"], let version = Int(text) else {
            throw StaffError(status: .unprocessableEntity, japanese: "フォームに版番号がありません。ページを読み込み直してください", english: "the form carries no version; reload the page")
        }
        return version
    }
}
