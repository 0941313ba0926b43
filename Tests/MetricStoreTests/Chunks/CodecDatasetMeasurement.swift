import Foundation
import Testing

@testable import MetricStore

/// Bytes per sample and decode speed of the chunk codecs on the benchmark dataset — the
/// measurement behind the choice in docs/format/chunks.md. Opt-in, because it reads 175 MB and
/// wants a release build:
///
///     zstd -dc ../shared/bench/data/node-pg-1s.om.zst > /tmp/node-pg-1s.om
///     SCALEWATCH_CODEC_BENCH=1 swift test -c release -Xswiftc -enable-testing \
///         --filter CodecDatasetMeasurement
///
/// (`SCALEWATCH_CODEC_DATASET` overrides the path.) "Data only" means the encoded chunks after
/// zstd of one group per block range — here the whole 25 minutes is one block: no index, no
/// per-chunk references.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SCALEWATCH_CODEC_BENCH"] == "1"))
struct CodecDatasetMeasurement {
    static let chunkSize = 120

    @Test func bytesPerSampleAndDecodeSpeed() throws {
        let path = ProcessInfo.processInfo.environment["SCALEWATCH_CODEC_DATASET"] ?? "/tmp/node-pg-1s.om"
        let series = try Self.load(path)
        let all = series
        let varying = series.filter { samples in samples.contains { $0.value.bitPattern != samples[0].value.bitPattern } }
        let sampleCount = all.reduce(0) { $0 + $1.count }
        print("dataset: \(all.count) series, \(sampleCount) samples; varying: \(varying.count) series, \(varying.reduce(0) { $0 + $1.count }) samples")

        for (name, set) in [("all", all), ("varying", varying)] {
            let samples = Double(set.reduce(0) { $0 + $1.count })
            func report(_ label: String, _ bytes: Int) {
                print(String(format: "%-8@ %-44@ %10d bytes  %.3f B/sample", name, label, bytes, Double(bytes) / samples))
            }
            let xor = Self.xorChunks(set).map(\.bytes)
            report("XOR (Gorilla) alone", xor.reduce(0) { $0 + $1.count })
            report("XOR + zstd-9 (one group)", CompactChunkGroup.compress(xor, level: 9).count)
            let compact = Self.compactChunks(set, chunkSize: Self.chunkSize)
            report("compact, before zstd", compact.reduce(0) { $0 + $1.count })
            for level: Int32 in [1, 3, 9, 19] {
                let start = ContinuousClock.now
                let group = CompactChunkGroup.compress(compact, level: level)
                let elapsed = ContinuousClock.now - start
                report("compact + zstd-\(level) (one group, \(elapsed.formatted(.units(allowed: [.milliseconds]))))", group.count)
            }
            let whole = Self.compactChunks(set, chunkSize: CompactChunkCodec.maxCount)
            report("compact, one chunk per series + zstd-9", CompactChunkGroup.compress(whole, level: 9).count)
            let perChunk = compact.reduce(0) { $0 + Zstd.compress($1, level: 9).count }
            report("compact + zstd-9 per chunk", perChunk)
        }
        Self.printEncodingUsage(all)
        Self.measureEncoding(all, label: "all")
        Self.measureEncoding(varying, label: "varying")
        try Self.measureDecoding(all, label: "all")
        try Self.measureDecoding(varying, label: "varying")
    }

