import Fluent
import Foundation
import HyokaImport

/// The public part of a municipality's data as workbook tables (`PublicView` over the
/// database), for the API's data routes, the open-data bundles and the feed. Kept in the
/// portal's cache until the data changes.
struct PublicData: Sendable {
    var dataset: Dataset
    var tables: [String: WorkbookTable]

    static func load(_ municipalityCode: String, year: Int? = nil, on db: any Database, cache: PortalCache?, siteURL: String? = nil) async throws -> PublicData {
        let compute: @Sendable () async throws -> PublicData = {
            let dataset = PublicView.of(try await DatasetLoader.load(on: db, municipalityCode: municipalityCode, fiscalYear: year))
            let tables = Workbook.tables(from: dataset, siteURL: siteURL)
            return PublicData(dataset: dataset, tables: Dictionary(tables.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }))
        }
        guard let cache else { return try await compute() }
        let municipalityID = try await Municipality.query(on: db).filter(\.$code == municipalityCode).first()?.id
        return try await cache.value("public/\(municipalityCode)/\(year.map(String.init) ?? "all")",
                                     version: try await PortalCache.DataVersion.current(on: db).of(municipalityID), compute: compute)
    }

    /// The fiscal years published (cycles in 公表), ascending.
    var publishedYears: [Int] { dataset.cycles.filter { $0.phase == .published }.map(\.fiscalYear).sorted() }
}
