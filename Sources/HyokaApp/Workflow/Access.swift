import Fluent
import Foundation
import HyokaCore

/// Turns accounts and records into the policy's terms and asks it. Every staff write goes
/// through `require` before it touches anything.
enum Access {
    static func actor(_ user: User) -> Policy.Actor {
        Policy.Actor(role: user.staffRole ?? .reviewer, municipalityID: user.$municipality.id,
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
        guard let municipalityID = plan?.$municipality.id else { return Policy.Target(municipalityID: nil, departmentPath: []) }
        let targets = try await targets(planNodes: [planNode.requireID()], municipalityID: municipalityID,
                                        tree: try await DepartmentTree.load(municipalityID: municipalityID, on: db), on: db)
        return targets[try planNode.requireID()] ?? Policy.Target(municipalityID: municipalityID, departmentPath: [])
    }

    /// The targets of many plan nodes at once (the dashboard lists every 施策 of a city):
    /// one query for their links, the department tree read once.
    static func targets(planNodes: [UUID], municipalityID: UUID, tree: DepartmentTree, on db: any Database) async throws -> [UUID: Policy.Target] {
        var links: [(UUID, UUID?)] = []
        for chunk in planNodes.chunked(into: 500) {
            for link in try await PlanLink.query(on: db).filter(\.$planNode.$id ~~ chunk).with(\.$program).all() {
                links.append((link.$planNode.id, link.program.$department.id))
            }
        }
        return targets(links: links, municipalityID: municipalityID, tree: tree)
    }

    /// The rule itself, from (plan node, section of one of its programs) pairs.
    static func targets(links: [(planNode: UUID, department: UUID?)], municipalityID: UUID, tree: DepartmentTree) -> [UUID: Policy.Target] {
        var departments: [UUID: [UUID?]] = [:]
        for link in links { departments[link.planNode, default: []].append(link.department) }
        var targets: [UUID: Policy.Target] = [:]
        for node in departments.keys {
            var bureaus: [UUID: Int] = [:]
            for department in departments[node] ?? [] {
                if let top = tree.bureau(department) { bureaus[top, default: 0] += 1 }
            }
            let bureau = bureaus.max { a, b in a.value == b.value ? a.key.uuidString > b.key.uuidString : a.value < b.value }?.key
            targets[node] = Policy.Target(municipalityID: municipalityID, departmentPath: bureau.map { [$0] } ?? [])
        }
        return targets
    }

    static func target(manifesto: Manifesto, on db: any Database) async throws -> Policy.Target {
        Policy.Target(municipalityID: manifesto.$municipality.id, departmentPath: try await departmentPath(manifesto.$department.id, on: db))
    }

    static func require(_ user: User, _ action: Policy.Action, on target: Policy.Target) throws {
        guard Policy.allows(actor(user), action, on: target) else { throw StaffError.forbidden }
    }
}
