/// The kstat files OpenZFS's SPL publishes under /proc/spl/kstat/zfs (module/os/linux/spl/
/// spl-kstat.c). Every file opens with the kstat header line
/// (`id type flags ndata data_size crtime snaptime`), then depends on the kstat's type:
///
/// Named kstats (arcstats, dmu_tx, zil, …, and each dataset's `objset-0x…`) list one
/// counter a line under a `name type data` header; type 4 is an unsigned 64-bit integer,
/// the only type node_exporter reads, and type 7 a string (an objset's `dataset_name`):
///
///     6 1 0x01 91 4368 5266997922 97951829710566
///     name                            type data
///     hits                            4    8772612
///     c_min                           4    33554432
///
/// An I/O kstat (a pool's `io`) has one header line of field names and one line of values:
///
///     12 3 0x00 1 80 2225326830828 32953570226
///     nread    nwritten reads    writes   wtime    wlentime wupdate  rtime    rlentime rupdate  wcnt     rcnt
///     1884160  3206144  22       132      7155162  104112268 ...
///
/// A pool's `state` holds one word, ONLINE, DEGRADED, FAULTED, OFFLINE, REMOVED or UNAVAIL.
enum ZFSKstat {
    struct Counter: Equatable {
        /// The kstat's name, as in the help text; metric names use `metricName`.
        var name: String
        var value: UInt64

        /// node_exporter's: the kstat name with `-` as `_`.
        var metricName: String { String(name.map { $0 == "-" ? "_" : $0 }) }
    }

    /// The type-4 counters of a named kstat, and its `dataset_name` where it has one.
    static func named(_ text: String, file: String) throws(ParseError) -> (counters: [Counter], dataset: String?) {
        var counters: [Counter] = []
        var dataset: String?
        var seen = Set<String>()
        var inBody = false
        for (index, line) in text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let fields = line.splitASCIIWhitespace()
            if !inBody {
                inBody = fields.count == 3 && fields[0] == "name" && fields[1] == "type" && fields[2] == "data"
                continue
            }
            if fields.isEmpty { continue }
            guard fields.count >= 3 else {
                throw ParseError(file: file, line: index + 1, "expected name, type and data, found \(fields.count) fields")
            }
            if fields[0] == "dataset_name" {
                // The name may hold spaces: it is the rest of the line.
                dataset = String(line[fields[2].startIndex...]).trimmingTrailingSpaces
                continue
            }
            guard fields[1] == "4" else { continue }
            let name = String(fields[0])
            guard isMetricNameSafe(name) else {
                throw ParseError(file: file, line: index + 1, "'\(name.prefix(40))' is not usable in a metric name")
            }
            guard let value = UInt64(fields[2]), fields.count == 3 else {
                throw ParseError(file: file, line: index + 1, "expected an unsigned integer for \(name), found '\(line.dropFirst(name.count).prefix(40))'")
            }
            guard seen.insert(name).inserted else {
                throw ParseError(file: file, line: index + 1, "\(name) appears twice")
            }
            counters.append(Counter(name: name, value: value))
        }
        guard inBody else { throw ParseError(file: file, line: 0, "expected a 'name type data' header") }
        return (counters, dataset)
    }

    /// The fields of an I/O kstat, by the names of its header line.
    static func io(_ text: String, file: String) throws(ParseError) -> [Counter] {
        var names: [Substring]?
        var counters: [Counter] = []
        for (index, line) in text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let fields = line.splitASCIIWhitespace()
            guard let header = names else {
                if fields.first == "nread" {
                    if let bad = fields.first(where: { !isMetricNameSafe(String($0)) }) {
                        throw ParseError(file: file, line: index + 1, "'\(bad.prefix(40))' is not usable in a metric name")
                    }
                    names = fields
                }
                continue
            }
            if fields.isEmpty { continue }
            guard fields.count == header.count else {
                throw ParseError(file: file, line: index + 1, "expected \(header.count) values under the header, found \(fields.count)")
            }
            guard counters.isEmpty else { throw ParseError(file: file, line: index + 1, "expected one line of values") }
            for (name, field) in zip(header, fields) {
                guard let value = UInt64(field) else {
                    throw ParseError(file: file, line: index + 1, "expected an unsigned integer for \(name), found '\(field.prefix(40))'")
                }
                counters.append(Counter(name: String(name), value: value))
            }
        }
        guard names != nil else { throw ParseError(file: file, line: 0, "expected a header line beginning with 'nread'") }
        guard !counters.isEmpty else { throw ParseError(file: file, line: 0, "expected a line of values under the header") }
        return counters
    }

    /// The pool's state in lower case, as node_exporter's `state` label values have it.
    static func state(_ text: String, file: String) throws(ParseError) -> String {
        let first = text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false).first ?? ""
        let fields = first.splitASCIIWhitespace()
        guard fields.count == 1 else { throw ParseError(file: file, line: 1, "expected one word, the pool's state") }
        return fields[0].lowercased()
    }

    private static func isMetricNameSafe(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var text = Substring(self)
        while text.last == " " || text.last == "\t" || text.last == "\r" { text.removeLast() }
        return String(text)
    }
}
