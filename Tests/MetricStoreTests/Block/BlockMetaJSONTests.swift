@testable import MetricStore
import Testing

@Suite struct BlockMetaJSONTests {
    static let meta = BlockMeta(
        id: BlockID("01HZY3J5V6W7X8Y9Z0A1B2C3D4")!, minTime: 1_700_000_000_000, maxTime: 1_700_007_200_000,
        stats: BlockStats(series: 2, samples: 240, chunks: 3),
        compaction: BlockCompaction(level: 2, sources: [BlockID("01HZY3J5V6W7X8Y9Z0A1B2C3D4")!, BlockID("01HZY3J5V6W7X8Y9Z0A1B2C3D5")!]))

    /// The pinned bytes of meta.json (docs/format/meta.md). Changing them is a format change.
    static let golden = """
        {
          "version": 1,
          "id": "01HZY3J5V6W7X8Y9Z0A1B2C3D4",
          "minTime": 1700000000000,
          "maxTime": 1700007200000,
          "stats": {
            "series": 2,
            "samples": 240,
            "chunks": 3
          },
          "compaction": {
            "level": 2,
            "sources": [
              "01HZY3J5V6W7X8Y9Z0A1B2C3D4",
              "01HZY3J5V6W7X8Y9Z0A1B2C3D5"
            ]
          }
        }

        """

    @Test func writesTheGoldenBytes() {
        #expect(String(decoding: Self.meta.jsonBytes(), as: UTF8.self) == Self.golden)
    }

    @Test func readsTheGoldenBytes() throws {
        #expect(try BlockMeta(json: Array(Self.golden.utf8)) == Self.meta)
    }

    @Test func emptySourcesRoundTrip() throws {
        var meta = Self.meta
        meta.compaction.sources = []
        #expect(String(decoding: meta.jsonBytes(), as: UTF8.self).contains("\"sources\": []\n"))
        #expect(try BlockMeta(json: meta.jsonBytes()) == meta)
    }

    @Test func readsAnyMemberOrderWhitespaceAndUnknownMembers() throws {
        let text = #"""
            {"compaction":{"sources":["01HZY3J5V6W7X8Y9Z0A1B2C3D4","01HZY3J5V6W7X8Y9Z0A1B2C3D5"],"level":2,"note":[true,null,{}]},
             "stats":{"chunks":3,"samples":240,"series":2},"maxTime":1700007200000,"minTime":1700000000000,
             "id":"01HZY3J5V6W7X8Y9Z0A1B2C3D4","version":1,"future":"\u00e9\ud83d\ude00"}
            """#
        #expect(try BlockMeta(json: Array(text.utf8)) == Self.meta)
    }

    @Test func refusesUnknownVersionsBeforeAnythingElse() {
        let text = #"{"version": 2, "id": "not even an id"}"#
        #expect(throws: BlockMetaError.unsupportedVersion(2)) { try BlockMeta(json: Array(text.utf8)) }
        #expect(BlockMetaError.unsupportedVersion(2).description == "version 2 is not supported (this build reads version 1)")
    }

    @Test(arguments: [
        ("", BlockMetaError.malformed(offset: 0, expected: "a JSON value")),
        ("{", .malformed(offset: 1, expected: "a member name in quotes")),
        (#"{"version": 1,}"#, .malformed(offset: 14, expected: "a member name in quotes")),
        (#"{"version": 1} x"#, .malformed(offset: 15, expected: "end of input")),
        (#"{"version": 1.5}"#, .malformed(offset: 13, expected: "an integer (no fraction or exponent)")),
        (#"{"version": 01}"#, .malformed(offset: 12, expected: "no leading zero")),
        (#"{"version": 99999999999999999999}"#, .malformed(offset: 12, expected: "an integer within 64 bits")),
        (#"{"a": "\x"}"#, .malformed(offset: 8, expected: #"one of \" \\ \/ \b \f \n \r \t \u"#)),
        (#"{"a": "\ud800"}"#, .malformed(offset: 13, expected: "a low surrogate escape")),
        ("{\"a\": \"\n\"}", .malformed(offset: 7, expected: "no control character inside a string")),
        (String(repeating: "[", count: 40), .malformed(offset: 16, expected: "at most 16 levels of nesting")),
        ("[]", .invalidField("(root)", expected: "an object")),
        ("{}", .invalidField("version", expected: "an integer")),
        (#"{"version": 1}"#, .invalidField("stats", expected: "an object")),
    ])
    func malformedInputIsRefusedWithItsOffset(_ text: String, _ error: BlockMetaError) {
        #expect(throws: error) { try BlockMeta(json: Array(text.utf8)) }
    }

    @Test func invalidFieldsAreNamed() {
        func reading(_ edit: (inout String) -> Void) -> BlockMetaError? {
            var text = Self.golden
            edit(&text)
            do {
                _ = try BlockMeta(json: Array(text.utf8))
                return nil
            } catch {
                return error
            }
        }
        #expect(reading { $0 = $0.replacing("\"series\": 2", with: "\"series\": -2", maxReplacements: 1) }
            == .invalidField("stats.series", expected: "a non-negative integer"))
        #expect(reading { $0 = $0.replacing("\"level\": 2", with: "\"level\": 0", maxReplacements: 1) }
            == .invalidField("compaction.level", expected: "at least 1"))
        #expect(reading { $0 = $0.replacing("1700007200000", with: "1700000000000", maxReplacements: 1) }
            == .invalidField("maxTime", expected: "greater than minTime (1700000000000)"))
        #expect(reading { $0 = $0.replacing("\"id\": \"01HZ", with: "\"id\": \"91HZ", maxReplacements: 1) }
            == .invalidField("id", expected: "a block ID (26 characters of Crockford base32)"))
        #expect(reading { $0 = $0.replacing("      \"01HZY3J5V6W7X8Y9Z0A1B2C3D5\"", with: "      5", maxReplacements: 1) }
            == .invalidField("compaction.sources[1]", expected: "a block ID (26 characters of Crockford base32)"))
    }
}
