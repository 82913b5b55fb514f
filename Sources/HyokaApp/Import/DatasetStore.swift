import Fluent
import Foundation
import HyokaCore
import HyokaImport

/// Writes a dataset into the database: every record is matched by its natural key
/// (municipality code, program name, plan-node code …) and created or updated, so that
/// importing the same file twice leaves the same data. Every created record and every
/// changed field is audited. Callers run it inside one transaction.
struct DatasetStore {
    struct Report: Sendable {
        var created: [String: Int] = [:]
        var updated: [String: Int] = [:]
        var unchanged: [String: Int] = [:]
        var issues: [ImportIssue] = []
        var auditEntries = 0

        var errors: [ImportIssue] { issues.filter { $0.severity == .error } }

        /// Adds another workbook's report to this one (an import of many workbooks).
        mutating func merge(_ other: Report) {
            created.merge(other.created, uniquingKeysWith: +)
            updated.merge(other.updated, uniquingKeysWith: +)
            unchanged.merge(other.unchanged, uniquingKeysWith: +)
            issues += other.issues
            auditEntries += other.auditEntries
        }
    }

    let database: any Database
    let actor: String
    let source: String
    let origin: String
    /// The document being imported, recorded on the cycles it writes (their pages name it);
    /// nil leaves a cycle's recorded source as it is.
    var sourceDocument: String? = nil
    private(set) var report = Report()
    private var audits: [AuditEntry] = []
    private let now = HyokaClock.date

    // Records already in the database, by natural key, loaded once per municipality.
    private var municipalities: [String: Municipality] = [:]
    private var departments: [UUID: [String: Department]] = [:]
    private var programs: [UUID: [String: Program]] = [:]
    private var plans: [UUID: [String: Plan]] = [:]
    private var planNodes: [UUID: [String: PlanNode]] = [:]
    private var regions: [UUID: [String: Region]] = [:]
    private var projects: [UUID: [String: CollaborationProject]] = [:]
    private var manifestos: [UUID: [String: Manifesto]] = [:]
    private var goals: [UUID: [Int: ManifestoGoal]] = [:]
    private var indicators: [String: Indicator] = [:]
    private var cycles: [UUID: [Int: Cycle]] = [:]

    /// Municipalities this store created: nothing of theirs is in the database yet, so
    /// looking records up by natural key can be skipped (unless the file repeats a key,
    /// which `seenKeys` catches). This is what makes a first import of a large file fast.
    private var freshMunicipalities: Set<UUID> = []
    private var seenKeys: Set<String> = []
    /// The numbers of value texts already read (`1,234人` → `1234`): the same texts recur
    /// across KPIs and years, and parsing is the costly part of a value.
    private var numbers: [String: String?] = [:]
    /// Created records wait here and go out as multi-row INSERTs, parents before children
    /// (the order in which their kinds were first queued).
    private var pending: [ObjectIdentifier: any PendingCreates] = [:]
    private var pendingOrder: [ObjectIdentifier] = []

    /// Called as records are written (done, total): the import command draws a progress
    /// bar with it on a terminal.
    var progress: (@Sendable (Int, Int) -> Void)?
    private var done = 0
    private var total = 0

    init(database: any Database, actor: String, source: String, origin: String) {
        self.database = database
        self.actor = actor
        self.source = source
        self.origin = origin
    }

    /// Writes everything; returns the report. Reference errors (a budget of a program the
    /// file and the database do not have) are collected; the caller rolls back on any.
    mutating func write(_ dataset: Dataset) async throws -> Report {
        // Members and partners are written as records of their own.
        total = dataset.counts.reduce(0) { $0 + $1.count } + dataset.regions.reduce(0) { $0 + $1.members.count }
            + dataset.collaborationProjects.reduce(0) { $0 + $1.partners.count }
        for record in dataset.municipalities { try await store(record) }
        try await flushCreates()
        for record in dataset.departments { try await store(record) }
        try await flushCreates()
        for record in dataset.plans { try await store(record) }
        try await flushCreates()
        for record in dataset.planNodes where record.parentCode == nil { try await store(record) }
        try await flushCreates()
        for record in dataset.planNodes where record.parentCode != nil { try await store(record) }
        try await flushCreates()
        for record in dataset.programs { try await store(record) }
        try await flushCreates()
        for record in dataset.planLinks { try await store(record) }
        try await flushCreates()
        for record in dataset.regions { try await store(record) }
        try await flushCreates()
        for record in dataset.collaborationProjects { try await store(record) }
        try await flushCreates()
        for record in dataset.collaborationCosts { try await store(record) }
        try await flushCreates()
        for record in dataset.collaborationRoles { try await store(record) }
        try await flushCreates()
        for record in dataset.manifestos { try await store(record) }
        try await flushCreates()
        for record in dataset.manifestoGoals { try await store(record) }
        try await flushCreates()
        for record in dataset.indicators { try await store(record) }
        try await flushCreates()
        for record in dataset.indicatorValues { try await store(record) }
        try await flushCreates()
        for record in dataset.budgets { try await store(record) }
        try await flushCreates()
        for record in dataset.evaluations { try await store(record) }
        try await flushCreates()
        for record in dataset.cycles { try await store(record) }
        try await flushCreates()
        for record in dataset.sheets { try await store(record) }
        try await flushCreates()
        for record in dataset.inventoryReviews { try await store(record) }
        try await flushCreates()
        for record in dataset.headlineFigures { try await store(record) }
        try await flushCreates()
        // In pieces: one INSERT of thousands of rows would pass PostgreSQL's 65,535 bind
        // parameters (and SQLite's limit).
        try await audits.bulkCreate(on: database)
        // What the public sees is derived again, in this transaction, for each municipality
        // whose public data the import changed (`refresh` moves its data version too).
        let touched = Set(audits.filter { PortalCache.DataVersion.counts(entity: $0.entity, source: $0.source) }.compactMap { $0.$municipality.id })
        for id in touched.sorted(by: { $0.uuidString < $1.uuidString }) {
            try await PublicReadModel.refresh(municipalityID: id, on: database)
        }
        report.auditEntries = audits.count
        return report
    }

