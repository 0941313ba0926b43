/// Integer-valued doubles that convert to `Int64` and back without loss: the integer fast
/// paths of both chunk encodings rely on it.
enum SafeInteger {
    /// 2^53: every integer of at most this magnitude is exactly a Double, so integer
    /// arithmetic on such values and converting back is exact.
    static let limit: Int64 = 1 << 53

    /// The value as an integer if it is one of magnitude at most 2^53. -0.0 is not: it
    /// would come back as +0.0, a different bit pattern. NaN and ±Inf are not.
    @inline(__always)
    static func of(_ value: Double) -> Int64? {
        guard value.magnitude <= 9_007_199_254_740_992.0, value == value.rounded(.towardZero) else {
            return nil
        }
        if value == 0 && value.sign == .minus { return nil }
        return Int64(value)
    }

    @inline(__always)
    static func contains(_ value: Int64) -> Bool {
        value >= -limit && value <= limit
    }
}
