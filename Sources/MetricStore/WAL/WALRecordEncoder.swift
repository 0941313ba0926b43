/// Encodes series and samples into framed WAL records (payload layouts in docs/format/wal.md).
///
/// A batch becomes as many records as needed to keep each payload near
/// `targetPayloadLength`, so that a reader never holds more than one such record in memory
/// and a torn write costs at most one record's worth of data.
enum WALRecordEncoder {
    static let targetPayloadLength = 1 << 20

    /// Series payload, one entry after another:
    /// `ref <8 bytes> │ label count <uvarint> │ (name len <uvarint> │ name │ value len <uvarint> │ value)…`
    static func frames(series: [WALSeries]) throws(WALError) -> [[UInt8]] {
        var frames: [[UInt8]] = []
        var payload = ByteWriter()
        for entry in series {
            var encoded = ByteWriter()
            encoded.putBigEndian64(entry.ref.rawValue)
            encoded.putUvarint(UInt64(entry.labels.count))
            for label in entry.labels.pairs {
                putString(label.name, into: &encoded)
                putString(label.value, into: &encoded)
            }
            guard encoded.count <= WALRecordFrame.maxPayloadLength else {
                throw WALError.recordTooLarge(bytes: encoded.count, limit: WALRecordFrame.maxPayloadLength)
            }
            if payload.count > 0 && payload.count + encoded.count > targetPayloadLength {
                frames.append(WALRecordFrame.frame(type: WALRecordType.series.rawValue, payload: payload.bytes))
                payload = ByteWriter()
            }
            payload.putBytes(encoded.bytes)
        }
        if payload.count > 0 {
            frames.append(WALRecordFrame.frame(type: WALRecordType.series.rawValue, payload: payload.bytes))
        }
        return frames
    }

    /// Samples payload: the first sample's ref and timestamp as a base, then every sample
    /// (the first included) as deltas from it, as Prometheus writes them:
    /// `base ref <8 bytes> │ base t <8 bytes> │ (Δref <varint> │ Δt <varint> │ value <8 bytes>)…`
    /// Deltas use wrapping arithmetic, so any refs and timestamps round-trip exactly.
    static func frames(samples: [WALSample]) -> [[UInt8]] {
        var frames: [[UInt8]] = []
        var index = samples.startIndex
        while index < samples.endIndex {
            let base = samples[index]
            var payload = ByteWriter(reservingCapacity: min(targetPayloadLength, 16 + 20 * (samples.endIndex - index)))
            payload.putBigEndian64(base.ref.rawValue)
            payload.putBigEndian64(UInt64(bitPattern: base.sample.timestamp))
            while index < samples.endIndex && payload.count < targetPayloadLength {
                let sample = samples[index]
                payload.putVarint(Int64(bitPattern: sample.ref.rawValue &- base.ref.rawValue))
                payload.putVarint(sample.sample.timestamp &- base.sample.timestamp)
                payload.putBigEndian64(sample.sample.value.bitPattern)
                index += 1
            }
            frames.append(WALRecordFrame.frame(type: WALRecordType.samples.rawValue, payload: payload.bytes))
        }
        return frames
    }

    private static func putString(_ string: String, into writer: inout ByteWriter) {
        let utf8 = string.utf8
        writer.putUvarint(UInt64(utf8.count))
        writer.putBytes(utf8)
    }
}
