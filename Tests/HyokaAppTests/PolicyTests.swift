import Foundation
import HyokaCore
import Testing
@testable import HyokaApp

/// The authorization matrix: every role × every action × own section, another section of
/// the same bureau, another bureau, and another municipality.
@Suite struct PolicyTests {
    let city = UUID(), otherCity = UUID()
    let bureau = UUID(), section = UUID(), sibling = UUID(), otherBureau = UUID(), otherSection = UUID()

    enum Place: CaseIterable { case ownSection, sameBureau, otherBureau, otherMunicipality }

    func target(_ place: Place) -> Policy.Target {
        switch place {
        case .ownSection: Policy.Target(municipalityID: city, departmentPath: [section, bureau])
        case .sameBureau: Policy.Target(municipalityID: city, departmentPath: [sibling, bureau])
        case .otherBureau: Policy.Target(municipalityID: city, departmentPath: [otherSection, otherBureau])
        case .otherMunicipality: Policy.Target(municipalityID: otherCity, departmentPath: [UUID(), UUID()])
        }
    }

    func actor(_ role: Role) -> Policy.Actor {
        switch role {
        case .editor: Policy.Actor(role: role, municipalityID: city, departmentID: section)
        case .approver: Policy.Actor(role: role, municipalityID: city, departmentID: bureau)
        case .planner: Policy.Actor(role: role, municipalityID: city, departmentID: UUID())
        case .reviewer: Policy.Actor(role: role, municipalityID: city, departmentID: nil)
        case .admin: Policy.Actor(role: role, municipalityID: nil, departmentID: nil)
        }
    }

    /// The expected answer, written out as a table rather than derived from the policy.
    func expected(_ role: Role, _ action: Policy.Action, _ place: Place) -> Bool {
        let inCity = place != .otherMunicipality
        let inBureau = place == .ownSection || place == .sameBureau
        switch role {
        case .admin: return action == .manageUsers
        case .planner: return inCity && action != .manageUsers
        case .approver: return inBureau && [.returnSheet, .approveSheet, .writeBureauEvaluation, .editManifesto, .comment].contains(action)
        case .editor: return place == .ownSection && [.editSheet, .submitSheet].contains(action)
        case .reviewer: return inCity && action == .comment
        }
    }

    @Test(arguments: Role.allCases)
    func theMatrix(role: Role) {
        var allowed = 0
        for action in Policy.Action.allCases {
            for place in Place.allCases {
                let answer = Policy.allows(actor(role), action, on: target(place))
                #expect(answer == expected(role, action, place), "\(role) \(action) \(place)")
                if answer { allowed += 1 }
            }
        }
        // Each role can do something, and no role can do everything.
        #expect(allowed > 0 && allowed < Policy.Action.allCases.count * Place.allCases.count)
    }

    @Test func aDisabledAccountMayDoNothing() {
        for role in Role.allCases {
            var disabled = actor(role)
            disabled.isDisabled = true
            for action in Policy.Action.allCases {
                #expect(!Policy.allows(disabled, action, on: target(.ownSection)))
            }
        }
    }

    @Test func anAccountWithoutMunicipalityOrDepartmentGetsNoStaffRights() {
        #expect(!Policy.allows(Policy.Actor(role: .planner, municipalityID: nil, departmentID: nil), .manageCycle, on: target(.ownSection)))
        #expect(!Policy.allows(Policy.Actor(role: .editor, municipalityID: city, departmentID: nil), .editSheet, on: target(.ownSection)))
        // A record with no department is nobody's section.
        #expect(!Policy.allows(actor(.editor), .editSheet, on: Policy.Target(municipalityID: city)))
        #expect(Policy.allows(actor(.planner), .editSheet, on: Policy.Target(municipalityID: city)))
    }
}
