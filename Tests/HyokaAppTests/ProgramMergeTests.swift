import Fluent
import Foundation
import HyokaCore
import HyokaImport
import Testing
import Vapor
import VaporTesting
@testable import HyokaApp

extension DatabaseTests {
    /// Two spellings of one program (the PDCA seed's インフォーメーション / インフォメーション)
    /// are merged by the planner through the page: the public total counts the program once,
    /// and two programs that hold different figures for a year are not merged at all.
    @Suite struct ProgramMergeTests {
        static let kept = "多文化共生ワンストップインフォメーションセンター運営事業"
        static let variant = "多文化共生ワンストップインフォーメーションセンター運営事業"

        /// The staff fixture's city with the two spellings of one program in 子育て支援課:
        /// the same FY2024 budget in both, a KPI each (one shared by name), both published.
        static func spelledTwice(budgetOfVariant: Int64 = 12_000_000) -> Dataset {
            var d = Dataset()
            let code = StaffFixture.cityCode
            for (name, budget) in [(kept, Int64(12_000_000)), (variant, budgetOfVariant)] {
                d.programs.append(ProgramRecord(municipalityCode: code, name: name, department: "子育て支援課", summary: "外国人市民への情報提供"))
                var line = BudgetRecord(municipalityCode: code, program: name, fiscalYear: 2024)
                line.budget = Money(yen: budget)
                d.budgets.append(line)
                d.sheets.append(SheetRecord(municipalityCode: code, fiscalYear: 2024, program: name, status: .published))
                d.indicators.append(IndicatorRecord(municipalityCode: code, owner: .program(name: name), name: "相談件数",
                                                    direction: .higherIsBetter, directionSource: .stated))
                var value = IndicatorValueRecord(municipalityCode: code, owner: .program(name: name), indicatorName: "相談件数", fiscalYear: 2024)
                value.targetRaw = "1,000件"
                value.actualRaw = "1,100件"
                d.indicatorValues.append(value)
            }
            d.indicators.append(IndicatorRecord(municipalityCode: code, owner: .program(name: variant), name: "通訳派遣件数",
                                                direction: .higherIsBetter, directionSource: .stated))
            return d
        }

        func total(_ app: Application) async throws -> String {
            var body = ""
            try await app.testing().test(.GET, "/?m=\(StaffFixture.cityCode)&year=2024") { body = $0.body.string }
            return body
        }

        @Test func thePlannerMergesTwoSpellingsAndTheTotalCountsOnce() async throws {
            try await TestDatabase.withApp { app in
                let staff = try await StaffFixture.make(app)
                try await TestDatabase.store(Self.spelledTwice(), in: app, origin: "test")
                try await PublicReadModel.refresh(municipalityID: try await staff.municipality(StaffFixture.cityCode).requireID(), on: app.db)
                #expect(try await total(app).contains("24,000千円"), "both spellings counted before the merge")
                let page = try await staff.get(SiteURL.adminProgramMerge.path, as: .planner)
                #expect(page.status == .ok && page.body.contains(Self.kept) && page.body.contains(Self.variant))
                // An editor may not merge.
                #expect(try await staff.get(SiteURL.adminProgramMerge.path, as: .editor).status == .forbidden)
                let kept = try #require(try await Program.query(on: app.db).filter(\.$name == Self.kept).first()).requireID()
                let variant = try #require(try await Program.query(on: app.db).filter(\.$name == Self.variant).first()).requireID()
                // Without a reason nothing happens.
                #expect(try await staff.post(SiteURL.adminProgramMerge.path, as: .planner,
                                             ["target": kept.uuidString, "source": variant.uuidString, "reason": " "]).status == .unprocessableEntity)
                let merged = try await staff.post(SiteURL.adminProgramMerge.path, as: .planner,
                                                  ["target": kept.uuidString, "source": variant.uuidString, "reason": "原文の表記ゆれ。同じ事業です"])
                #expect(merged.status == .ok && merged.body.contains("にまとめました"), "\(merged.body.prefix(400))")
                #expect(try await Program.find(variant, on: app.db) == nil)
                // The shared KPI is one, the other KPI moved; the audit says who and why.
                let indicators = try await Indicator.query(on: app.db).filter(\.$program.$id == kept).all().map(\.name).sorted()
                #expect(indicators == ["相談件数", "通訳派遣件数"])
                let audit = try await AuditEntry.query(on: app.db).filter(\.$entityID == variant).filter(\.$field == "merge_reason").first()
                #expect(audit?.after == "原文の表記ゆれ。同じ事業です" && audit?.actor != nil)
                #expect(try await total(app).contains("12,000千円"), "the merged program counted once")
                #expect(!(try await staff.get(SiteURL.adminProgramMerge.path, as: .planner).body.contains(Self.variant)))
            }
        }

        @Test func programsThatDifferAreNotMerged() async throws {
            try await TestDatabase.withApp { app in
                let staff = try await StaffFixture.make(app)
                try await TestDatabase.store(Self.spelledTwice(budgetOfVariant: 15_000_000), in: app, origin: "test")
                let kept = try #require(try await Program.query(on: app.db).filter(\.$name == Self.kept).first()).requireID()
                let variant = try #require(try await Program.query(on: app.db).filter(\.$name == Self.variant).first()).requireID()
                let before = try await Indicator.query(on: app.db).count()
                let refused = try await staff.post(SiteURL.adminProgramMerge.path, as: .planner,
                                                   ["target": kept.uuidString, "source": variant.uuidString, "reason": "同じ事業"])
                #expect(refused.status == .conflict)
                #expect(refused.body.contains("令和6年度の予算額が違います") && refused.body.contains("何も変更していません"))
                #expect(try await Program.find(variant, on: app.db) != nil)
                #expect(try await Indicator.query(on: app.db).count() == before)
                #expect(try await BudgetLine.query(on: app.db).filter(\.$program.$id == variant).count() == 1)
            }
        }
    }
}
