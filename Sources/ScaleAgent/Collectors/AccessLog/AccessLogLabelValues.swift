/// A bounded set of label values taken from log lines (virtual hosts, upstreams): each
/// distinct value gets an index the first time it is seen, up to `limit`; later new values
/// share the index of `other`. Values are compared as bytes, so a line costs no String.
struct AccessLogLabelValues: Equatable, Sendable {
    static let overflowLabel = "other"
    /// Longer values are cut: a Host header is the client's to choose.
    static let maximumBytes = 128

    let limit: Int
    private(set) var values: [String] = []
    private var bytes: [[UInt8]] = []
    private var overflowIndex: Int32?
    /// The index matched last: most lines repeat the previous line's value.
    private var lastHit = 0

    init(limit: Int, fixed: String? = nil) {
        self.limit = limit
        if let fixed {
            values = [fixed]
            bytes = [Array(fixed.utf8)]
        }
    }

    /// The index of `line[range]`'s value.
    mutating func index(of line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int32 {
        let value = UnsafeBufferPointer(rebasing: line[range.lowerBound..<min(range.upperBound, range.lowerBound + Self.maximumBytes)])
        if lastHit < bytes.count, bytes[lastHit].elementsEqual(value) { return Int32(lastHit) }
        for (index, known) in bytes.enumerated() where known.count == value.count && known.elementsEqual(value) {
            lastHit = index
            return Int32(index)
        }
        if bytes.count >= limit {
            if let overflowIndex { return overflowIndex }
            values.append(Self.overflowLabel)
            // No bytes can match the overflow entry: a real value spelled "other" counts apart.
            bytes.append([])
            overflowIndex = Int32(values.count - 1)
            return overflowIndex!
        }
        values.append(String(decoding: value, as: UTF8.self))
        bytes.append(Array(value))
        lastHit = bytes.count - 1
        return Int32(lastHit)
    }
}