    /// Decompresses the one-group block and decodes every chunk, repeatedly; best of 5. First
    /// checks that every sample comes back bit for bit.
    static func measureDecoding(_ series: [[Sample]], label: String) throws {
        let sampleCount = series.reduce(0) { $0 + $1.count }
        let group = CompactChunkGroup.compress(compactChunks(series, chunkSize: chunkSize))
        let decoded = try CompactChunkGroup.decompress(group[...])
        var chunkIndex = 0
        for samples in series {
            var back: [Sample] = []
            while back.count < samples.count {
                try CompactChunkCodec.decode(decoded[chunkIndex], appendingTo: &back)
                chunkIndex += 1
            }
            #expect(back == samples)
        }
        let xorBack = try xorChunks(series).flatMap { try $0.samples() }
        #expect(xorBack == series.flatMap { $0 })
        print("\(label): round trip: every sample of both encodings decodes bit for bit")

        // Per core: this thread's CPU time, so that other processes on a shared machine do not
        // count; best of 7.
        var buffer: [Sample] = []
        buffer.reserveCapacity(CompactChunkCodec.maxCount)
        var best = Double.infinity
        var decompressBest = Double.infinity
        var checksum: UInt64 = 0
        for _ in 0..<7 {
            let start = threadCPUSeconds()
            let chunks = try CompactChunkGroup.decompress(group[...])
            decompressBest = min(decompressBest, threadCPUSeconds() - start)
            for index in 0..<chunks.count {
                buffer.removeAll(keepingCapacity: true)
                try CompactChunkCodec.decode(chunks[index], appendingTo: &buffer)
                checksum &+= buffer[buffer.count - 1].value.bitPattern
            }
            best = min(best, threadCPUSeconds() - start)
        }
        print(String(format: "%@: decode compact (zstd + chunks): %.1f M samples/s per core (%.1f ms CPU for %d samples, of which zstd %.1f ms)",
                     label, Double(sampleCount) / best / 1e6, best * 1e3, sampleCount, decompressBest * 1e3))

        let xor = xorChunks(series)
        var xorBest = Double.infinity
        for _ in 0..<3 {
            let start = threadCPUSeconds()
            for chunk in xor {
                var iterator = chunk.iterator()
                while let sample = iterator.next() { checksum &+= UInt64(bitPattern: sample.timestamp) }
            }
            xorBest = min(xorBest, threadCPUSeconds() - start)
        }
        print(String(format: "%@: decode XOR (head iterator): %.1f M samples/s per core (checksum %llu)", label, Double(sampleCount) / xorBest / 1e6, checksum))
    }

    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Encoding 120-sample chunks (the import and compaction path), best of 3, CPU time.
    static func measureEncoding(_ series: [[Sample]], label: String) {
        let sampleCount = series.reduce(0) { $0 + $1.count }
        var best = Double.infinity
        var bytes = 0
        for _ in 0..<3 {
            let start = threadCPUSeconds()
            var out: [UInt8] = []
            for samples in series {
                for start in stride(from: 0, to: samples.count, by: chunkSize) {
                    out.removeAll(keepingCapacity: true)
                    CompactChunkCodec.encode(samples[start..<min(start + chunkSize, samples.count)], into: &out)
                    bytes &+= out.count
                }
            }
            best = min(best, threadCPUSeconds() - start)
        }
        print(String(format: "%@: encode compact: %.1f M samples/s per core (%.1f ms CPU)", label, Double(sampleCount) / best / 1e6, best * 1e3))
    }

    static func printEncodingUsage(_ series: [[Sample]]) {
        var timestampTags: [UInt8: Int] = [:]
        var valueTags: [UInt8: Int] = [:]
        for samples in series {
            for start in stride(from: 0, to: samples.count, by: chunkSize) {
                let bytes = CompactChunkCodec.encode(Array(samples[start..<min(start + chunkSize, samples.count)]))
                var cursor = ByteCursor(bytes)
                _ = cursor.uvarint("count")
                timestampTags[cursor.byte("tag"), default: 0] += 1
                valueTags[bytes[Self.valueSectionOffset(bytes)], default: 0] += 1
            }
        }
        print("timestamp encodings (chunks):", timestampTags.sorted { $0.key < $1.key }.map { "\(CompactTimestampEncoding(rawValue: $0.key)): \($0.value)" })
        print("value encodings (chunks):", valueTags.sorted { $0.key < $1.key }.map { "\(CompactValueEncoding(rawValue: $0.key)): \($0.value)" })
    }

    /// The offset of the value section, found by decoding the timestamp section.
    static func valueSectionOffset(_ bytes: [UInt8]) -> Int {
        var cursor = ByteCursor(bytes)
        let count = Int(cursor.uvarint("count"))
        var scratch = [Sample](repeating: Sample(timestamp: 0, value: 0), count: count)
        scratch.withUnsafeMutableBufferPointer { CompactTimestamps.decode(&cursor, into: $0) }
        return cursor.offset
    }

    static func xorChunks(_ series: [[Sample]]) -> [XORChunk] {
        var chunks: [XORChunk] = []
        for samples in series {
            var appender = XORChunkAppender()
            for sample in samples {
                if appender.count == chunkSize {
                    chunks.append(appender.chunk)
                    appender = XORChunkAppender()
                }
                try! appender.append(sample)
            }
            chunks.append(appender.chunk)
        }
        return chunks
    }

    static func compactChunks(_ series: [[Sample]], chunkSize: Int) -> [[UInt8]] {
        var chunks: [[UInt8]] = []
        for samples in series {
            for start in stride(from: 0, to: samples.count, by: chunkSize) {
                chunks.append(CompactChunkCodec.encode(Array(samples[start..<min(start + chunkSize, samples.count)])))
            }
        }
        return chunks
    }

    /// Every series' samples in file order (the dataset's series are sorted by labels within
    /// each family, the order a block stores them in).
    static func load(_ path: String) throws -> [[Sample]] {
        guard let data = FileManager.default.contents(atPath: path) else {
            Issue.record("cannot read \(path): see the comment on CodecDatasetMeasurement")
            return []
        }
        var parser = OpenMetricsParser(bytes: [UInt8](data), file: path)
        var series: [[Sample]] = []
        while let sample = try parser.next() {
            while series.count <= sample.series { series.append([]) }
            series[sample.series].append(Sample(timestamp: sample.timestamp ?? 0, value: sample.value))
        }
        return series
    }
}
