/// The XFS statistics file, per mounted file system in /sys/fs/xfs/<device>/stats/stats and
/// for the whole host in /proc/fs/xfs/stat (fs/xfs/xfs_stats.c, `xfs_stats_format`): one line
/// per group, a name and its decimal counters,
///
///     extent_alloc 92447 97589 92448 93751
///     rw 107739 94045
///     xpc 399724544 92823103 86219234
///
/// Groups come and go with kernel versions; a known group with the wrong number of counters
/// is an error (the meaning of each position would be lost), an unknown one is kept as read.
struct XFSStats: Equatable {
    private(set) var groups: [String: [UInt64]] = [:]

    /// Counters each known group has; `vnodes` lost `free` in old kernels, `qm` gained
    /// `unused` in 4.20.
    static let widths: [String: Set<Int>] = [
        "extent_alloc": [4], "abt": [4], "blk_map": [7], "bmbt": [4], "dir": [4], "trans": [3], "ig": [7],
        "log": [5], "push_ail": [10], "xstrat": [2], "rw": [2], "attr": [4], "icluster": [3], "vnodes": [7, 8],
        "buf": [9], "xpc": [3], "abtb2": [15], "abtc2": [15], "bmbt2": [15], "ibt2": [15], "qm": [8, 9], "debug": [1],
    ]

    /// The counter at `index` of `group`; 0 where the kernel does not report the group, as
    /// in node_exporter.
    subscript(group group: String, index index: Int) -> UInt64 {
        guard let values = groups[group], index < values.count else { return 0 }
        return values[index]
    }

    static func parse(_ text: String, file: String) throws(ParseError) -> XFSStats {
        var stats = XFSStats()
        for (index, line) in text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let fields = line.splitASCIIWhitespace()
            guard let name = fields.first.map(String.init) else { continue }
            guard fields.count >= 2 else {
                throw ParseError(file: file, line: index + 1, "expected counters after '\(name)'")
            }
            var values: [UInt64] = []
            values.reserveCapacity(fields.count - 1)
            for field in fields.dropFirst() {
                guard let value = UInt64(field) else {
                    throw ParseError(file: file, line: index + 1, "expected a counter in '\(name)', found '\(field.prefix(40))'")
                }
                values.append(value)
            }
            if let widths = widths[name], !widths.contains(values.count) {
                let expected = widths.sorted().map(String.init).joined(separator: " or ")
                throw ParseError(file: file, line: index + 1, "expected \(expected) counters in '\(name)', found \(values.count)")
            }
            guard stats.groups[name] == nil else {
                throw ParseError(file: file, line: index + 1, "'\(name)' appears twice")
            }
            stats.groups[name] = values
        }
        return stats
    }
}
