import Testing
@testable import MetricStore
import TestSupport

@Suite struct WALRecordCodecTests {
    private func decode(_ frames: [[UInt8]]) throws -> [WALRecord] {
        try frames.map { frame in
            try WALRecordDecoder.decode(type: frame[0], payload: frame[WALRecordFrame.headerSize...])
        }
    }

    @Test func seriesRoundTrip() throws {
        let series = [
            WALFixtures.series(1),
            WALSeries(ref: SeriesRef(UInt64.max), labels: Labels(["__name__": "node_filesystem_avail_bytes", "mountpoint": "/srv/données ✓"])),
            WALSeries(ref: SeriesRef(0), labels: .empty),
        ]
        let frames = try WALRecordEncoder.frames(series: series)
        #expect(frames.count == 1)
        #expect(try decode(frames) == [.series(series)])
    }

    @Test func samplesRoundTripEveryBitPattern() throws {
        let values: [Double] = [
            0, -0.0, 1.5, -1e300, .infinity, -.infinity, .nan, StaleMarker.value,
            Double(bitPattern: 0x7FF8_0000_DEAD_BEEF), Double(bitPattern: 0xFFF0_0000_0000_0001),
            .leastNonzeroMagnitude, .greatestFiniteMagnitude,
        ]
        var samples: [WALSample] = []
        for (index, value) in values.enumerated() {
            samples.append(WALFixtures.sample(UInt64(index * 7), 1_700_000_000_000 + Int64(index) * 15_000, value))
        }
        // Deltas that wrap: the extremes of both fields, in both directions.
        samples.append(WALFixtures.sample(UInt64.max, Int64.min, 1))
        samples.append(WALFixtures.sample(0, Int64.max, 2))
        let records = try decode(WALRecordEncoder.frames(samples: samples))
        #expect(records == [.samples(samples)])
        let decoded = WALFixtures.samples(in: records)
        #expect(decoded[7].sample.value.bitPattern == StaleMarker.bitPattern)
        #expect(decoded[1].sample.value.sign == .minus)
    }

    @Test func largeBatchesAreSplitIntoBoundedRecords() throws {
        let samples = (0..<200_000).map { WALFixtures.sample(UInt64($0 % 1000), Int64($0) * 1000, Double($0)) }
        let frames = WALRecordEncoder.frames(samples: samples)
        #expect(frames.count > 1)
        for frame in frames {
            #expect(frame.count <= WALRecordFrame.headerSize + WALRecordEncoder.targetPayloadLength + 28)
        }
        #expect(WALFixtures.samples(in: try decode(frames)) == samples)

        let series = (0..<40_000).map { WALFixtures.series(UInt64($0), "metric_with_a_long_name_\($0)", instance: String(repeating: "h", count: 20)) }
        let seriesFrames = try WALRecordEncoder.frames(series: series)
        #expect(seriesFrames.count > 1)
        #expect(WALFixtures.series(in: try decode(seriesFrames)) == series)
    }

    @Test func emptyBatchesMakeNoRecords() throws {
        #expect(try WALRecordEncoder.frames(series: []).isEmpty)
        #expect(WALRecordEncoder.frames(samples: []).isEmpty)
    }

    @Test func oversizedSeriesIsRefused() {
        let huge = WALSeries(ref: SeriesRef(1), labels: Labels(["__name__": String(repeating: "x", count: WALRecordFrame.maxPayloadLength)]))
        #expect(throws: WALError.self) { try WALRecordEncoder.frames(series: [huge]) }
    }

    @Test func unknownTypesDecodeAsUnknown() throws {
        #expect(try WALRecordDecoder.decode(type: 3, payload: [1, 2]) == .unknown(type: 3, payload: [1, 2]))
    }

    /// Payloads whose frame checksum would match but that no encoder wrote.
    @Test(arguments: [
        // ref, 1 label, name "b", value "1", name "a", value "1": not sorted
        ("series labels out of order", WALRecordType.series, [0, 0, 0, 0, 0, 0, 0, 1, 2, 1, 0x62, 1, 0x31, 1, 0x61, 1, 0x31] as [UInt8]),
        ("series empty label value", .series, [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0x61, 0]),
        ("series label count lies", .series, [0, 0, 0, 0, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1, 0x61]),
        ("series string longer than payload", .series, [0, 0, 0, 0, 0, 0, 0, 1, 1, 9, 0x61]),
        ("series invalid UTF-8", .series, [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0xFF, 1, 0x31]),
        ("series ref cut short", .series, [0, 0, 0]),
        ("samples base cut short", .samples, [0, 0, 0, 0, 0, 0, 0, 1, 0, 0]),
        ("samples value cut short", .samples, [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0x3F, 0xF0]),
        ("samples varint too long", .samples, [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1] + [UInt8](repeating: 0xFF, count: 11)),
    ])
    func malformedPayloadsAreErrorsNotTraps(_ name: String, type: WALRecordType, payload: [UInt8]) {
        #expect(throws: DecodeError.self, "\(name)") { try WALRecordDecoder.decode(type: type.rawValue, payload: payload[...]) }
    }

    @Test func randomPayloadsNeverTrap() {
        var random = SplitMix64(seed: 42)
        for _ in 0..<5000 {
            let count = Int.random(in: 0..<64, using: &random)
            let payload = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            for type in [WALRecordType.series, .samples] {
                _ = try? WALRecordDecoder.decode(type: type.rawValue, payload: payload[...])
            }
        }
    }
}
