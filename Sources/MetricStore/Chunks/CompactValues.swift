// The value section of a compact chunk (docs/format/chunks.md, "Compact chunk"):
//
//   │ encoding <1 byte> │ constantRaw:   bits <8 bytes>
//                       │ raw:           bits <8 bytes> × n
//                       │ constant:      exponent <1 byte> │ m0 <varint> │ exceptions
//                       │ deltaConstant: exponent │ m0 <varint> │ step <varint> │ exceptions
//                       │ delta:         exponent │ m0 <varint> │ g <uvarint> │ (mi − mi−1)/g <varint> × (n−1) │ exceptions
//                       │ deltaOfDelta:  exponent │ m0 <varint> │ g <uvarint> │ (m1 − m0)/g <varint> │ (Di − Di−1)/g <varint> × (n−2) │ exceptions
//   exceptions := │ k <uvarint> │ (gap <uvarint> │ bits XOR bits(m × 10^exponent) <8 bytes>) × k │
//
// Di = mi − mi−1; g is the greatest common divisor of the differences. value(i) = m(i) × 10^exponent, except
// at the k exception indexes (stale markers, NaN, ±Inf, -0, values with no exact short
// decimal), whose bit patterns are stored XORed with what their mantissa decodes to.

/// Encodes and decodes the value section of a compact chunk.
enum CompactValues {
    /// Appends the section for `samples`' values (at least one).
    static func encode(_ samples: UnsafeBufferPointer<Sample>, into out: inout ByteWriter) {
        precondition(!samples.isEmpty, "BUG: encoding the values of no samples")
        let count = samples.count
        let firstBits = samples[0].value.bitPattern
        if samples.allSatisfy({ $0.value.bitPattern == firstBits }) {
            if let decimal = DecimalFloat.from(samples[0].value) {
                out.putByte(CompactValueEncoding.constant.rawValue)
                out.putByte(UInt8(bitPattern: Int8(decimal.exponent)))
                out.putVarint(decimal.mantissa)
                out.putUvarint(0)
            } else {
                out.putByte(CompactValueEncoding.constantRaw.rawValue)
                out.putBigEndian64(firstBits)
            }
            return
        }
        guard let decimals = DecimalMantissas(samples) else {
            putRaw(samples, into: &out)
            return
        }
        let mantissas = decimals.mantissas
        // Differences share a divisor more often than one would think: memory in bytes moves
        // by whole kB or pages, so dividing by their GCD saves 10-12 bits per sample.
        var divisor: Int64 = 0
        for index in 1..<count { divisor = Self.gcd(divisor, mantissas[index] - mantissas[index - 1]) }
        let step = mantissas[1] - mantissas[0]
        guard divisor != 0 else {
            putDecimalHeader(.constant, decimals, into: &out)
            putExceptions(decimals, samples, into: &out)
            return
        }
        var deltaSize = 0
        var dodSize = ByteWriter.uvarintSize(ZigZag.encode(step / divisor))
        var sameDelta = true
        for index in 1..<count {
            let quotient = (mantissas[index] - mantissas[index - 1]) / divisor
            deltaSize += ByteWriter.uvarintSize(ZigZag.encode(quotient))
            if index >= 2 {
                let previous = (mantissas[index - 1] - mantissas[index - 2]) / divisor
                dodSize += ByteWriter.uvarintSize(ZigZag.encode(quotient - previous))
                sameDelta = sameDelta && quotient == previous
            }
        }
        // Raw wins only when most values are exceptions anyway. An exception's XOR costs
        // about its significant bytes once zstd has squeezed its leading zeros.
        var exceptionSize = 0
        for index in decimals.exceptions {
            exceptionSize += 2 + (64 - Self.residual(decimals, samples, index).leadingZeroBitCount) / 8
        }
        let decimalSize = min(deltaSize, dodSize) + exceptionSize + 12
        guard decimalSize < count * 8 else {
            putRaw(samples, into: &out)
            return
        }
        if sameDelta {
            putDecimalHeader(.deltaConstant, decimals, into: &out)
            out.putVarint(step)
        } else if dodSize < deltaSize {
            putDecimalHeader(.deltaOfDelta, decimals, into: &out)
            out.putUvarint(UInt64(divisor))
            out.putVarint(step / divisor)
            for index in 2..<count {
                out.putVarint(((mantissas[index] - mantissas[index - 1]) - (mantissas[index - 1] - mantissas[index - 2])) / divisor)
            }
        } else {
            putDecimalHeader(.delta, decimals, into: &out)
            out.putUvarint(UInt64(divisor))
            for index in 1..<count { out.putVarint((mantissas[index] - mantissas[index - 1]) / divisor) }
        }
        putExceptions(decimals, samples, into: &out)
    }

    /// │ encoding │ exponent │ m0 │
    private static func putDecimalHeader(_ encoding: CompactValueEncoding, _ decimals: DecimalMantissas, into out: inout ByteWriter) {
        out.putByte(encoding.rawValue)
        out.putByte(UInt8(bitPattern: Int8(decimals.exponent)))
        out.putVarint(decimals.mantissas[0])
    }

    /// The positive greatest common divisor (Euclid); gcd(0, x) = |x|. Mantissas are within
    /// ±2^53, so differences and their magnitudes fit `Int64`.
    private static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
        var (x, y) = (a.magnitude, b.magnitude)
        while y != 0 { (x, y) = (y, x % y) }
        return Int64(x)
    }

    /// Each exception as the XOR of its bits with the bits its mantissa decodes to. For a
    /// value that float arithmetic put next to a short decimal (`76486348 / 1e3 / 1e3`,
    /// `306316 * 0.001`) the mantissa is that decimal and the XOR is a few low bits: zeros
    /// that zstd all but removes.
    private static func putExceptions(_ decimals: DecimalMantissas, _ samples: UnsafeBufferPointer<Sample>, into out: inout ByteWriter) {
        out.putUvarint(UInt64(decimals.exceptions.count))
        var previous = -1
        for index in decimals.exceptions {
            out.putUvarint(UInt64(index - previous - 1))
            out.putBigEndian64(residual(decimals, samples, index))
            previous = index
        }
    }

    private static func residual(_ decimals: DecimalMantissas, _ samples: UnsafeBufferPointer<Sample>, _ index: Int) -> UInt64 {
        let approximation = DecimalFloat.toDouble(mantissa: decimals.mantissas[index], exponent: decimals.exponent)
        return samples[index].value.bitPattern ^ approximation.bitPattern
    }

    private static func putRaw(_ samples: UnsafeBufferPointer<Sample>, into out: inout ByteWriter) {
        out.putByte(CompactValueEncoding.raw.rawValue)
        for sample in samples { out.putBigEndian64(sample.value.bitPattern) }
    }
}
