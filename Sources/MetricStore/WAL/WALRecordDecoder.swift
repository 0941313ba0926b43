/// Decodes the payload of a record whose frame checksum matched. A payload that still does not
/// parse was written wrong, and is reported like corruption; nothing here traps on any input.
enum WALRecordDecoder {
    static func decode(type: UInt8, payload: ArraySlice<UInt8>) throws(DecodeError) -> WALRecord {
        switch WALRecordType(byte: type) {
        case .series: return .series(try series(payload))
        case .samples: return .samples(try samples(payload))
        case .invalid, .unknown: return .unknown(type: type, payload: Array(payload))
        }
    }

    static func series(_ payload: ArraySlice<UInt8>) throws(DecodeError) -> [WALSeries] {
        var cursor = ByteCursor(payload)
        var series: [WALSeries] = []
        while !cursor.isAtEnd {
            let ref = SeriesRef(cursor.bigEndian64("series ref"))
            let count = cursor.uvarint("label count")
            // Each label takes at least two bytes (two zero lengths): a larger count is a lie,
            // and must not become a huge allocation.
            guard count <= UInt64(cursor.remaining / 2) else {
                cursor.fail("at most \(cursor.remaining / 2) labels", found: "\(count)")
                break
            }
            var pairs: [Label] = []
            pairs.reserveCapacity(Int(count))
            for _ in 0..<count {
                let name = string(&cursor, "label name")
                let value = string(&cursor, "label value")
                guard cursor.error == nil else { break }
                let label = Label(name, value)
                // Labels are written sorted by name, unique, with non-empty values: anything
                // else did not come from `Labels`.
                if value.isEmpty || (pairs.last.map { !($0.name < name) } ?? false) {
                    cursor.fail("labels sorted by name with non-empty values", found: "\(label.name)=\"\(label.value)\"")
                    break
                }
                pairs.append(label)
            }
            try cursor.check()
            series.append(WALSeries(ref: ref, labels: Labels(sortedUnique: pairs)))
        }
        try cursor.check()
        return series
    }

    static func samples(_ payload: ArraySlice<UInt8>) throws(DecodeError) -> [WALSample] {
        var cursor = ByteCursor(payload)
        let baseRef = cursor.bigEndian64("base series ref")
        let baseTime = Int64(bitPattern: cursor.bigEndian64("base timestamp"))
        var samples: [WALSample] = []
        samples.reserveCapacity(cursor.remaining / 10)
        while cursor.error == nil && !cursor.isAtEnd {
            let ref = baseRef &+ UInt64(bitPattern: cursor.varint("series ref delta"))
            let time = baseTime &+ cursor.varint("timestamp delta")
            let value = Double(bitPattern: cursor.bigEndian64("value"))
            samples.append(WALSample(ref: SeriesRef(ref), timestamp: time, value: value))
        }
        try cursor.check()
        return samples
    }

    private static func string(_ cursor: inout ByteCursor, _ what: String) -> String {
        let length = cursor.uvarint("\(what) length")
        guard length <= UInt64(cursor.remaining) else {
            cursor.fail("\(what) of \(length) bytes", found: "\(cursor.remaining) bytes left")
            return ""
        }
        let bytes = cursor.bytes(count: Int(length), what)
        guard let string = String(validating: bytes, as: UTF8.self) else {
            cursor.fail("\(what) in UTF-8", found: "invalid UTF-8")
            return ""
        }
        return string
    }
}
