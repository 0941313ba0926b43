// The timestamp section of a compact chunk (docs/format/chunks.md, "Compact chunk"):
//
//   │ encoding <1 byte> │ first <varint> │ regular:      interval <uvarint>
//                                        │ nominalDelta: nominal <uvarint> │ (Δi − nominal) <varint> × (n−1)
//                                        │ deltaOfDelta: Δ1 <uvarint> │ (Δi − Δi−1) <varint> × (n−2)
//
// Δi = t(i) − t(i−1). Fields after `first` are absent when the chunk has one sample.

/// Encodes and decodes the timestamp section of a compact chunk.
enum CompactTimestamps {
    /// Appends the section for `samples`' timestamps. Contract (checked): at least one sample,
    /// timestamps strictly increasing, consecutive ones less than 2^63 ms apart.
    static func encode(_ samples: UnsafeBufferPointer<Sample>, into out: inout ByteWriter) {
        precondition(!samples.isEmpty, "BUG: encoding the timestamps of no samples")
        let first = samples[0].timestamp
        guard samples.count > 1 else {
            out.putByte(CompactTimestampEncoding.regular.rawValue)
            out.putVarint(first)
            return
        }
        var deltas = [Int64](repeating: 0, count: samples.count - 1)
        for index in 1..<samples.count {
            let (delta, overflow) = samples[index].timestamp.subtractingReportingOverflow(samples[index - 1].timestamp)
            precondition(delta > 0 && !overflow,
                         "BUG: timestamps not strictly increasing: \(samples[index - 1].timestamp) then \(samples[index].timestamp)")
            deltas[index - 1] = delta
        }
        if deltas.allSatisfy({ $0 == deltas[0] }) {
            out.putByte(CompactTimestampEncoding.regular.rawValue)
            out.putVarint(first)
            out.putUvarint(UInt64(deltas[0]))
            return
        }
        // Choose by encoded size; on this project's data (jittered 1 s scrapes) both are about a
        // byte per sample, and zstd then removes the sections repeated by every series of a
        // target, so the choice matters mostly for imported, irregular data.
        var dodSize = ByteWriter.uvarintSize(UInt64(deltas[0]))
        for index in 1..<deltas.count {
            dodSize += ByteWriter.uvarintSize(ZigZag.encode(deltas[index] - deltas[index - 1]))
        }
        // The nominal form takes at least one byte per interval plus one for `nominal`: when
        // delta-of-delta is no larger than that, it cannot lose, and the search is skipped.
        let nominal = dodSize <= deltas.count + 1 ? nil : bestNominal(deltas)
        if let nominal, nominal.size < dodSize {
            out.putByte(CompactTimestampEncoding.nominalDelta.rawValue)
            out.putVarint(first)
            out.putUvarint(UInt64(nominal.value))
            for delta in deltas { out.putVarint(delta - nominal.value) }
        } else {
            out.putByte(CompactTimestampEncoding.deltaOfDelta.rawValue)
            out.putVarint(first)
            out.putUvarint(UInt64(deltas[0]))
            for index in 1..<deltas.count { out.putVarint(deltas[index] - deltas[index - 1]) }
        }
    }

    /// The nominal interval with the smallest encoding: the median interval, or the median
    /// rounded to 10, 100 or 1000 ms when that is no larger (a round nominal makes the same
    /// bytes in every chunk of a target, which zstd then matches).
    private static func bestNominal(_ deltas: [Int64]) -> (value: Int64, size: Int) {
        let median = deltas.sorted()[deltas.count / 2]
        var best = (value: median, size: Int.max)
        for unit: Int64 in [1, 10, 100, 1000] {
            let (halfUp, overflow) = median.addingReportingOverflow(unit / 2)
            let candidate = halfUp / unit * unit
            guard candidate > 0, !overflow else { continue }
            var size = ByteWriter.uvarintSize(UInt64(candidate))
            for delta in deltas { size += ByteWriter.uvarintSize(ZigZag.encode(delta - candidate)) }
            if size <= best.size { best = (candidate, size) }
        }
        return best
    }

