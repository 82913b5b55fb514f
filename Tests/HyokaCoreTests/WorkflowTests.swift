import HyokaCore
import Testing

@Suite struct WorkflowTests {
    @Test func theSheetGoesDraftSubmittedReturnedSubmittedApprovedPublished() throws {
        var state = SheetState.draft
        state = try SheetWorkflow.next(state, .submit, phase: .input).get()
        #expect(state == .submitted)
        state = try SheetWorkflow.next(state, .return, phase: .review, reason: "実績値の出典を書いてください").get()
        #expect(state == .returned)
        #expect(SheetWorkflow.isEditable(state, phase: .review))
        state = try SheetWorkflow.next(state, .submit, phase: .review).get()
        #expect(!SheetWorkflow.isEditable(state, phase: .review))
        state = try SheetWorkflow.next(state, .approve, phase: .review).get()
        #expect(state == .approved)
        state = try SheetWorkflow.next(state, .publish, phase: .published).get()
        #expect(state == .published)
    }

    @Test func everyStepNotInTheTableIsRefused() {
        let allowed: Set<String> = ["draft-submit", "returned-submit", "submitted-return", "approved-return", "submitted-approve", "approved-publish", "submitted-withdraw"]
        for state in SheetState.allCases {
            for action in SheetAction.allCases {
                let phase: CyclePhase = action == .publish ? .published : .review
                let result = SheetWorkflow.next(state, action, phase: phase, reason: "理由")
                let ok = (try? result.get()) != nil
                #expect(ok == allowed.contains("\(state.rawValue)-\(action.rawValue)"), "\(state) \(action)")
            }
        }
    }

    @Test func aReturnNeedsAReasonAndStepsNeedTheRightPhase() {
        #expect(SheetWorkflow.next(.submitted, .return, phase: .review, reason: "  ") == .failure(.init(japanese: "差戻しの理由を書いてください", english: "write why the sheet is returned")))
        #expect((try? SheetWorkflow.next(.draft, .submit, phase: .preparation).get()) == nil)
        #expect((try? SheetWorkflow.next(.draft, .submit, phase: .finalized).get()) == nil)
        #expect((try? SheetWorkflow.next(.approved, .publish, phase: .finalized).get()) == nil)
        #expect(!SheetWorkflow.isEditable(.draft, phase: .finalized))
        if case let .failure(refusal) = SheetWorkflow.next(.published, .submit, phase: .input) {
            #expect(refusal.japanese == "「公表」のシートは提出できません")
            #expect(refusal.english == "a published sheet cannot be submitted")
        } else { Issue.record("a published sheet was submitted") }
    }

    @Test func theCycleMovesOnOnePhaseAtATimeAndFinalizesOnlyWhenAllIsApproved() throws {
        #expect(try CycleWorkflow.advance(.preparation, unapproved: 3).get() == .input)
        #expect(try CycleWorkflow.advance(.input, unapproved: 3).get() == .review)
        #expect((try? CycleWorkflow.advance(.review, unapproved: 1).get()) == nil)
        #expect(try CycleWorkflow.advance(.review, unapproved: 0).get() == .finalized)
        #expect(try CycleWorkflow.advance(.finalized, unapproved: 0).get() == .published)
        #expect((try? CycleWorkflow.advance(.published, unapproved: 0).get()) == nil)
    }

    @Test func rolesReadTheirLabels() {
        #expect(Role(label: "承認者（部局長）") == .approver)
        #expect(Role(label: "planner") == .planner)
        #expect(Role(label: "Administrator") == .admin)
    }
}
