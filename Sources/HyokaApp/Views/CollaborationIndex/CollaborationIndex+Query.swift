import Fluent
import Vapor

extension CollaborationIndex {
    static func query(scope: PortalScope, partner: String?, req: Request) async throws -> Model {
        var regions: [Model.Region] = []
        for region in try await Region.query(on: req.db).filter(\.$municipality.$id == scope.municipality.requireID()).sort(\.$name).all() {
            let regionID = try region.requireID()
            let members = try await RegionMember.query(on: req.db).filter(\.$region.$id == regionID).sort(\.$sortOrder).all().map(\.name)
            let projects = try await CollaborationProject.query(on: req.db).filter(\.$region.$id == regionID).sort(\.$sortOrder).all()
            let ids = projects.compactMap(\.id)
            let partners = ids.isEmpty ? [] : try await CollaborationPartner.query(on: req.db).filter(\.$project.$id ~~ ids).sort(\.$sortOrder).all()
            let costs = ids.isEmpty ? [] : try await CollaborationCost.query(on: req.db).filter(\.$project.$id ~~ ids).sort(\.$fiscalYear).all()
            let roles = ids.isEmpty ? [] : try await CollaborationRole.query(on: req.db).filter(\.$project.$id ~~ ids).sort(\.$sortOrder).all()
            let kpis = ids.isEmpty ? [] : try await Indicator.query(on: req.db).filter(\.$collaborationProject.$id ~~ ids).all()
            regions.append(.init(name: region.name, centralCity: region.centralCity, members: members, projects: projects.map { project in
                .init(name: project.name, policyField: project.policyField, agreementCategory: project.agreementCategory, content: project.content,
                      effects: project.effects, partnersText: project.partnersText, costSharing: project.costSharing, allMembers: project.allMembers,
                      isRepost: project.isRepost, partners: partners.filter { $0.$project.id == project.id }.map(\.name),
                      costs: costs.filter { $0.$project.id == project.id }.map { .init(fiscalYear: $0.fiscalYear, amountRaw: $0.amountRaw, amountYen: $0.amountYen, note: $0.note) },
                      roles: roles.filter { $0.$project.id == project.id }.map { .init(party: $0.party, role: $0.role) },
                      kpis: kpis.filter { $0.$collaborationProject.id == project.id }.map { .init(name: $0.name, baseline: $0.baselineRaw, finalTarget: $0.finalTargetRaw) })
            }))
        }
        return Model(scope: scope.place, partner: partner, regions: regions)
    }
}