    /// Decodes `out.count` timestamps into `out[i].timestamp`, checking that they strictly
    /// increase (a decreasing or overflowing timestamp is a data error at its offset).
    static func decode(_ cursor: inout ByteCursor, into out: UnsafeMutableBufferPointer<Sample>) {
        let count = out.count
        let tagOffset = cursor.offset
        let encoding = CompactTimestampEncoding(rawValue: cursor.byte("timestamp encoding <1 byte>"))
        if case .unknown(let raw) = encoding {
            cursor.fail("timestamp encoding 1, 2 or 3", found: "\(raw)", at: tagOffset)
            return
        }
        let first = cursor.varint("first timestamp <varint>")
        guard cursor.error == nil else { return }
        out[0].timestamp = first
        guard count > 1 else { return }
        switch encoding {
        case .regular:
            let intervalOffset = cursor.offset
            let interval = Int64(truncatingIfNeeded: cursor.uvarint("interval <uvarint>"))
            guard cursor.error == nil else { return }
            let (span, overflow) = interval.multipliedReportingOverflow(by: Int64(count - 1))
            guard interval > 0, !overflow, !first.addingReportingOverflow(span).overflow else {
                cursor.fail("an interval keeping \(count) timestamps increasing within 64 bits",
                            found: "interval \(interval)", at: intervalOffset)
                return
            }
            var timestamp = first
            for index in 1..<count {
                timestamp += interval
                out[index].timestamp = timestamp
            }
        case .nominalDelta:
            let nominal = Int64(truncatingIfNeeded: cursor.uvarint("nominal interval <uvarint>"))
            decodeDifferences(&cursor, into: out, from: 1, "interval − nominal <varint>") { _, difference in
                nominal &+ difference
            }
        case .deltaOfDelta:
            let firstDeltaOffset = cursor.offset
            let firstDelta = Int64(truncatingIfNeeded: cursor.uvarint("first interval <uvarint>"))
            guard cursor.error == nil else { return }
            let (second, overflow) = first.addingReportingOverflow(firstDelta)
            guard firstDelta > 0, !overflow else {
                cursor.fail("a timestamp after \(first)", found: "interval \(firstDelta)", at: firstDeltaOffset)
                return
            }
            out[1].timestamp = second
            decodeDifferences(&cursor, into: out, from: 2, "interval − previous interval <varint>") { previous, difference in
                previous &+ difference
            }
        case .unknown:
            break  // refused above
        }
    }

    /// The shared hot loop: reads one varint per timestamp from `start` on; `interval` turns
    /// (previous interval, decoded difference) into the next interval.
    @inline(__always)
    private static func decodeDifferences(
        _ cursor: inout ByteCursor, into out: UnsafeMutableBufferPointer<Sample>, from start: Int,
        _ what: String, interval: (Int64, Int64) -> Int64
    ) {
        guard cursor.error == nil else { return }
        cursor.decodeBulk { bytes in
            var position = 0
            var timestamp = out[start - 1].timestamp
            var previousInterval = start >= 2 ? timestamp &- out[start - 2].timestamp : 0
            for index in start..<out.count {
                let fieldStart = position
                guard let raw = UnsafeVarint.read(bytes, &position) else {
                    return .failure(UnsafeVarint.failure(what, start: fieldStart, index: position, count: bytes.count))
                }
                let next = interval(previousInterval, ZigZag.decode(raw))
                let (value, overflow) = timestamp.addingReportingOverflow(next)
                if next <= 0 || overflow {
                    return .failure(DecodeError(offset: fieldStart, expected: "a timestamp after \(timestamp)", found: "interval \(next)"))
                }
                out[index].timestamp = value
                timestamp = value
                previousInterval = next
            }
            return .success(position)
        }
    }
}
