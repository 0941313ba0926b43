// Decodes the value section of a compact chunk; the layout is drawn in CompactValues.swift and
// docs/format/chunks.md ("Compact chunk").

extension CompactValues {
    /// Decodes `out.count` values into `out[i].value`. Data errors are recorded in `cursor`.
    static func decode(_ cursor: inout ByteCursor, into out: UnsafeMutableBufferPointer<Sample>) {
        let count = out.count
        let tagOffset = cursor.offset
        let encoding = CompactValueEncoding(rawValue: cursor.byte("value encoding <1 byte>"))
        guard cursor.error == nil else { return }
        switch encoding {
        case .constantRaw:
            let value = Double(bitPattern: cursor.bigEndian64("constant value <8 bytes>"))
            for index in 0..<count { out[index].value = value }
            return
        case .raw:
            decodeRaw(&cursor, into: out)
            return
        case .unknown(let raw):
            cursor.fail("value encoding 1...6", found: "\(raw)", at: tagOffset)
            return
        case .constant, .deltaConstant, .delta, .deltaOfDelta:
            break
        }
        let exponentOffset = cursor.offset
        let exponent = Int(Int8(bitPattern: cursor.byte("decimal exponent <1 byte>")))
        let first = cursor.varint("first mantissa <varint>")
        guard cursor.error == nil else { return }
        guard abs(exponent) <= DecimalFloat.maxExponent else {
            cursor.fail("a decimal exponent within ±\(DecimalFloat.maxExponent)", found: "\(exponent)", at: exponentOffset)
            return
        }
        // One loop per exponent sign, so that the hot loop has no branch on it.
        if exponent == 0 {
            decodeMantissas(encoding, first: first, &cursor, into: out) { Double($0) }
        } else if exponent < 0 {
            let divisor = DecimalFloat.powersOfTen[-exponent]
            decodeMantissas(encoding, first: first, &cursor, into: out) { Double($0) / divisor }
        } else {
            let multiplier = DecimalFloat.powersOfTen[exponent]
            decodeMantissas(encoding, first: first, &cursor, into: out) { Double($0) * multiplier }
        }
        decodeExceptions(&cursor, into: out)
    }

    @inline(__always)
    private static func decodeMantissas(
        _ encoding: CompactValueEncoding, first: Int64, _ cursor: inout ByteCursor,
        into out: UnsafeMutableBufferPointer<Sample>, toDouble: (Int64) -> Double
    ) {
        let count = out.count
        out[0].value = toDouble(first)
        guard count > 1 else { return }
        switch encoding {
        case .constant:
            let value = out[0].value
            for index in 1..<count { out[index].value = value }
        case .deltaConstant:
            let step = cursor.varint("mantissa step <varint>")
            guard cursor.error == nil else { return }
            var mantissa = first
            for index in 1..<count {
                mantissa &+= step
                out[index].value = toDouble(mantissa)
            }
        case .delta:
            let divisor = readDivisor(&cursor)
            guard cursor.error == nil else { return }
            cursor.decodeBulk { bytes in
                var position = 0
                var mantissa = first
                for index in 1..<count {
                    let start = position
                    guard let raw = UnsafeVarint.read(bytes, &position) else {
                        return .failure(UnsafeVarint.failure("mantissa difference <varint>", start: start, index: position, count: bytes.count))
                    }
                    mantissa &+= ZigZag.decode(raw) &* divisor
                    out[index].value = toDouble(mantissa)
                }
                return .success(position)
            }
        case .deltaOfDelta:
            let divisor = readDivisor(&cursor)
            var delta = cursor.varint("first mantissa difference <varint>") &* divisor
            guard cursor.error == nil else { return }
            var mantissa = first &+ delta
            out[1].value = toDouble(mantissa)
            guard count > 2 else { return }
            cursor.decodeBulk { bytes in
                var position = 0
                for index in 2..<count {
                    let start = position
                    guard let raw = UnsafeVarint.read(bytes, &position) else {
                        return .failure(UnsafeVarint.failure("mantissa difference of differences <varint>", start: start, index: position, count: bytes.count))
                    }
                    delta &+= ZigZag.decode(raw) &* divisor
                    mantissa &+= delta
                    out[index].value = toDouble(mantissa)
                }
                return .success(position)
            }
        case .constantRaw, .raw, .unknown:
            preconditionFailure("BUG: \(encoding) is not a decimal encoding")
        }
    }

    /// The common divisor of the mantissa differences: 1...2^54.
    private static func readDivisor(_ cursor: inout ByteCursor) -> Int64 {
        let offset = cursor.offset
        let divisor = cursor.uvarint("difference divisor <uvarint>")
        guard cursor.error == nil else { return 0 }
        guard divisor >= 1 && divisor <= 1 << 54 else {
            cursor.fail("a difference divisor of 1...2^54", found: "\(divisor)", at: offset)
            return 0
        }
        return Int64(divisor)
    }

    private static func decodeRaw(_ cursor: inout ByteCursor, into out: UnsafeMutableBufferPointer<Sample>) {
        let count = out.count
        guard cursor.remaining >= count * 8 else {
            let found = "\(cursor.remaining) bytes"
            cursor.fail("\(count) raw values (\(count * 8) bytes)", found: found)
            return
        }
        cursor.decodeBulk { bytes in
            var position = 0
            for index in 0..<count {
                var bits: UInt64 = 0
                for byte in bytes[position..<position + 8] { bits = bits << 8 | UInt64(byte) }
                out[index].value = Double(bitPattern: bits)
                position += 8
            }
            return .success(position)
        }
    }

    private static func decodeExceptions(_ cursor: inout ByteCursor, into out: UnsafeMutableBufferPointer<Sample>) {
        let countOffset = cursor.offset
        let exceptions = cursor.uvarint("exception count <uvarint>")
        guard cursor.error == nil else { return }
        guard exceptions <= UInt64(out.count) else {
            cursor.fail("at most \(out.count) exceptions", found: "\(exceptions)", at: countOffset)
            return
        }
        var index = -1
        for _ in 0..<Int(exceptions) {
            let gapOffset = cursor.offset
            let gap = cursor.uvarint("exception gap <uvarint>")
            let bits = cursor.bigEndian64("exception value <8 bytes>")
            guard cursor.error == nil else { return }
            guard gap < UInt64(out.count - index - 1) else {
                cursor.fail("an exception index below \(out.count)", found: "gap \(gap) after index \(index)", at: gapOffset)
                return
            }
            index += Int(gap) + 1
            out[index].value = Double(bitPattern: out[index].value.bitPattern ^ bits)
        }
    }
}
