import Foundation
import HyokaCore
import Plot

extension ManifestoIndex {
    static func view(_ model: Model) -> (Layout, Node<HTML.BodyContext>) {
        let scope = model.scope, l = scope.language, manifestos = model.manifestos
        let layout = Layout(language: l, title: l("部局マニフェスト", "Department manifestos") + " – \(scope.municipalityName)",
                            breadcrumbs: [(l("トップ", "Home"), SiteURL.home.link(scope.query + [("lang", l == .en ? "en" : nil)])), (l("部局マニフェスト", "Department manifestos"), nil)],
                            scope: scope.query, currentQuery: scope.query, currentPath: SiteURL.manifestos.path, place: scope)
        func field(_ label: String, _ value: String?) -> Node<HTML.DescriptionListContext> {
            .group(.dt(.text(label)), .dd(.text(value ?? "—")))
        }
        return (layout, .group(
            .h1(.text(l("部局マニフェスト", "Department manifestos") + " – \(scope.municipalityName)")),
            .p(.class("muted"), .text(l("自己評価の標語: ", "Self-evaluation scale: ") + GradeScale.manifesto.grades.map { l($0.label, $0.english) }.joined(separator: " / "))),
            .if(manifestos.isEmpty, .p(.class("empty"), .text(l("部局マニフェストは登録されていません。", "No manifestos.")))),
            .forEach(manifestos) { manifesto in
                .section(
                    .h2(.text("\(l == .ja ? FiscalYear(manifesto.fiscalYear).both : "FY\(manifesto.fiscalYear)") \(manifesto.department)")),
                    .p(.text([manifesto.headTitle, manifesto.headName].compactMap { $0 }.joined(separator: " ") + (manifesto.contact.map { l("（連絡先 \($0)）", " (contact \($0))") } ?? ""))),
                    .forEach(manifesto.goals) { goal in
                        .article(.class("card"),
                            .h3(.text(l("部局目標", "Goal ") + "\(goal.number) \(goal.title)")),
                            .dl(.class("sheet"),
                                field(l("業績目標", "Objective"), goal.heading),
                                field(l("関連の施策", "Related policy"), goal.relatedPolicy),
                                field(l("これまでの経緯", "Background"), goal.background),
                                field(l("現状分析", "Current analysis"), goal.currentAnalysis),
                                field(l("課題", "Issues"), goal.issues),
                                field(l("目標数値", "Target figures"), goal.targetFigures),
                                field(l("達成された状態", "State when achieved"), goal.achievedState),
                                field(l("手段・工程", "Means and process"), goal.meansAndProcess?.replacingOccurrences(of: "\n", with: " / ")),
                                field(l("達成状況（自己評価）", "Self-evaluation"), goal.selfGrade ?? l("未記入", "not yet evaluated")),
                                field(l("理由", "Reason"), goal.selfReason),
                                field(l("指導者評価", "Supervisor's evaluation"), goal.supervisorGrade)
                            )
                        )
                    }
                )
            }
        ))
    }
}
