import Fluent
import Foundation
import HyokaCore
import HyokaImport

/// `hyoka import`: read a file, check it, write it in one transaction (or not at all).
enum Importer {
    struct Outcome: Sendable {
        var layout: DocumentLayout
        var read: ReadResult
        var store: DatasetStore.Report?
        var dryRun: Bool
        /// For a mapped import: the mapping's name and what the mapped reader saw.
        var mapping: (name: String, read: MappedReader.Outcome)?

        var errors: [ImportIssue] { read.errors + (store?.errors ?? []) }
        var succeeded: Bool { errors.isEmpty }
    }

    /// Thrown inside the transaction to roll it back when the store found errors.
    struct RollBack: Error {
        let report: DatasetStore.Report
    }

    static func run(_ url: URL, layout: DocumentLayout?, options: ReadOptions, dryRun: Bool, on db: any Database, actor: String,
                    progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Outcome {
        if layout == nil || layout == .workbook, let folders = workbookFolders(in: url) {
            return try await runSet(folders, dryRun: dryRun, on: db, actor: actor, progress: progress)
        }
        let (read, detected) = try DocumentReader.read(url, layout: layout, options: options)
        return try await write(read, layout: detected, municipalities: options.municipalityCode.map { [$0] } ?? [], origin: url.lastPathComponent,
                               dryRun: dryRun, on: db, actor: actor, progress: progress)
    }

    /// Reads files of a city's own layout through a mapping (docs/mapping.md) and writes
    /// them in one transaction: every file, or nothing.
    static func runMapped(_ urls: [URL], mapping: ImportMapping, options: ReadOptions, dryRun: Bool, on db: any Database, actor: String,
                          progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Outcome {
        var mapped = MappedReader.read(urls, mapping: mapping, options: options)
        if mapped.read.errors.isEmpty, mapped.read.dataset.programs.isEmpty {
            mapped.read.issues.append(.error(at: SourceLocation(file: urls.first?.lastPathComponent ?? "-"),
                                             "対応表「\(mapping.name)」で読める事業が 1 件もありません。source の sheet・headerRow・firstRow を確かめてください",
                                             "the mapping found no program in the file; check source.sheet, headerRow and firstRow"))
        }
        let origin = urls.count == 1 ? urls[0].lastPathComponent : "\(urls.count) files"
        // What the mapping configures for its municipalities: the hourly 人件費 and the
        // checklist's viewpoints (an existing municipality keeps its other settings).
        let configure: (@Sendable (inout MunicipalityRecord) -> Void)?
        if mapped.personnelCostPerHour != nil || !mapped.evaluationViewpoints.isEmpty {
            let rate = mapped.personnelCostPerHour, viewpoints = mapped.evaluationViewpoints
            configure = { record in
                if let rate { record.personnelCostPerHour = rate }
                if !viewpoints.isEmpty { record.evaluationViewpoints = viewpoints }
            }
        } else {
            configure = nil
        }
        var outcome = try await write(mapped.read, layout: .workbook, municipalities: mapped.municipalityCodes, origin: origin,
                                      dryRun: dryRun, on: db, actor: actor, progress: progress, configure: configure)
        outcome.mapping = (mapping.name, mapped)
        return outcome
    }

    /// Writes what a reader read in one transaction, or nothing when it found errors.
    static func write(_ read: ReadResult, layout: DocumentLayout, municipalities codes: [String], origin: String, dryRun: Bool,
                      on db: any Database, actor: String, progress: (@Sendable (Int, Int) -> Void)?,
                      configure: (@Sendable (inout MunicipalityRecord) -> Void)? = nil) async throws -> Outcome {
        var read = read
        guard read.errors.isEmpty else { return Outcome(layout: layout, read: read, store: nil, dryRun: dryRun) }
        // A municipality given by its code that neither the file nor the database holds is
        // taken from the national registry, so a new database needs nothing else.
        for code in codes where !read.dataset.municipalities.contains(where: { $0.code == code }) {
            if let existing = try await Municipality.query(on: db).filter(\.$code == code).first() {
                guard let configure else { continue }
                var record = DatasetLoader.municipalityRecord(existing)
                configure(&record)
                read.dataset.municipalities.append(record)
                continue
            }
            guard let entry = MunicipalityRegistry.entry(code) else { continue }
            var record = MunicipalityRecord(code: entry.code, name: entry.name, nameEnglish: entry.englishName, prefecture: entry.prefecture)
            configure?(&record)
            read.dataset.municipalities.append(record)
            read.notes.append("団体コード \(code) を全国地方公共団体コードから \(entry.name)（\(entry.prefecture)）として登録しました (registered \(code) as \(entry.name), \(entry.prefecture), from the national municipality codes)")
        }
        var outcome = Outcome(layout: layout, read: read, store: nil, dryRun: dryRun)
        let dataset = read.dataset
        do {
            let report = try await db.transaction { tx in
                var store = DatasetStore(database: tx, actor: actor, source: "import", origin: origin)
                store.sourceDocument = origin
                store.progress = progress
                let report = try await store.write(dataset)
                // A dry run, or any error: nothing stays written.
                if !report.errors.isEmpty || dryRun { throw RollBack(report: report) }
                return report
            }
            outcome.store = report
        } catch let rollBack as RollBack {
            outcome.store = rollBack.report
        }
        return outcome
    }

    /// A folder of workbook folders (as `hyoka generate` writes: one per municipality), or
    /// nil when `url` is anything else (a workbook folder has CSV files of its own).
    static func workbookFolders(in url: URL) -> [URL]? {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue,
              let entries = try? files.contentsOfDirectory(at: url, includingPropertiesForKeys: [.isDirectoryKey]) else { return nil }
        guard !entries.contains(where: { $0.pathExtension.lowercased() == "csv" }) else { return nil }
        let folders = entries.filter { entry in
            (try? entry.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true
                && ((try? files.contentsOfDirectory(atPath: entry.path)) ?? []).contains { $0.lowercased().hasSuffix(".csv") }
        }
        return folders.isEmpty ? nil : folders.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// Imports many workbooks in one transaction, one at a time: each is read, checked and
    /// written, then dropped, so memory holds one workbook however many there are. The
    /// first workbook with errors stops the import and nothing stays written.
    static func runSet(_ folders: [URL], dryRun: Bool, on db: any Database, actor: String,
                       progress: (@Sendable (Int, Int) -> Void)?) async throws -> Outcome {
        /// Thrown to roll the whole set back, carrying what was read and written so far.
        struct Stopped: Error { let outcome: Outcome }
        do {
            return try await db.transaction { tx in
                var outcome = Outcome(layout: .workbook, read: ReadResult(), store: DatasetStore.Report(), dryRun: dryRun)
                for (index, folder) in folders.enumerated() {
                    var (read, _) = try DocumentReader.read(folder, layout: .workbook)
                    // Issues name the workbook folder as well as the file inside it.
                    read.issues = read.issues.map { $0.inFolder(folder.lastPathComponent) }
                    outcome.read.notes += read.notes.map { "\(folder.lastPathComponent): \($0)" }
                    outcome.read.issues += read.issues
                    guard read.errors.isEmpty else { throw Stopped(outcome: outcome) }
                    var store = DatasetStore(database: tx, actor: actor, source: "import", origin: folder.lastPathComponent)
                    store.sourceDocument = folder.lastPathComponent
                    let report = try await store.write(read.dataset)
                    outcome.store?.merge(report)
                    progress?(index + 1, folders.count)
                    if !report.errors.isEmpty { throw Stopped(outcome: outcome) }
                }
                if dryRun { throw Stopped(outcome: outcome) }
                return outcome
            }
        } catch let stopped as Stopped {
            return stopped.outcome
        }
    }

    /// The report printed after an import: counts, then notes, warnings and errors.
    static func report(_ outcome: Outcome) -> String {
        var lines: [String] = []
        if let mapping = outcome.mapping {
            lines.append("対応表 (mapping): \(mapping.name)")
            if !mapping.read.firstRows.isEmpty {
                lines.append("最初の記録（取り込む形） (the first records as they will be stored):")
                lines += mapping.read.firstRows.map { "  \($0)" }
            }
            if !mapping.read.unplaced.isEmpty {
                lines.append("取り込み先のない列 \(mapping.read.unplaced.count) 列（対応表の ignore に書くと、この一覧から外れます） (columns with no place; list them under ignore to silence):")
                lines += mapping.read.unplaced.map { "  \($0)" }
            }
            let counts = mapping.read.read.dataset.counts.filter { $0.count > 0 }
            lines.append("読み取った記録 (records read): " + counts.map { "\($0.kind) \($0.count)" }.joined(separator: ", "))
        } else {
            lines.append("形式 (layout): \(outcome.layout.rawValue)")
        }
        if let store = outcome.store {
            let kinds = Set(store.created.keys).union(store.updated.keys).union(store.unchanged.keys).sorted()
            if kinds.isEmpty { lines.append("取り込む記録がありません (no records)") }
            let width = kinds.map(\.count).max() ?? 0
            for kind in kinds {
                let name = kind.padding(toLength: width, withPad: " ", startingAt: 0)
                lines.append("  \(name)  新規 created \(store.created[kind] ?? 0)  更新 updated \(store.updated[kind] ?? 0)  変更なし unchanged \(store.unchanged[kind] ?? 0)")
            }
        }
        for note in outcome.read.notes { lines.append("注記 (note): \(note)") }
        let warnings = outcome.read.warnings + (outcome.store?.issues.filter { $0.severity == .warning } ?? [])
        for issue in warnings { lines.append(issue.description) }
        for issue in outcome.errors { lines.append(issue.description) }
        if !outcome.succeeded {
            lines.append("エラーが \(outcome.errors.count) 件あるため、何も書き込んでいません。直してからもう一度取り込んでください (\(outcome.errors.count) errors: nothing was written; fix them and import again)")
        } else if outcome.dryRun {
            lines.append("--dry-run: 確認のみで、何も書き込んでいません (dry run: nothing was written)")
        } else {
            lines.append("取り込みました。警告 \(warnings.count) 件 (imported; \(warnings.count) warnings)")
        }
        return lines.joined(separator: "\n")
    }
}
