import Testing
@testable import HyokaCore

@Suite struct MunicipalityCodeTests {
    @Test(arguments: ["401005", "162019", "130001", "010006", "４０１００５"])
    func acceptsValidCodes(code: String) throws {
        let parsed = try MunicipalityCode(code)
        #expect(parsed.value.count == 6)
    }

    @Test(arguments: [("40100", "401005"), ("16201", "162019"), ("13000", "130001"), ("01000", "010006")])
    func computesTheCheckDigit(five: String, six: String) throws {
        #expect(try MunicipalityCode(withoutCheckDigit: five).value == six)
    }

    @Test func namesWhatIsWrong() {
        #expect(throws: MunicipalityCode.ValidationError.wrongCheckDigit("401006", expected: 5)) { try MunicipalityCode("401006") }
        #expect(throws: MunicipalityCode.ValidationError.wrongLength("40100")) { try MunicipalityCode("40100") }
        #expect(throws: MunicipalityCode.ValidationError.notDigits("40100a")) { try MunicipalityCode("40100a") }
        #expect(throws: MunicipalityCode.ValidationError.unknownPrefecture("990000")) { try MunicipalityCode("990000") }
        let message = MunicipalityCode.ValidationError.wrongCheckDigit("401006", expected: 5).description
        #expect(message.contains("401006") && message.contains("5"))
    }

    @Test func everyFiveDigitCodeHasExactlyOneValidCheckDigit() throws {
        for five in ["40100", "40101", "27100", "47201", "01100"] {
            let valid = (0...9).filter { (try? MunicipalityCode(five + String($0))) != nil }
            #expect(valid.count == 1, "\(five)")
        }
    }

    @Test func knowsPrefectures() throws {
        #expect(try MunicipalityCode("401005").prefectureCode == "40")
        #expect(try MunicipalityCode("130001").isPrefecture)
        #expect(try !MunicipalityCode("401005").isPrefecture)
    }
}
