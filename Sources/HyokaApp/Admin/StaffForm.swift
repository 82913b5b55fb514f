import Fluent
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
                      warning: String? = nil, fieldID explicitID: String? = nil, extra: Node<HTML.BodyContext> = .empty) -> Node<HTML.BodyContext> {
        // Two forms on one page may have a field of the same name: each needs its own id.
        let fieldID = explicitID ?? id(name)
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
                    // An empty value is written (`<option value="">`): without it a browser posts
                    // the option's text, 「（選択してください）」, which is no choice.
                    .element(named: "option", nodes: [.attribute(named: "value", value: choice.0, ignoreIfValueIsEmpty: false),
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
    static func conflict(_ changes: [AuditEntry], people: [String: String] = [:], language l: PortalLanguage) -> Node<HTML.BodyContext> {
        .div(.class("notice conflict"), .attribute(named: "role", value: "alert"),
            .h2(.text(l("保存されませんでした: ほかの人が先に変更しました", "Not saved: someone changed this first"))),
            .p(.text(l("あなたが開いた後に、次の変更が保存されています。入力した内容は下に残っています。変更を確かめ、必要なところを直してからもう一度保存してください。",
                       "These changes were saved after you opened the page. What you typed is kept below: check the changes, adjust, and save again."))),
            changeTable(changes, people: people, language: l)
        )
    }

    /// The names of the people behind audit entries, by login (the log keeps logins, which
    /// say little to a section).
    static func people(_ entries: [AuditEntry], on db: any Database) async throws -> [String: String] {
        let logins = Array(Set(entries.map(\.actor)))
        guard !logins.isEmpty else { return [:] }
        var names: [String: String] = [:]
        for chunk in logins.chunked(into: 500) {
            for user in try await User.query(on: db).filter(\.$login ~~ chunk).all() { names[user.login] = user.displayName }
        }
        return names
    }

    /// Audit entries as a table: when, who, record, field, before, after; fields by their
    /// labels and amounts in 千円, as the form shows them. Version counters are left out.
    static func changeTable(_ entries: [AuditEntry], people: [String: String] = [:], language l: PortalLanguage) -> Node<HTML.BodyContext> {
        let shown = entries.filter { $0.field != "version" }
        return .div(.class("table-scroll"), .table(.class("history"),
            .tr(.th(.attribute(named: "scope", value: "col"), .text(l("日時", "When"))),
                .th(.attribute(named: "scope", value: "col"), .text(l("変更者", "Who"))),
                .th(.attribute(named: "scope", value: "col"), .text(l("記録", "Record"))),
                .th(.attribute(named: "scope", value: "col"), .text(l("項目", "Field"))),
                .th(.attribute(named: "scope", value: "col"), .text(l("変更前", "Before"))),
                .th(.attribute(named: "scope", value: "col"), .text(l("変更後", "After")))),
            .forEach(shown) { e in
                let label = AuditLabels.field(e.field)
                let who: String = (people[e.actor] ?? e.actor) + "（" + l(AuditLabels.source(e.source).japanese, AuditLabels.source(e.source).english) + "）"
                return .tr(.td(.text(timestamp(e.at))), .td(.text(who)), .td(.text(e.entityLabel ?? e.entity)),
                           .td(.text(l(label.japanese, label.english))),
                           .td(.text(AuditLabels.value(e.field, e.before, l) ?? "—")), .td(.text(AuditLabels.value(e.field, e.after, l) ?? "—")))
            }
        ))
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
        // A deadline is a day of this century: also keeps the database's date types in range.
        guard let date = formatter.date(from: text), let year = Int(text.prefix(4)), text.count == 10, (2000...2100).contains(year) else {
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
    static func today(_ now: Date = HyokaClock.date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: now)
    }

    /// The posted form as text fields.
    /// A field holding a NUL (U+0000) is refused, naming the field: no text of a sheet or
    /// record means one, and PostgreSQL refuses to store it (the save would fail as a
    /// server error, as a fuzzed form showed).
    static func fields(_ req: Request) throws -> [String: String] {
        let form = try req.content.decode([String: String].self)
        if let field = form.first(where: { $0.key.contains("\u{0}") || $0.value.contains("\u{0}") })?.key {
            throw StaffError(status: .unprocessableEntity,
                             japanese: "「\(field.replacingOccurrences(of: "\u{0}", with: ""))」に制御文字（NUL）が含まれています。文字を入力し直してください",
                             english: "the field \(field.replacingOccurrences(of: "\u{0}", with: "")) holds a NUL character; type the text again")
        }
        return form
    }

    /// The `version` a form was based on.
    static func version(_ form: [String: String]) throws -> Int {
        guard let text = form["version"], let version = Int(text) else {
            throw StaffError(status: .unprocessableEntity, japanese: "フォームに版番号がありません。ページを読み込み直してください", english: "the form carries no version; reload the page")
        }
        return version
    }
}

/// How audit entries read to staff: field names as the forms label them, sources and values
/// in words, amounts in 千円.
enum AuditLabels {
    static func field(_ name: String) -> (japanese: String, english: String) {
        switch name {
        case "target_raw": ("目標値", "Target")
        case "actual_raw": ("実績値", "Actual")
        case "budget_yen": ("予算額（千円）", "Budget (¥1,000)")
        case "settlement_yen": ("決算額（千円）", "Settlement (¥1,000)")
        case "personnel_cost_yen": ("人件費（千円）", "Personnel cost (¥1,000)")
        case "grade": ("評価", "Grade")
        case "direction": ("今後の方向性", "Direction")
        case "comment": ("取組と成果の評価", "Evaluation")
        case "improvement": ("改善", "Improvements")
        case "status": ("状態", "State")
        case "return_reason": ("差戻しの理由", "Reason for return")
        case "phase": ("段階", "Phase")
        case "phase_back_reason": ("段階を戻した理由", "Why the phase went back")
        case "publication_override": ("エラーを残した公表の理由", "Why published with errors")
        case "reason": ("訂正の理由", "Reason for the correction")
        case "input_deadline": ("入力期限", "Input deadline")
        case "review_deadline": ("審査期限", "Review deadline")
        case "*": ("記録", "Record")
        default: (name, name)
        }
    }

    static func source(_ source: String) -> (japanese: String, english: String) {
        switch source {
        case "form": ("画面", "form")
        case "workbook": ("Excel", "workbook")
        case "api": ("API", "API")
        case "import": ("取込", "import")
        case "correction": ("訂正", "correction")
        case "command": ("コマンド", "command")
        default: (source, source)
        }
    }

    static func value(_ field: String, _ value: String?, _ l: PortalLanguage) -> String? {
        guard let value, !value.isEmpty else { return nil }
        switch field {
        case "budget_yen", "settlement_yen", "personnel_cost_yen":
            guard let yen = Int64(value) else { return value }
            let money = Money(yen: yen)
            return yen % 1_000 == 0 ? money.thousandYenText : money.yenText
        case "status": return SheetState(rawValue: value).map { l($0.japanese, $0.english) } ?? value
        case "phase": return CyclePhase(rawValue: value).map { l($0.japanese, $0.english) } ?? value
        case "*": return value == "created" ? l("作成", "created") : value
        default: return value
        }
    }
}
