import Testing
@testable import MetricStore

#if canImport(Glibc)
import Glibc
import TestSupport
#endif

@Suite struct DecimalTextTests {
    private func strtodValue(_ text: String) -> Double {
        text.withCString { strtod($0, nil) }
    }

    @Test(arguments: [
        "0", "-0", "1", "-1", "0.5", "0.05", "123.456", "1e3", "1E3", "1e-3", "-2.5e+2", "9007199254740991",
        "3.3369e-05", "1795916033.269", "0.1", "0.3", "1234567890123456", "100000000000000000000000",
        "4.35", "+7", "00012", "0.000000000000000000001",
    ])
    func agreesWithStrtodBitForBit(_ text: String) {
        let expected = strtodValue(text)
        if let value = DecimalText.exactValue(Array(text.utf8)[...]) {
            #expect(value.bitPattern == expected.bitPattern, "\(text)")
        }
    }

    @Test(arguments: ["", ".", "-", "e5", "1e", "1.2.3", "0x1A", "NaN", "Inf", "-Inf", "1,5", "12345678901234567890"])
    func leavesWhatItCannotConvertExactlyToTheSlowPath(_ text: String) {
        #expect(DecimalText.exactValue(Array(text.utf8)[...]) == nil)
    }

    @Test func randomDecimalsMatchStrtod() {
        var random = SplitMix64(seed: 42)
        for _ in 0..<20_000 {
            let integer = UInt64.random(in: 0...99_999_999, using: &random)
            let fraction = UInt64.random(in: 0...9_999_999, using: &random)
            let places = Int.random(in: 0...7, using: &random)
            var text = Bool.random(using: &random) ? "-" : ""
            text += "\(integer)"
            if places > 0 {
                let digits = String(fraction).prefix(places)
                text += "." + digits
            }
            if Int.random(in: 0..<4, using: &random) == 0 { text += "e\(Int.random(in: -12...12, using: &random))" }
            let expected = strtodValue(text)
            let value = DecimalText.exactValue(Array(text.utf8)[...])
            #expect(value == nil || value!.bitPattern == expected.bitPattern, "\(text)")
        }
    }
}