    // MARK: generic upsert with audit

    /// Creates `existing ?? make()`, applies the record's values and saves it when
    /// something changed, auditing each field that changed.
    @discardableResult
    private mutating func upsert<M: Model>(_ kind: String, _ existing: M?, label: String, municipalityID: UUID?,
                                           make: () -> M, apply: (M) -> Void) async throws -> M where M.IDValue == UUID {
        done += 1
        if let progress, done % 250 == 0 || done == total { progress(done, max(done, total)) }
        if let model = existing {
            let before = Self.snapshot(model)
            apply(model)
            let after = Self.snapshot(model)
            let changed = Set(after.keys).union(before.keys).filter { before[$0] != after[$0] }.sorted()
            if changed.isEmpty {
                report.unchanged[kind, default: 0] += 1
                return model
            }
            // The record may be one created earlier in this file and still queued.
            try await flushCreates()
            try await model.save(on: database)
            report.updated[kind, default: 0] += 1
            for field in changed {
                audit(kind, id: model.id as? UUID, label: label, municipalityID: municipalityID, field: field, before: before[field], after: after[field])
            }
            return model
        }
        let model = make()
        apply(model)
        // The id is chosen here so that children can refer to it before the INSERT.
        model.id = UUID()
        queue(model)
        report.created[kind, default: 0] += 1
        audit(kind, id: model.id as? UUID, label: label, municipalityID: municipalityID, field: "*", before: nil, after: "created")
        return model
    }

    private mutating func queue<M: Model>(_ model: M) {
        let type = ObjectIdentifier(M.self)
        if let batch = pending[type] as? PendingBatch<M> {
            batch.models.append(model)
        } else {
            pending[type] = PendingBatch(model)
            pendingOrder.append(type)
        }
    }

    /// Writes every queued record.
    private mutating func flushCreates() async throws {
        guard !pendingOrder.isEmpty else { return }
        for type in pendingOrder { try await pending[type]?.flush(on: database) }
        pending = [:]
        pendingOrder = []
    }

    /// The stored record with this natural key. Skips the query for a municipality created
    /// by this store unless the file repeats the key; otherwise writes what is queued first,
    /// so that the query sees it.
    private mutating func existing<M: Model>(_ kind: String, key: String, municipalityID: UUID,
                                             _ query: (any Database) -> QueryBuilder<M>) async throws -> M? {
        if freshMunicipalities.contains(municipalityID), seenKeys.insert(kind + "\u{1F}" + key).inserted { return nil }
        try await flushCreates()
        return try await query(database).first()
    }

    private mutating func numericText(_ raw: String) -> String? {
        if let known = numbers[raw] { return known }
        let number = Measure.parse(raw).numericValue.map { NSDecimalNumber(decimal: $0).stringValue }
        numbers[raw] = number
        return number
    }

    private mutating func audit(_ kind: String, id: UUID?, label: String, municipalityID: UUID?, field: String, before: String?, after: String?) {
        audits.append(AuditEntry(municipalityID: municipalityID, actor: actor, source: source, at: now, entity: kind, entityID: id,
                                 label: "\(label) (\(origin))", field: field, before: before, after: after))
    }

    /// The stored fields of a model as text, for comparing before and after.
    static func snapshot<M: Model>(_ model: M) -> [String: String] {
        guard let data = try? JSONEncoder().encode(model),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        var out: [String: String] = [:]
        for (key, value) in object where key != "createdAt" && key != "updatedAt" && key != "id" {
            if let nested = value as? [String: Any] {
                out[key] = nested["id"].map { "\($0)" } ?? "null"
            } else if value is NSNull {
                out[key] = "null"
            } else {
                out[key] = "\(value)"
            }
        }
        return out
    }

    private mutating func missing(_ what: String, _ key: String, kind: String) {
        report.issues.append(.error(at: SourceLocation(file: origin),
                                    "\(kind): \(what)「\(key)」が見つかりません。ファイルか登録済みのデータに含めてください",
                                    "\(kind): \(what) \"\(key)\" is neither in the file nor in the database; add it"))
    }

    // MARK: lookups

    private mutating func municipality(_ code: String, kind: String) async throws -> Municipality? {
        if let found = municipalities[code] { return found }
        if let found = try await Municipality.query(on: database).filter(\.$code == code).first() {
            municipalities[code] = found
            return found
        }
        missing("団体コード", code, kind: kind)
        return nil
    }

    private mutating func departmentMap(_ municipalityID: UUID) async throws -> [String: Department] {
        if let map = departments[municipalityID] { return map }
        let all = try await Department.query(on: database).filter(\.$municipality.$id == municipalityID).all()
        let map = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        departments[municipalityID] = map
        return map
    }

