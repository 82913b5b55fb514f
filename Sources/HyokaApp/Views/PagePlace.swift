import Foundation
import HyokaCore

/// Where a public page stands, as plain values for a view: the municipality and year
/// shown, and the language (`PortalScope` holds the database's records; views take this).
struct PagePlace: Sendable {
    var municipalityCode: String
    var municipalityName: String
    var year: Int
    var language: PortalLanguage
    /// The published municipalities and this municipality's published years: the switcher
    /// every page shows under its breadcrumbs.
    var municipalities: [Municipality] = []
    var years: [Int] = []
    /// When this year's cycle was published (nil for data imported as published).
    var publishedAt: Date? = nil
    /// The document the year's data was imported from (a file name), if it was.
    var sourceDocument: String? = nil

    /// When and from what the year was published: 「2026年12月1日公表・元資料 program-table.txt」.
    var provenance: String {
        let l = language
        let published = publishedAt.map { l("\(HomeController.date($0))公表", "published \(HomeController.date($0))") }
        let source = sourceDocument.map { l("元資料「\($0)」から取り込み", "imported from “\($0)”") }
        let parts = [published, source].compactMap { $0 }
        return parts.isEmpty ? l("公表資料から取り込み", "imported from the published documents") : parts.joined(separator: l("・", "; "))
    }

    /// A municipality in the switcher.
    struct Municipality: Sendable {
        var code: String
        var name: String
        var nameEnglish: String?
    }

    var query: [(String, String?)] { [("m", municipalityCode), ("year", String(year))] }
    var yearLabel: String { language == .ja ? FiscalYear(year).both : "FY\(year)" }
}

extension PortalScope {
    /// The municipalities with something published, for the switcher.
    var switcher: [PagePlace.Municipality] {
        municipalities.map { PagePlace.Municipality(code: $0.code, name: $0.name, nameEnglish: $0.nameEnglish) }
    }

    var place: PagePlace {
        PagePlace(municipalityCode: municipality.code, municipalityName: municipalityName, year: year, language: language,
                  municipalities: switcher, years: years, publishedAt: publishedAt, sourceDocument: sourceDocument)
    }
}
