/// The block IO files of a cgroup: v2's io.stat and v1's blkio byte and operation counts.
/// Both list devices by `MAJ:MIN`; the cgroups collector sums them per service and keeps no
/// device label (a service times its devices would multiply the series, and the host's
/// `node_disk_*` already has the per-device view).
extension CgroupParsing {
    /// Bytes and operations a group read and wrote, summed over devices.
    struct IOTotals: Equatable {
        var readBytes: UInt64 = 0
        var writtenBytes: UInt64 = 0
        var reads: UInt64 = 0
        var writes: UInt64 = 0
    }

    /// cgroup v2's io.stat: one line per device,
    /// `MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N`, followed on some kernels by
    /// iocost and io.latency fields (`cost.vrate=…`, `avg_lat=…`). The four read and write
    /// keys are required on every line; other keys are skipped unconverted. An empty file is
    /// a group with no IO yet: zeros.
    static func ioStat(_ text: String, file: String) throws(ParseError) -> IOTotals {
        var totals = IOTotals()
        for (index, line) in text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty {
            let fields = line.splitASCII(UInt8(ascii: " "))
            guard let device = fields.first, isDevice(device) else {
                throw ParseError(file: file, line: index + 1, "expected 'MAJ:MIN key=value …', found '\(line)'")
            }
            var values: [Substring: UInt64] = [:]
            for field in fields.dropFirst() {
                guard let equals = field.firstIndex(of: "="), equals != field.startIndex else {
                    throw ParseError(file: file, line: index + 1, "\(device): expected 'key=value', found '\(field)'")
                }
                let key = field[..<equals]
                guard ["rbytes", "wbytes", "rios", "wios"].contains(key) else { continue }
                guard let value = number(field[field.index(after: equals)...]) else {
                    throw ParseError(file: file, line: index + 1, "\(device): \(key): expected an unsigned integer, found '\(field)'")
                }
                values[key] = value
            }
            for key in ["rbytes", "wbytes", "rios", "wios"] where values[Substring(key)] == nil {
                throw ParseError(file: file, line: index + 1, "\(device): missing \(key)")
            }
            try add(&totals.readBytes, values["rbytes"]!, file, index + 1)
            try add(&totals.writtenBytes, values["wbytes"]!, file, index + 1)
            try add(&totals.reads, values["rios"]!, file, index + 1)
            try add(&totals.writes, values["wios"]!, file, index + 1)
        }
        return totals
    }

    /// A v1 blkio counter file (`blkio.throttle.io_service_bytes_recursive`,
    /// `blkio.throttle.io_serviced`, `blkio.io_service_bytes`, …): per device
    /// `MAJ:MIN Read N`, `Write`, `Sync`, `Async`, `Discard` (Linux 4.19 and later), `Total`,
    /// then one `Total N` for the group. Returns Read and Write summed over devices and how
    /// many devices were listed: a file that lists none cannot tell "no IO" from "not
    /// counted" (see `CgroupsCollector`'s blkio check). Unknown operations are skipped.
    static func blkio(_ text: String, file: String) throws(ParseError) -> (read: UInt64, write: UInt64, devices: Int) {
        var read: UInt64 = 0
        var write: UInt64 = 0
        var devices: Set<Substring> = []
        for (index, line) in text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty {
            let fields = line.splitASCII(UInt8(ascii: " "))
            if fields.count == 2 && fields[0] == "Total" {
                guard number(fields[1]) != nil else {
                    throw ParseError(file: file, line: index + 1, "Total: expected an unsigned integer, found '\(fields[1])'")
                }
                continue
            }
            guard fields.count == 3, isDevice(fields[0]) else {
                throw ParseError(file: file, line: index + 1, "expected 'MAJ:MIN operation value' or 'Total value', found '\(line)'")
            }
            guard let value = number(fields[2]) else {
                throw ParseError(
                    file: file, line: index + 1, "\(fields[0]) \(fields[1]): expected an unsigned integer, found '\(fields[2])'")
            }
            devices.insert(fields[0])
            switch fields[1] {
            case "Read": try add(&read, value, file, index + 1)
            case "Write": try add(&write, value, file, index + 1)
            default: continue
            }
        }
        return (read, write, devices.count)
    }

    /// `8:0`, `259:1`: two decimal numbers around a colon.
    private static func isDevice(_ text: Substring) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.count <= 10 && $0.allSatisfy(\.isASCIIDigit) }
    }

    /// Decimal digits only (UInt64's own initializer would take a sign).
    private static func number(_ text: Substring) -> UInt64? {
        text.allSatisfy(\.isASCIIDigit) ? UInt64(text) : nil
    }

    private static func add(_ sum: inout UInt64, _ value: UInt64, _ file: String, _ line: Int) throws(ParseError) {
        let (total, overflow) = sum.addingReportingOverflow(value)
        guard !overflow else { throw ParseError(file: file, line: line, "the sum over devices exceeds 2^64") }
        sum = total
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