    private mutating func department(_ name: String, in municipalityID: UUID, kind: String) async throws -> Department? {
        if let found = try await departmentMap(municipalityID)[name] { return found }
        missing("部署", name, kind: kind)
        return nil
    }

    private mutating func programMap(_ municipalityID: UUID) async throws -> [String: Program] {
        if let map = programs[municipalityID] { return map }
        let all = try await Program.query(on: database).filter(\.$municipality.$id == municipalityID).all()
        let map = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        programs[municipalityID] = map
        return map
    }

    private mutating func program(_ name: String, in municipalityID: UUID, kind: String) async throws -> Program? {
        if let found = try await programMap(municipalityID)[name] { return found }
        missing("事業", name, kind: kind)
        return nil
    }

    private mutating func plan(_ name: String, in municipalityID: UUID, kind: String) async throws -> Plan? {
        if plans[municipalityID] == nil {
            let all = try await Plan.query(on: database).filter(\.$municipality.$id == municipalityID).all()
            plans[municipalityID] = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        }
        if let found = plans[municipalityID]?[name] { return found }
        missing("計画", name, kind: kind)
        return nil
    }

    private mutating func planNodeMap(_ planID: UUID) async throws -> [String: PlanNode] {
        if let map = planNodes[planID] { return map }
        let all = try await PlanNode.query(on: database).filter(\.$plan.$id == planID).all()
        let map = Dictionary(all.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        planNodes[planID] = map
        return map
    }

    private mutating func planNode(plan planName: String, code: String, in municipalityID: UUID, kind: String) async throws -> PlanNode? {
        guard let plan = try await plan(planName, in: municipalityID, kind: kind), let planID = plan.id else { return nil }
        if let found = try await planNodeMap(planID)[code] { return found }
        missing("施策", code, kind: kind)
        return nil
    }

    private mutating func region(_ name: String, in municipalityID: UUID, kind: String) async throws -> Region? {
        if regions[municipalityID] == nil {
            let all = try await Region.query(on: database).filter(\.$municipality.$id == municipalityID).all()
            regions[municipalityID] = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        }
        if let found = regions[municipalityID]?[name] { return found }
        missing("圏域", name, kind: kind)
        return nil
    }

    private static func projectKey(_ category: String, _ name: String) -> String { category + "\u{1F}" + name }

    private mutating func projectMap(_ regionID: UUID) async throws -> [String: CollaborationProject] {
        if let map = projects[regionID] { return map }
        let all = try await CollaborationProject.query(on: database).filter(\.$region.$id == regionID).all()
        let map = Dictionary(all.map { (Self.projectKey($0.agreementCategory, $0.name), $0) }, uniquingKeysWith: { a, _ in a })
        projects[regionID] = map
        return map
    }

    private mutating func project(region regionName: String, category: String, name: String, in municipalityID: UUID, kind: String) async throws -> CollaborationProject? {
        guard let region = try await region(regionName, in: municipalityID, kind: kind), let regionID = region.id else { return nil }
        if let found = try await projectMap(regionID)[Self.projectKey(category, name)] { return found }
        missing("連携事業", name, kind: kind)
        return nil
    }

    private mutating func manifesto(department: String, fiscalYear: Int, in municipalityID: UUID, kind: String) async throws -> Manifesto? {
        if manifestos[municipalityID] == nil {
            let all = try await Manifesto.query(on: database).filter(\.$municipality.$id == municipalityID).with(\.$department).all()
            manifestos[municipalityID] = Dictionary(all.map { ("\($0.department.name)\u{1F}\($0.fiscalYear)", $0) }, uniquingKeysWith: { a, _ in a })
        }
        if let found = manifestos[municipalityID]?["\(department)\u{1F}\(fiscalYear)"] { return found }
        missing("マニフェスト", "\(department) \(fiscalYear)年度", kind: kind)
        return nil
    }

    private mutating func goalMap(_ manifestoID: UUID) async throws -> [Int: ManifestoGoal] {
        if let map = goals[manifestoID] { return map }
        let all = try await ManifestoGoal.query(on: database).filter(\.$manifesto.$id == manifestoID).all()
        let map = Dictionary(all.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
        goals[manifestoID] = map
        return map
    }

    private mutating func cycle(_ municipalityID: UUID, _ fiscalYear: Int) async throws -> Cycle? {
        if cycles[municipalityID] == nil {
            let all = try await Cycle.query(on: database).filter(\.$municipality.$id == municipalityID).all()
            cycles[municipalityID] = Dictionary(all.map { ($0.fiscalYear, $0) }, uniquingKeysWith: { a, _ in a })
        }
        return cycles[municipalityID]?[fiscalYear]
    }

    /// The owner of an indicator as foreign keys, or nil (reported) when it is unknown.
    private mutating func owner(_ owner: IndicatorOwner, in municipalityID: UUID, kind: String)
        async throws -> (program: UUID?, planNode: UUID?, project: UUID?, goal: UUID?)?
    {
        switch owner {
        case let .program(name):
            guard let id = try await program(name, in: municipalityID, kind: kind)?.id else { return nil }
            return (id, nil, nil, nil)
        case let .planNode(planName, code):
            guard let id = try await planNode(plan: planName, code: code, in: municipalityID, kind: kind)?.id else { return nil }
            return (nil, id, nil, nil)
        case let .collaborationProject(regionName, category, name):
            guard let id = try await project(region: regionName, category: category, name: name, in: municipalityID, kind: kind)?.id else { return nil }
            return (nil, nil, id, nil)
        case let .manifestoGoal(departmentName, year, number):
            guard let manifesto = try await manifesto(department: departmentName, fiscalYear: year, in: municipalityID, kind: kind),
                  let manifestoID = manifesto.id else { return nil }
            guard let id = try await goalMap(manifestoID)[number]?.id else {
                missing("部局目標", "\(departmentName) \(number)", kind: kind)
                return nil
            }
            return (nil, nil, nil, id)
        }
    }

    private static func ownerKey(_ ids: (program: UUID?, planNode: UUID?, project: UUID?, goal: UUID?), _ name: String) -> String {
        [ids.program, ids.planNode, ids.project, ids.goal].map { $0?.uuidString ?? "-" }.joined(separator: "/") + "/" + name
    }

    private mutating func indicator(owner ids: (program: UUID?, planNode: UUID?, project: UUID?, goal: UUID?), name: String,
                                    municipalityID: UUID) async throws -> Indicator? {
        let key = Self.ownerKey(ids, name)
        if let found = indicators[key] { return found }
        if freshMunicipalities.contains(municipalityID) { return nil }
        try await flushCreates()
        var query = Indicator.query(on: database).filter(\.$name == name)
        query = ids.program.map { query.filter(\.$program.$id == $0) } ?? query.filter(\.$program.$id == nil)
        query = ids.planNode.map { query.filter(\.$planNode.$id == $0) } ?? query.filter(\.$planNode.$id == nil)
        query = ids.project.map { query.filter(\.$collaborationProject.$id == $0) } ?? query.filter(\.$collaborationProject.$id == nil)
        query = ids.goal.map { query.filter(\.$manifestoGoal.$id == $0) } ?? query.filter(\.$manifestoGoal.$id == nil)
        let found = try await query.first()
        if let found { indicators[key] = found }
        return found
    }

    // MARK: records

    private mutating func store(_ r: MunicipalityRecord) async throws {
        let code = try MunicipalityCode(r.code)
        let existing = try await Municipality.query(on: database).filter(\.$code == code.value).first()
        let model = try await upsert("municipalities", existing, label: "\(r.code) \(r.name)", municipalityID: existing?.id,
                                     make: { Municipality() }) { m in
            m.code = code.value
            m.name = r.name
            m.nameEnglish = r.nameEnglish
            m.prefecture = r.prefecture
            m.formula = r.lowerIsBetterFormula
            m.budgetTrendThreshold = r.budgetTrendThresholdPercent
            m.personnelCostPerHourYen = r.personnelCostPerHour?.yen
            m.evaluationViewpoints = r.evaluationViewpoints.isEmpty ? nil : r.evaluationViewpoints.joined(separator: "\n")
        }
        municipalities[code.value] = model
        if existing == nil, let id = model.id {
            freshMunicipalities.insert(id)
            try await flushCreates()
        }
    }

    private mutating func store(_ r: DepartmentRecord) async throws {
        guard let m = try await municipality(r.municipalityCode, kind: "departments"), let mid = m.id else { return }
        let map = try await departmentMap(mid)
        let parentID = r.parentName.flatMap { map[$0]?.id }
        if let parentName = r.parentName, parentID == nil {
            missing("親部署", parentName, kind: "departments")
            return
        }
        let model = try await upsert("departments", map[r.name], label: r.name, municipalityID: mid, make: { Department() }) { d in
            d.$municipality.id = mid
            d.$parent.id = parentID
            d.name = r.name
            d.level = r.level.rawValue
            d.code = r.code
            if d.id == nil { d.sortOrder = map.count }
        }
        departments[mid]?[r.name] = model
    }

    private mutating func store(_ r: PlanRecord) async throws {
        guard let m = try await municipality(r.municipalityCode, kind: "plans"), let mid = m.id else { return }
        if plans[mid] == nil {
            let all = try await Plan.query(on: database).filter(\.$municipality.$id == mid).all()
            plans[mid] = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        }
        let model = try await upsert("plans", plans[mid]?[r.name], label: r.name, municipalityID: mid, make: { Plan() }) { p in
            p.$municipality.id = mid
            p.name = r.name
            p.startFiscalYear = r.startFiscalYear
            p.endFiscalYear = r.endFiscalYear
        }
        plans[mid]?[r.name] = model
    }

    private mutating func store(_ r: PlanNodeRecord) async throws {
        guard let m = try await municipality(r.municipalityCode, kind: "plan_nodes"), let mid = m.id,
              let plan = try await plan(r.plan, in: mid, kind: "plan_nodes"), let planID = plan.id else { return }
        let map = try await planNodeMap(planID)
        let parentID = r.parentCode.flatMap { map[$0]?.id }
        if let parentCode = r.parentCode, parentID == nil {
            missing("親施策", parentCode, kind: "plan_nodes")
            return
        }
        let model = try await upsert("plan_nodes", map[r.code], label: "\(r.code) \(r.title)", municipalityID: mid, make: { PlanNode() }) { n in
            n.$plan.id = planID
            n.$parent.id = parentID
            n.code = r.code
            n.title = r.title
            n.level = r.level
            if n.id == nil { n.sortOrder = map.count }
        }
        planNodes[planID]?[r.code] = model
    }

    private mutating func store(_ r: ProgramRecord) async throws {
        guard let m = try await municipality(r.municipalityCode, kind: "programs"), let mid = m.id else { return }
        var departmentID: UUID?
        if let name = r.department {
            guard let department = try await department(name, in: mid, kind: "programs") else { return }
            departmentID = department.id
        }
        let map = try await programMap(mid)
        let model = try await upsert("programs", map[r.name], label: r.name, municipalityID: mid, make: { Program() }) { p in
            p.$municipality.id = mid
            p.$department.id = departmentID
            p.name = r.name
            p.number = r.number
            p.summary = r.summary
            p.sdgGoals = r.sdgGoals.map(String.init).joined(separator: ",")
            p.startFiscalYear = r.startFiscalYear
            p.endFiscalYear = r.endFiscalYear
            p.legalBasis = r.legalBasis
            p.category = r.category
            p.periodKind = r.periodKind
            p.budgetAccounts = r.budgetAccounts.isEmpty ? nil : r.budgetAccounts.joined(separator: "\n")
            p.purposeTarget = r.purposeTarget
            p.purposeIntent = r.purposeIntent
            p.purposeResult = r.purposeResult
            p.meansPreviousYear = r.meansPreviousYear
            p.meansThisYear = r.meansThisYear
        }
        programs[mid]?[r.name] = model
    }

    private mutating func store(_ r: PlanLinkRecord) async throws {
        guard let m = try await municipality(r.municipalityCode, kind: "plan_links"), let mid = m.id,
              let node = try await planNode(plan: r.plan, code: r.nodeCode, in: mid, kind: "plan_links"), let nodeID = node.id,
              let program = try await program(r.program, in: mid, kind: "plan_links"), let programID = program.id else { return }
        let existing = try await existing("plan_links", key: "\(nodeID)/\(programID)", municipalityID: mid) { db in
            PlanLink.query(on: db).filter(\.$planNode.$id == nodeID).filter(\.$program.$id == programID)
        }
        try await upsert("plan_links", existing, label: "\(r.nodeCode) / \(r.program)", municipalityID: mid, make: { PlanLink() }) { l in
            l.$planNode.id = nodeID
            l.$program.id = programID
            l.number = r.number
            l.summary = r.summary
            l.sortOrder = Int(r.number ?? "") ?? 0
        }
    }

    private mutating func store(_ r: RegionRecord) async throws {
        guard let m = try await municipality(r.municipalityCode, kind: "regions"), let mid = m.id else { return }
        if regions[mid] == nil {
            let all = try await Region.query(on: database).filter(\.$municipality.$id == mid).all()
            regions[mid] = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        }
        let model = try await upsert("regions", regions[mid]?[r.name], label: r.name, municipalityID: mid, make: { Region() }) { g in
            g.$municipality.id = mid
            g.name = r.name
            g.centralCity = r.centralCity
            g.startFiscalYear = r.startFiscalYear
            g.endFiscalYear = r.endFiscalYear
        }
        regions[mid]?[r.name] = model
        guard let regionID = model.id else { return }
        try await flushCreates()
        let members = try await RegionMember.query(on: database).filter(\.$region.$id == regionID).all()
        let byName = Dictionary(members.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for (order, name) in r.members.enumerated() {
            try await upsert("region_members", byName[name], label: "\(r.name) / \(name)", municipalityID: mid, make: { RegionMember() }) { x in
                x.$region.id = regionID
                x.name = name
                x.sortOrder = order
            }
        }
    }

    private mutating func store(_ r: CollaborationProjectRecord) async throws {
        guard let m = try await municipality(r.municipalityCode, kind: "collaboration_projects"), let mid = m.id,
              let region = try await region(r.region, in: mid, kind: "collaboration_projects"), let regionID = region.id else { return }
        let map = try await projectMap(regionID)
        let key = Self.projectKey(r.agreementCategory, r.name)
        let model = try await upsert("collaboration_projects", map[key], label: r.name, municipalityID: mid, make: { CollaborationProject() }) { p in
            p.$region.id = regionID
            p.policyField = r.policyField
            p.agreementCategory = r.agreementCategory
            p.name = r.name
            p.content = r.content
            p.effects = r.effects.isEmpty ? nil : r.effects.joined(separator: "\n")
            p.partnersText = r.partnersText
            p.allMembers = r.allMembers
            p.costSharing = r.costSharing.isEmpty ? nil : r.costSharing.joined(separator: "\n")
            p.isRepost = r.isRepost
            if p.id == nil { p.sortOrder = map.count }
        }
        projects[regionID]?[key] = model
        guard let projectID = model.id else { return }
        try await flushCreates()
        let partners = try await CollaborationPartner.query(on: database).filter(\.$project.$id == projectID).all()
        let byName = Dictionary(partners.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for (order, name) in r.partners.enumerated() {
            try await upsert("collaboration_partners", byName[name], label: "\(r.name) / \(name)", municipalityID: mid, make: { CollaborationPartner() }) { x in
                x.$project.id = projectID
                x.name = name
                x.sortOrder = order
            }
        }
    }

    private mutating func store(_ r: CollaborationCostRecord) async throws {
        guard let m = try await municipality(r.municipalityCode, kind: "collaboration_costs"), let mid = m.id,
              let project = try await project(region: r.region, category: r.agreementCategory, name: r.project, in: mid, kind: "collaboration_costs"),
              let projectID = project.id else { return }
        let existing = try await existing("collaboration_costs", key: "\(projectID)/\(r.fiscalYear)", municipalityID: mid) { db in
            CollaborationCost.query(on: db).filter(\.$project.$id == projectID).filter(\.$fiscalYear == r.fiscalYear)
        }
        try await upsert("collaboration_costs", existing, label: "\(r.project) \(r.fiscalYear)", municipalityID: mid, make: { CollaborationCost() }) { c in
            c.$project.id = projectID
            c.fiscalYear = r.fiscalYear
            c.amountRaw = r.amountRaw
            c.amountYen = (try? Money.parse(r.amountRaw, defaultUnit: .thousandYen))?.yen
            c.note = r.note
        }
    }

    private mutating func store(_ r: CollaborationRoleRecord) async throws {
        guard let m = try await municipality(r.municipalityCode, kind: "collaboration_roles"), let mid = m.id,
              let project = try await project(region: r.region, category: r.agreementCategory, name: r.project, in: mid, kind: "collaboration_roles"),
              let projectID = project.id else { return }
        try await flushCreates()
        let roles = try await CollaborationRole.query(on: database).filter(\.$project.$id == projectID).all()
        let existing = roles.first { $0.party == r.party }
        try await upsert("collaboration_roles", existing, label: "\(r.project) / \(r.party)", municipalityID: mid, make: { CollaborationRole() }) { x in
            x.$project.id = projectID
            x.party = r.party
            x.role = r.role.joined(separator: "\n")
            if x.id == nil { x.sortOrder = roles.count }
        }
    }

    private mutating func store(_ r: ManifestoRecord) async throws {
        guard let m = try await municipality(r.municipalityCode, kind: "manifestos"), let mid = m.id,
              let department = try await department(r.department, in: mid, kind: "manifestos"), let departmentID = department.id else { return }
        try await flushCreates()
        let existing = try await Manifesto.query(on: database).filter(\.$department.$id == departmentID).filter(\.$fiscalYear == r.fiscalYear).first()
        let model = try await upsert("manifestos", existing, label: "\(r.department) \(r.fiscalYear)", municipalityID: mid, make: { Manifesto() }) { x in
            x.$municipality.id = mid
            x.$department.id = departmentID
            x.fiscalYear = r.fiscalYear
            x.headTitle = r.headTitle
            x.headName = r.headName
            x.contact = r.contact
            x.mission = r.mission
        }
        model.$department.value = department
        // Its goals look it up by department and year; queued, it would not be found.
        try await flushCreates()
        if manifestos[mid] == nil { _ = try await manifesto(department: r.department, fiscalYear: r.fiscalYear, in: mid, kind: "manifestos") }
        manifestos[mid]?["\(r.department)\u{1F}\(r.fiscalYear)"] = model
    }

    private mutating func store(_ r: ManifestoGoalRecord) async throws {
        guard let m = try await municipality(r.municipalityCode, kind: "manifesto_goals"), let mid = m.id,
              let manifesto = try await manifesto(department: r.department, fiscalYear: r.fiscalYear, in: mid, kind: "manifesto_goals"),
              let manifestoID = manifesto.id else { return }
        let map = try await goalMap(manifestoID)
        let model = try await upsert("manifesto_goals", map[r.number], label: "\(r.department) \(r.number) \(r.title)", municipalityID: mid,
                                     make: { ManifestoGoal() }) { g in
            g.$manifesto.id = manifestoID
            g.number = r.number
            g.heading = r.heading
            g.title = r.title
            g.relatedPolicy = r.relatedPolicy
            g.background = r.background
            g.currentAnalysis = r.currentAnalysis
            g.issues = r.issues
            g.targetFigures = r.targetFigures
            g.achievedState = r.achievedState
            g.meansAndProcess = r.meansAndProcess
            g.selfGrade = r.selfGrade
            g.selfReason = r.selfReason
            g.supervisorGrade = r.supervisorGrade
        }
        goals[manifestoID]?[r.number] = model
    }

    private mutating func store(_ r: IndicatorRecord) async throws {
        guard let m = try await municipality(r.municipalityCode, kind: "indicators"), let mid = m.id,
              let ids = try await owner(r.owner, in: mid, kind: "indicators") else { return }
        let existing = try await indicator(owner: ids, name: r.name, municipalityID: mid)
        let baseline = Measure.parse(r.baselineRaw), final = Measure.parse(r.finalTargetRaw)
        let order = indicators.count
        let model = try await upsert("indicators", existing, label: r.name, municipalityID: mid, make: { Indicator() }) { i in
            i.$program.id = ids.program
            i.$planNode.id = ids.planNode
            i.$collaborationProject.id = ids.project
            i.$manifestoGoal.id = ids.goal
            i.name = r.name
            i.kind = r.kind.rawValue
            i.unit = r.unit
            i.direction = r.direction.rawValue
            i.directionSource = r.directionSource.rawValue
            i.formula = r.formula?.rawValue
            i.baselineRaw = r.baselineRaw
            i.baselineValue = baseline.numericValue.map { NSDecimalNumber(decimal: $0).stringValue }
            i.baselineYear = r.baselineYear
            i.finalTargetRaw = r.finalTargetRaw
            i.finalTargetValue = final.numericValue.map { NSDecimalNumber(decimal: $0).stringValue }
            i.finalTargetYear = r.finalTargetYear
            if i.id == nil { i.sortOrder = order }
        }
        indicators[Self.ownerKey(ids, r.name)] = model
    }

    private mutating func store(_ r: IndicatorValueRecord) async throws {
        guard let m = try await municipality(r.municipalityCode, kind: "indicator_values"), let mid = m.id,
              let ids = try await owner(r.owner, in: mid, kind: "indicator_values") else { return }
        guard let indicator = try await indicator(owner: ids, name: r.indicatorName, municipalityID: mid), let indicatorID = indicator.id else {
            missing("指標", r.indicatorName, kind: "indicator_values")
            return
        }
        let existing = try await existing("indicator_values", key: "\(indicatorID)/\(r.fiscalYear)", municipalityID: mid) { db in
            IndicatorValue.query(on: db).filter(\.$indicator.$id == indicatorID).filter(\.$fiscalYear == r.fiscalYear)
        }
        let target = numericText(r.targetRaw), actual = numericText(r.actualRaw)
        try await upsert("indicator_values", existing, label: "\(r.indicatorName) \(r.fiscalYear)", municipalityID: mid, make: { IndicatorValue() }) { v in
            v.$indicator.id = indicatorID
            v.fiscalYear = r.fiscalYear
            v.targetRaw = r.targetRaw
            v.targetValue = target
            v.actualRaw = r.actualRaw
            v.actualValue = actual
            v.publishedRateRaw = r.publishedRateRaw
        }
    }

    private mutating func store(_ r: BudgetRecord) async throws {
        guard let m = try await municipality(r.municipalityCode, kind: "budgets"), let mid = m.id,
              let program = try await program(r.program, in: mid, kind: "budgets"), let programID = program.id else { return }
        let existing = try await existing("budgets", key: "\(programID)/\(r.fiscalYear)", municipalityID: mid) { db in
            BudgetLine.query(on: db).filter(\.$program.$id == programID).filter(\.$fiscalYear == r.fiscalYear)
        }
        try await upsert("budgets", existing, label: "\(r.program) \(r.fiscalYear)", municipalityID: mid, make: { BudgetLine() }) { b in
            b.$program.id = programID
            b.fiscalYear = r.fiscalYear
            b.budgetYen = r.budget?.yen
            b.settlementYen = r.settlement?.yen
            b.personnelCostYen = r.personnelCost?.yen
            b.nationalYen = r.national?.yen
            b.prefecturalYen = r.prefectural?.yen
            b.bondYen = r.bond?.yen
            b.otherSpecificYen = r.otherSpecific?.yen
            b.generalYen = r.general?.yen
            b.staffCount = r.staffCount.map { "\($0)" }
            b.workHours = r.workHours.map { "\($0)" }
            b.isPlanned = r.isPlanned
            b.publishedTrend = r.publishedTrend
        }
    }

    private mutating func store(_ r: EvaluationRecord) async throws {
        guard let m = try await municipality(r.municipalityCode, kind: "evaluations"), let mid = m.id else { return }
        var query = Evaluation.query(on: database).filter(\.$fiscalYear == r.fiscalYear).filter(\.$stage == r.stage.rawValue)
        var programID: UUID?, nodeID: UUID?
        let label: String
        switch r.subject {
        case let .program(name):
            guard let id = try await program(name, in: mid, kind: "evaluations")?.id else { return }
            programID = id
            query = query.filter(\.$program.$id == id)
            label = name
        case let .planNode(planName, code):
            guard let id = try await planNode(plan: planName, code: code, in: mid, kind: "evaluations")?.id else { return }
            nodeID = id
            query = query.filter(\.$planNode.$id == id)
            label = code
        }
        let subjectKey = "\(programID?.uuidString ?? "-")/\(nodeID?.uuidString ?? "-")/\(r.fiscalYear)/\(r.stage.rawValue)"
        let existing = try await existing("evaluations", key: subjectKey, municipalityID: mid) { _ in query }
        let evaluation = try await upsert("evaluations", existing, label: "\(label) \(r.fiscalYear) \(r.stage.japanese)", municipalityID: mid, make: { Evaluation() }) { e in
            e.$program.id = programID
            e.$planNode.id = nodeID
            e.fiscalYear = r.fiscalYear
            e.stage = r.stage.rawValue
            e.grade = r.grade
            e.direction = r.direction
            e.comment = r.comment
            e.improvement = r.improvement
            e.author = r.author
            e.expectedOutcome = r.expectedOutcome
            e.expectedCost = r.expectedCost
        }
        try await storeViewpoints(r.viewpoints, of: evaluation, label: "\(label) \(r.fiscalYear) \(r.stage.japanese)", municipalityID: mid)
    }

    /// The checklist of an evaluation, replaced as a whole when it differs (its rows have
    /// no key but their place), audited as one change.
    private mutating func storeViewpoints(_ viewpoints: [ViewpointJudgement], of evaluation: Evaluation, label: String, municipalityID: UUID) async throws {
        guard let evaluationID = evaluation.id else { return }
        func line(_ v: ViewpointJudgement) -> String { "\(v.viewpoint)\u{1F}\(v.judgement)\u{1F}\(v.reason ?? "")" }
        // A new evaluation has no checklist yet: no query for each of 400 programs.
        var stored: [EvaluationViewpoint] = []
        if evaluation.$id.exists {
            stored = try await EvaluationViewpoint.query(on: database).filter(\.$evaluation.$id == evaluationID).sort(\.$position).all()
        }
        let before = stored.map { line(.init(viewpoint: $0.viewpoint, judgement: $0.judgement, reason: $0.reason)) }
        let after = viewpoints.map(line)
        // Counted a row a viewpoint, as the workbook's evaluation_viewpoints table has them.
        guard before != after else {
            report.unchanged["evaluation_viewpoints", default: 0] += viewpoints.count
            return
        }
        if stored.isEmpty {
            report.created["evaluation_viewpoints", default: 0] += viewpoints.count
        } else {
            report.updated["evaluation_viewpoints", default: 0] += viewpoints.count
        }
        if !stored.isEmpty {
            try await EvaluationViewpoint.query(on: database).filter(\.$evaluation.$id == evaluationID).delete()
        }
        // Queued after their evaluation (parents' kinds are flushed first), in multi-row INSERTs.
        for (n, v) in viewpoints.enumerated() {
            let row = EvaluationViewpoint()
            row.$evaluation.id = evaluationID
            row.position = n
            row.viewpoint = v.viewpoint
            row.judgement = v.judgement
            row.reason = v.reason
            row.id = UUID()
            queue(row)
        }
        audit("evaluation_viewpoints", id: evaluationID, label: label, municipalityID: municipalityID, field: "viewpoints",
              before: before.isEmpty ? nil : before.joined(separator: "\n"), after: after.isEmpty ? nil : after.joined(separator: "\n"))
    }

    private mutating func store(_ r: CycleRecord) async throws {
        guard let m = try await municipality(r.municipalityCode, kind: "cycles"), let mid = m.id else { return }
        let existing = try await cycle(mid, r.fiscalYear)
        let sourceDocument = self.sourceDocument
        let model = try await upsert("cycles", existing, label: "\(r.fiscalYear)", municipalityID: mid, make: { Cycle() }) { c in
            c.$municipality.id = mid
            c.fiscalYear = r.fiscalYear
            c.phase = r.phase.rawValue
            if let document = sourceDocument { c.sourceDocument = document }
        }
        cycles[mid]?[r.fiscalYear] = model
    }

    private mutating func store(_ r: SheetRecord) async throws {
        guard let m = try await municipality(r.municipalityCode, kind: "sheets"), let mid = m.id,
              let program = try await program(r.program, in: mid, kind: "sheets"), let programID = program.id else { return }
        guard let cycle = try await cycle(mid, r.fiscalYear), let cycleID = cycle.id else {
            missing("評価サイクル", "\(r.fiscalYear)年度", kind: "sheets")
            return
        }
        let existing = try await existing("sheets", key: "\(cycleID)/\(programID)", municipalityID: mid) { db in
            SheetStatus.query(on: db).filter(\.$cycle.$id == cycleID).filter(\.$program.$id == programID)
        }
        try await upsert("sheets", existing, label: "\(r.program) \(r.fiscalYear)", municipalityID: mid, make: { SheetStatus() }) { s in
            s.$cycle.id = cycleID
            s.$program.id = programID
            s.status = r.status.rawValue
            s.returnReason = r.returnReason
            if s.id == nil { s.version = 1 }
        }
    }

    private mutating func store(_ r: InventoryReviewRecord) async throws {
        guard let m = try await municipality(r.municipalityCode, kind: "inventory_reviews"), let mid = m.id,
              let program = try await program(r.program, in: mid, kind: "inventory_reviews"), let programID = program.id else { return }
        let existing = try await existing("inventory_reviews", key: "\(programID)/\(r.reviewRound)", municipalityID: mid) { db in
            InventoryReview.query(on: db).filter(\.$program.$id == programID).filter(\.$reviewRound == r.reviewRound)
        }
        try await upsert("inventory_reviews", existing, label: "\(r.program) \(r.reviewRound)", municipalityID: mid, make: { InventoryReview() }) { x in
            x.$program.id = programID
            x.fiscalYear = r.fiscalYear
            x.reviewRound = r.reviewRound
            x.viewpoints = r.viewpoints.map(String.init).joined(separator: ",")
            x.result = r.result.rawValue
            x.savingYen = r.saving?.yen
            x.note = r.note
        }
    }

    private mutating func store(_ r: HeadlineFigureRecord) async throws {
        guard let m = try await municipality(r.municipalityCode, kind: "headline_figures"), let mid = m.id else { return }
        let existing = try await existing("headline_figures", key: "\(r.name)/\(r.fiscalYear)", municipalityID: mid) { db in
            HeadlineFigure.query(on: db).filter(\.$municipality.$id == mid).filter(\.$name == r.name).filter(\.$fiscalYear == r.fiscalYear)
        }
        let measure = Measure.parse(r.valueRaw)
        try await upsert("headline_figures", existing, label: "\(r.name) \(r.fiscalYear)", municipalityID: mid, make: { HeadlineFigure() }) { h in
            h.$municipality.id = mid
            h.fiscalYear = r.fiscalYear
            h.name = r.name
            h.valueRaw = r.valueRaw
            h.value = measure.numericValue.map { NSDecimalNumber(decimal: $0).stringValue }
            h.unit = measure.unit
            h.publishedRecordHigh = r.publishedRecordHigh
            h.note = r.note
        }
    }
}

/// Records of one model type waiting to be inserted together.
private protocol PendingCreates: AnyObject {
    func flush(on database: any Database) async throws
}

private final class PendingBatch<M: Model>: PendingCreates {
    var models: [M]

    init(_ first: M) { models = [first] }

    /// In pieces of 500: a row has up to ~20 columns, and one statement may bind at most
    /// 32,766 values in SQLite and 65,535 in PostgreSQL.
    func flush(on database: any Database) async throws {
        if let bulk = models as? any BulkCreatable {
            try await bulk.bulkCreate(on: database)
        } else {
            for chunk in models.chunked(into: 500) { try await chunk.create(on: database) }
        }
        models = []
    }
}
