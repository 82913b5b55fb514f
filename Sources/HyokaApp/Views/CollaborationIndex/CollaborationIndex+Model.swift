import Foundation

/// `/collaboration`: a region's collaboration projects by policy field and 協約 category,
/// filtered by partner municipality, with a cost summary per partner. Split as the sheet is.
enum CollaborationIndex {
    struct Model: Sendable {
        struct Cost: Sendable {
            var fiscalYear: Int
            var amountRaw: String
            var amountYen: Int64?
            var note: String?
        }

        struct Role: Sendable {
            var party: String
            var role: String
        }

        struct KPI: Sendable {
            var name: String
            var baseline: String
            var finalTarget: String
        }

        struct Project: Sendable {
            var name: String
            var policyField: String
            var agreementCategory: String
            var content: String?
            var effects: String?
            var partnersText: String?
            var costSharing: String?
            var allMembers: Bool
            var isRepost: Bool
            var partners: [String]
            var costs: [Cost]
            var roles: [Role]
            var kpis: [KPI]
        }

        struct Region: Sendable {
            var name: String
            var centralCity: String
            var members: [String]
            var projects: [Project]

            /// Whether `name` is a party to `project`: the central city always is (it concludes
            /// every 連携協約 with the others); 「全市町」 means the region's members, not every
            /// town the plan names (a project may name towns outside the region, as
            /// 「圏域外：下関市、長門市」); otherwise the partners the project names.
            func involves(_ project: Project, _ name: String) -> Bool {
                name == centralCity || project.partners.contains(name) || (project.allMembers && members.contains(name))
            }
        }

        var scope: PagePlace
        /// `?partner=`: the projects of one municipality.
        var partner: String?
        var regions: [Region]
    }
}
