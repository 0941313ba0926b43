/// What one access-log line says, as byte ranges into the line and numbers: filled by
/// `AccessLogLineParser` without allocating, turned into label values only when a value is
/// new to the tally.
struct AccessLogEntry: Equatable, Sendable {
    var status = 0
    var method = AccessLogMethod.other
    var bytesSent: Double = 0
    /// Seconds; nil when the format has no request time or the line has `-`.
    var requestTime: Double?
    /// Seconds, summed over the servers tried; nil without one.
    var upstreamTime: Double?
    var vhost: Range<Int>?
    var upstream: Range<Int>?

    init() {}
}

/// The request methods that get a label value of their own; anything else (typos, scanners'
/// garbage, a TLS handshake sent to a plain port) is `other`, so that no client can grow the
/// label set.
enum AccessLogMethod: UInt8, CaseIterable, Sendable {
    case get, head, post, put, delete, patch, options, connect, trace, other

    var label: String {
        switch self {
        case .get: "GET"
        case .head: "HEAD"
        case .post: "POST"
        case .put: "PUT"
        case .delete: "DELETE"
        case .patch: "PATCH"
        case .options: "OPTIONS"
        case .connect: "CONNECT"
        case .trace: "TRACE"
        case .other: "other"
        }
    }

    private static let spelled: [(bytes: [UInt8], method: AccessLogMethod)] = allCases.filter { $0 != .other }
        .map { (Array($0.label.utf8), $0) }

    /// The method spelled by `line[range]`, byte for byte (methods are case-sensitive).
    static func matching(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> AccessLogMethod {
        let count = range.count
        guard count >= 3, count <= 7 else { return .other }
        for candidate in spelled where candidate.bytes.count == count && candidate.bytes[0] == line[range.lowerBound] {
            var same = true
            for offset in 1..<count where candidate.bytes[offset] != line[range.lowerBound + offset] {
                same = false
                break
            }
            if same { return candidate.method }
        }
        return .other
    }
}
