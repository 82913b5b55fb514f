import Fluent

/// Every migration, in order. Migrations are append-only: a landed migration is never
/// edited; a change to the schema is a new migration at the end of this list.
public enum HyokaMigrations {
    public static let all: [any Migration] = [
        M001CreateMunicipalities(),
        M002AddMunicipalitySettings(),
        M003CreateDepartments(),
        M004CreateUsers(),
        M005CreatePlans(),
        M006CreatePrograms(),
        M007CreateRegions(),
        M008CreateManifestos(),
        M009CreateIndicators(),
        M010CreateBudgetLines(),
        M011CreateEvaluations(),
        M012CreateCycles(),
        M013CreateReviews(),
        M014CreateHeadlineFigures(),
        M015CreateAuditEntries(),
        M016CreateSessions(),
        M017AuditEntriesAppendOnly(),
        M018AddRecordVersions(),
        M019CreateAPITokens(),
        M020CreateSheetCorrections(),
        M021AddSheetCheckCounts(),
        M022CreatePublicReadModel(),
        M023AddPreviousYearMoney(),
        M024AddCycleSourceDocument(),
        M025AddSheetFieldsOfRealCities(),
    ]

    /// Applied and pending migrations, read without changing the database (a database
    /// that was never migrated has no migration log yet).
    public struct State: Codable, Equatable, Sendable {
        public var applied: Int
        public var pending: [String]
        /// `current`, `pending` or `empty` (never migrated).
        public var status: String
    }

    public static func state(on database: any Database) async -> State {
        let names = all.map(\.name)
        let applied: Set<String>
        do {
            applied = Set(try await MigrationLog.query(on: database).all().map(\.name))
        } catch {
            return State(applied: 0, pending: names, status: "empty")
        }
        let pending = names.filter { !applied.contains($0) }
        return State(applied: applied.count, pending: pending, status: pending.isEmpty ? "current" : (applied.isEmpty ? "empty" : "pending"))
    }
}
