// The one-byte tags inside a compact chunk (docs/format/chunks.md, "Compact chunk"). Raw values
// are on disk and never change; a byte not listed decodes as `unknown` and is refused.

/// How a compact chunk stores its timestamps after the first.
enum CompactTimestampEncoding: Equatable {
    /// Every interval is the same: one `interval` field.
    case regular
    /// Scrape jitter around a nominal interval: each interval minus `nominal`.
    case nominalDelta
    /// Each interval minus the previous interval.
    case deltaOfDelta
    case unknown(UInt8)

    init(rawValue: UInt8) {
        switch rawValue {
        case 1: self = .regular
        case 2: self = .nominalDelta
        case 3: self = .deltaOfDelta
        default: self = .unknown(rawValue)
        }
    }

    var rawValue: UInt8 {
        switch self {
        case .regular: 1
        case .nominalDelta: 2
        case .deltaOfDelta: 3
        case .unknown(let value): value
        }
    }
}

/// How a compact chunk stores its values.
enum CompactValueEncoding: Equatable {
    /// One 64-bit pattern for every sample (a constant NaN, Inf or non-decimal value).
    case constantRaw
    /// Every sample's 64-bit pattern.
    case raw
    /// Decimal mantissas, all equal.
    case constant
    /// Decimal mantissas growing by one fixed step.
    case deltaConstant
    /// Decimal mantissas as differences from the previous one (gauges).
    case delta
    /// Decimal mantissas as differences of differences (counters at a steady rate).
    case deltaOfDelta
    case unknown(UInt8)

    init(rawValue: UInt8) {
        switch rawValue {
        case 1: self = .constantRaw
        case 2: self = .raw
        case 3: self = .constant
        case 4: self = .deltaConstant
        case 5: self = .delta
        case 6: self = .deltaOfDelta
        default: self = .unknown(rawValue)
        }
    }

    var rawValue: UInt8 {
        switch self {
        case .constantRaw: 1
        case .raw: 2
        case .constant: 3
        case .deltaConstant: 4
        case .delta: 5
        case .deltaOfDelta: 6
        case .unknown(let value): value
        }
    }

    /// Decimal encodings carry an exponent, mantissas and an exception list.
    var isDecimal: Bool {
        switch self {
        case .constant, .deltaConstant, .delta, .deltaOfDelta: true
        case .constantRaw, .raw, .unknown: false
        }
    }
}
