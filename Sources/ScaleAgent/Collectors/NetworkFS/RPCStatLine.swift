/// One line of /proc/net/rpc/nfs (client, net/sunrpc/stats.c and fs/nfs) or /proc/net/rpc/nfsd
/// (server, fs/nfsd/stats.c): a key, then unsigned decimal integers.
///
///     net 18628 0 18628 6
///     rpc 4329785 0 4338291
///     proc3 22 1 4084749 29200 94754 32580 186 47747 7981 8639 0 6356 0 6962 0 7958 0 0 241 4 4 2 39
///     th 8 0 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000
///
/// A `procN` line starts with the number of counts that follow. Only the first integers of
/// some lines are read (nfsd's `th` carries a busy-time histogram in floats after them).
struct RPCStatLine: Equatable {
    var key: String
    var values: [UInt64]
    /// 1-based, for errors.
    var number: Int

    /// Blank lines are skipped; `integerPrefix` names keys of which only that many leading
    /// fields are integers.
    static func parseAll(_ text: String, file: String, integerPrefix: [String: Int] = [:]) throws(ParseError) -> [RPCStatLine] {
        var lines: [RPCStatLine] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let key = fields.first else { continue }
            guard fields.count >= 2 else {
                throw ParseError(file: file, line: index + 1, "expected '\(key) <count>…', found no values")
            }
            var numbers = fields.dropFirst()
            if let prefix = integerPrefix[String(key)] {
                guard numbers.count >= prefix else {
                    throw ParseError(file: file, line: index + 1, "expected at least \(prefix) values after '\(key)', found \(numbers.count)")
                }
                numbers = numbers.prefix(prefix)
            }
            var values: [UInt64] = []
            values.reserveCapacity(numbers.count)
            for field in numbers {
                guard let value = UInt64(field) else {
                    throw ParseError(file: file, line: index + 1, "expected an unsigned integer in '\(key)', found '\(field.prefix(40))'")
                }
                values.append(value)
            }
            lines.append(RPCStatLine(key: String(key), values: values, number: index + 1))
        }
        return lines
    }

    /// The values of a line with a fixed number of them.
    func exactly(_ count: Int, file: String) throws(ParseError) -> [UInt64] {
        guard values.count == count else {
            throw ParseError(file: file, line: number, "expected \(count) values after '\(key)', found \(values.count)")
        }
        return values
    }

    /// The counts of a `procN` line, after checking its leading number of counts.
    func procedureCounts(minimum: Int, file: String) throws(ParseError) -> [UInt64] {
        let counts = Array(values.dropFirst())
        guard let declared = values.first, declared == UInt64(counts.count) else {
            throw ParseError(
                file: file, line: number, "'\(key)' declares \(values.first ?? 0) counts but \(counts.count) follow")
        }
        guard counts.count >= minimum else {
            throw ParseError(file: file, line: number, "expected at least \(minimum) counts in '\(key)', found \(counts.count)")
        }
        return counts
    }
}

/// The `net` line of either file: packets by transport and TCP connections accepted (server)
/// or made (client). The first value, all packets, is the sum of the next two.
struct RPCNetworkCounts: Equatable {
    var udpPackets: UInt64 = 0
    var tcpPackets: UInt64 = 0
    var tcpConnections: UInt64 = 0

    init() {}

    init(_ line: RPCStatLine, file: String) throws(ParseError) {
        let values = try line.exactly(4, file: file)
        udpPackets = values[1]
        tcpPackets = values[2]
        tcpConnections = values[3]
    }
}
