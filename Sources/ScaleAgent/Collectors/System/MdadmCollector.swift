/// Linux software RAID from /proc/mdstat under node_exporter's `mdadm` names: per md device
/// its state, disks by state and sync progress. A degraded array (`node_md_disks{state="failed"}`
/// above 0) runs without redundancy until someone notices. Skipped without the md driver.
public struct MdadmCollector: Collector {
    public let name = "mdadm"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let file = paths.proc("mdstat")
        guard let text = try FileReading.optionalString(atPath: file) else { return }
        for array in try Self.parse(text, file: file) {
            let device = array.name
            metrics.gauge("node_md_disks_required", "Total number of disks of device.", Double(array.disksRequired), ["device": device])
            for (state, count) in [("active", array.disksActive), ("failed", array.disksFailed), ("spare", array.disksSpare)] {
                metrics.gauge("node_md_disks", "Number of active/failed/spare disks of device.", Double(count), ["device": device, "state": state])
            }
            for (label, state) in [("active", "active"), ("inactive", "inactive"), ("recovering", "recovering"), ("resync", "resyncing"), ("check", "checking")] {
                metrics.gauge(
                    "node_md_state", "Indicates the state of md-device.", array.state == state ? 1 : 0, ["device": device, "state": label])
            }
            metrics.gauge("node_md_blocks", "Total number of blocks on device.", Double(array.blocks), ["device": device])
            metrics.gauge("node_md_blocks_synced", "Number of blocks synced on device.", Double(array.blocksSynced), ["device": device])
        }
    }

    struct MDArray: Equatable {
        var name: String
        /// `active` or `inactive`, or while syncing `recovering`, `resyncing` or `checking`.
        var state: String
        var disksActive, disksFailed, disksSpare, disksRequired: Int
        var blocks, blocksSynced: Int
    }

    /// /proc/mdstat (drivers/md/md.c, md_seq_show): a `Personalities` line, then per array
    ///
    ///     md1 : active raid1 sdb2[2](S) sdc2[1] sda2[0](F)
    ///           1048512 blocks super 1.2 [2/1] [U_]
    ///           [=>...................]  recovery =  5.0% (52480/1048512) finish=1.2min speed=13120K/sec
    ///           bitmap: 0/1 pages [0KB], 65536KB chunk
    ///
    /// Failed members carry `(F)`, spares `(S)`; `[n/m]` is required/active members. raid0 and
    /// linear arrays have no `[n/m]`: every member counts as required and active. A sync line
    /// says `recovery`, `resync` or `check` with `(done/total)`, or `resync=PENDING|DELAYED`.
    static func parse(_ text: String, file: String) throws(ParseError) -> [MDArray] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var arrays: [MDArray] = []
        for (index, line) in lines.enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == ":" })
            guard let name = fields.first, name.hasPrefix("md"), !line.hasPrefix(" ") else { continue }
            guard fields.count >= 2, fields[1] == "active" || fields[1] == "inactive" else {
                throw ParseError(file: file, line: index + 1, "expected '\(name) : active|inactive …'")
            }
            guard index + 1 < lines.count, lines[index + 1].contains(where: { $0 != " " }) else {
                throw ParseError(file: file, line: index + 1, "expected a status line after \(name)")
            }
            let status = lines[index + 1]
            guard let blocks = status.split(separator: " ").first.flatMap({ Int($0) }) else {
                throw ParseError(file: file, line: index + 2, "expected the number of blocks of \(name), found '\(status.prefix(40))'")
            }
            var array = MDArray(
                name: String(name), state: String(fields[1]), disksActive: 0, disksFailed: count("(F)", in: line),
                disksSpare: count("(S)", in: line), disksRequired: 0, blocks: blocks, blocksSynced: blocks)
            if line.contains("raid0") || line.contains("linear") {
                array.disksRequired = count("[", in: line)
                array.disksActive = array.disksRequired
            } else if array.state == "active" {
                guard let (required, active) = members(status) else {
                    throw ParseError(file: file, line: index + 2, "expected '[required/active]' in the status of \(name)")
                }
                array.disksRequired = required
                array.disksActive = active
            }
            var syncIndex = index + 2
            if syncIndex < lines.count && lines[syncIndex].contains("bitmap") { syncIndex += 1 }
            let sync = syncIndex < lines.count ? lines[syncIndex] : ""
            let activity = ["recovery": "recovering", "resync": "resyncing", "check": "checking"]
            if let word = ["recovery", "check", "resync"].first(where: { sync.contains($0) }) {
                array.state = activity[word] ?? array.state
                if sync.contains("PENDING") || sync.contains("DELAYED") {
                    array.blocksSynced = 0
                } else {
                    guard let done = syncedBlocks(sync) else {
                        throw ParseError(file: file, line: syncIndex + 1, "expected '(done/total)' in the \(word) line of \(name)")
                    }
                    array.blocksSynced = done
                }
            }
            arrays.append(array)
        }
        return arrays
    }

    private static func count(_ needle: String, in line: String) -> Int {
        let bytes = Array(line.utf8)
        let pattern = Array(needle.utf8)
        guard bytes.count >= pattern.count else { return 0 }
        return (0...(bytes.count - pattern.count)).filter { bytes[$0..<($0 + pattern.count)].elementsEqual(pattern) }.count
    }

    /// `[2/1]` in `1048512 blocks super 1.2 [2/1] [U_]` → (2, 1).
    private static func members(_ status: String) -> (Int, Int)? {
        for word in status.split(separator: " ") where word.hasPrefix("[") && word.hasSuffix("]") && word.contains("/") {
            let parts = word.dropFirst().dropLast().split(separator: "/")
            if parts.count == 2, let required = Int(parts[0]), let active = Int(parts[1]) { return (required, active) }
        }
        return nil
    }

    /// `(52480/1048512)` in a recovery line → 52480.
    private static func syncedBlocks(_ line: String) -> Int? {
        guard let open = line.firstIndex(of: "("), let slash = line[open...].firstIndex(of: "/") else { return nil }
        return Int(line[line.index(after: open)..<slash])
    }
}
