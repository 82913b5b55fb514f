import Fluent
import Foundation
import HyokaCore

/// Turns accounts and records into the policy's terms and asks it. Every staff write goes
/// through `require` before it touches anything.
enum Access {
    static func actor(_ user: User) -> Policy.Actor {
        Policy.Actor(role: Role(rawValue: user.role) ?? .reviewer, municipalityID: user.$municipality.id,
                     departmentID: user.$department.id, isDisabled: user.isDisabled)
    }

    /// The department followed by its parents (課 → 部 → 局).
    static func departmentPath(_ id: UUID?, on db: any Database) async throws -> [UUID] {
        var path: [UUID] = []
        var next = id
        while let current = next, !path.contains(current), path.count < 10 {
            path.append(current)
            next = try await Department.find(current, on: db)?.$parent.id
        }
        return path
    }

    static func target(program: Program, on db: any Database) async throws -> Policy.Target {
        Policy.Target(municipalityID: program.$municipality.id, departmentPath: try await departmentPath(program.$department.id, on: db))
    }

    /// A plan node belongs to the 局 that most of its programs belong to: the plan itself
    /// names no owner, and the 局施策評価 is written by the bureau carrying the 施策.
    static func target(planNode: PlanNode, on db: any Database) async throws -> Policy.Target {
        let plan = try await Plan.find(planNode.$plan.id, on: db)
        let links = try await PlanLink.query(on: db).filter(\.$planNode.$id == planNode.requireID()).with(\.$program).all()
        var bureaus: [UUID: Int] = [:]
        for link in links {
            if let top = try await departmentPath(link.program.$department.id, on: db).last { bureaus[top, default: 0] += 1 }
        }
        let bureau = bureaus.max { a, b in a.value == b.value ? a.key.uuidString > b.key.uuidString : a.value < b.value }?.key
        return Policy.Target(municipalityID: plan?.$municipality.id, departmentPath: bureau.map { [$0] } ?? [])
    }

    static func target(manifesto: Manifesto, on db: any Database) async throws -> Policy.Target {
        Policy.Target(municipalityID: manifesto.$municipality.id, departmentPath: try await departmentPath(manifesto.$department.id, on: db))
    }

    static func require(_ user: User, _ action: Policy.Action, on target: Policy.Target) throws {
        guard Policy.allows(actor(user), action, on: target) else { throw StaffError.forbidden }
    }
}
