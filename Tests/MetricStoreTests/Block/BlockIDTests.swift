@testable import MetricStore
import Testing
import TestSupport

@Suite struct BlockIDTests {
    @Test func textRoundTripsAndKeepsTheTime() {
        var random = SplitMix64(seed: 1)
        for milliseconds: Int64 in [0, 1, 1_700_000_000_000, (1 << 48) - 1] {
            let id = BlockID(milliseconds: milliseconds, using: &random)
            #expect(id.description.utf8.count == 26)
            #expect(BlockID(id.description) == id)
            #expect(id.milliseconds == milliseconds)
        }
    }

    @Test func ordersByCreationTimeAsValuesAndAsNames() {
        var random = SplitMix64(seed: 2)
        let ids = (0..<50).map { BlockID(milliseconds: 1_700_000_000_000 + Int64($0) * 7, using: &random) }
        #expect(ids.sorted() == ids)
        #expect(ids.map(\.description).sorted() == ids.map(\.description))
    }

    @Test func knownValue() {
        #expect(BlockID(high: 0, low: 0).description == "00000000000000000000000000")
        #expect(BlockID(high: .max, low: .max).description == "7ZZZZZZZZZZZZZZZZZZZZZZZZZ")
    }

    @Test(arguments: ["", "01HZY3J5V6W7X8Y9Z0A1B2C3D", "01hzy3j5v6w7x8y9z0a1b2c3d4", "81HZY3J5V6W7X8Y9Z0A1B2C3D4",
                      "01HZY3J5V6W7X8Y9Z0A1B2C3DU", "01HZY3J5V6W7X8Y9Z0A1B2C3D4.tmp"])
    func rejectsAnythingButTheCanonicalForm(_ text: String) {
        #expect(BlockID(text) == nil)
    }
}
