import Fluent
import Foundation

/// A municipality's 局・部・課 read once, for pages that place hundreds of sheets in it:
/// asking the database for each sheet's parents made an editor's list of a 3,000-program
/// city take seconds.
struct DepartmentTree: Sendable {
    struct Node: Sendable {
        var id: UUID
        var name: String
        var parent: UUID?
        var sortOrder: Int
    }

    private(set) var nodes: [UUID: Node] = [:]

    static func load(municipalityID: UUID, on db: any Database) async throws -> DepartmentTree {
        var tree = DepartmentTree()
        for d in try await Department.query(on: db).filter(\.$municipality.$id == municipalityID).all() {
            guard let id = d.id else { continue }
            tree.nodes[id] = Node(id: id, name: d.name, parent: d.$parent.id, sortOrder: d.sortOrder)
        }
        return tree
    }

    func name(_ id: UUID?) -> String? { id.flatMap { nodes[$0]?.name } }

    /// The department and its parents (課 → 部 → 局), as `Access.departmentPath` gives them.
    func path(_ id: UUID?) -> [UUID] {
        var path: [UUID] = []
        var next = id
        while let current = next, nodes[current] != nil, !path.contains(current), path.count < 10 {
            path.append(current)
            next = nodes[current]?.parent
        }
        return path
    }

    /// The top of the department's branch: its 局 (or the department itself at the top).
    func bureau(_ id: UUID?) -> UUID? { path(id).last }

    /// The department and every department under it.
    func subtree(_ id: UUID) -> Set<UUID> {
        Set(nodes.keys.filter { path($0).contains(id) })
    }

    /// Sections in the tree's order: by bureau, then by the department's own order and name.
    func sorted(_ ids: [UUID]) -> [UUID] {
        ids.sorted { a, b in
            let ka = (nodes[bureau(a) ?? a]?.sortOrder ?? 0, name(bureau(a)) ?? "", nodes[a]?.sortOrder ?? 0, name(a) ?? "")
            let kb = (nodes[bureau(b) ?? b]?.sortOrder ?? 0, name(bureau(b)) ?? "", nodes[b]?.sortOrder ?? 0, name(b) ?? "")
            return ka < kb
        }
    }
}
