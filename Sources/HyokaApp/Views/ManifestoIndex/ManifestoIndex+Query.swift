import Fluent
import Vapor

extension ManifestoIndex {
    static func query(scope: PortalScope, req: Request) async throws -> Model {
        let manifestos = try await Manifesto.query(on: req.db).filter(\.$municipality.$id == scope.municipality.requireID())
            .with(\.$department).sort(\.$fiscalYear, .descending).all()
        let ids = manifestos.compactMap(\.id)
        let goals = ids.isEmpty ? [] : try await ManifestoGoal.query(on: req.db).filter(\.$manifesto.$id ~~ ids).sort(\.$number).all()
        return Model(scope: scope.place, manifestos: manifestos.map { manifesto in
            .init(fiscalYear: manifesto.fiscalYear, department: manifesto.department.name, headTitle: manifesto.headTitle, headName: manifesto.headName,
                  contact: manifesto.contact, goals: goals.filter { $0.$manifesto.id == manifesto.id }.map { goal in
                      .init(number: goal.number, title: goal.title, heading: goal.heading, relatedPolicy: goal.relatedPolicy, background: goal.background,
                            currentAnalysis: goal.currentAnalysis, issues: goal.issues, targetFigures: goal.targetFigures, achievedState: goal.achievedState,
                            meansAndProcess: goal.meansAndProcess, selfGrade: goal.selfGrade, selfReason: goal.selfReason, supervisorGrade: goal.supervisorGrade)
                  })
        })
    }
}
