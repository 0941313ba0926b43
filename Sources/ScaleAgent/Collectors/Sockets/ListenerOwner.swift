/// The process that holds a listening socket, and the systemd unit it runs in: which service a
/// port belongs to, so that a port gone during a deploy names the unit that was restarted.
public struct ListenerOwner: Sendable, Equatable {
    public var pid: Int
    /// The process's name (`comm`, up to 15 bytes, any bytes the process chose).
    public var process: String
    /// With the pid, the process's identity: a pid reused by a later process has another.
    public var startTicks: UInt64
    /// nil outside any unit (no systemd, a container manager's groups).
    public var unit: String?
    /// Where the unit's processes are listed, for "is the unit still running".
    public var unitCgroup: UnitCgroup?

    public struct UnitCgroup: Sendable, Equatable {
        var hierarchy: CgroupParsing.UnitHierarchy
        /// From the hierarchy's root, up to the unit's component: `/system.slice/nginx.service`.
        var path: String
    }

    public init(pid: Int, process: String, startTicks: UInt64, unit: String? = nil, unitCgroup: UnitCgroup? = nil) {
        self.pid = pid
        self.process = process
        self.startTicks = startTicks
        self.unit = unit
        self.unitCgroup = unitCgroup
    }
}

/// What the text of a /proc/PID/fd/N link says.
enum FDLink: Equatable {
    /// `socket:[12345]`: the socket's inode, as sock_diag reports it.
    case socket(inode: UInt32)
    /// A file, pipe, `anon_inode:[eventpoll]`, … — nothing to match.
    case other

    /// Malformed socket links are errors, so that a kernel that prints them otherwise is noticed
    /// in tests rather than silently never matching.
    static func parse(_ text: some BidirectionalCollection<UInt8>) throws(ParseError) -> FDLink {
        let prefix = "socket:[".utf8
        guard text.starts(with: prefix) else { return .other }
        let rest = text.dropFirst(prefix.count)
        guard rest.last == UInt8(ascii: "]") else {
            throw ParseError(file: "fd link", line: 1, "expected 'socket:[inode]', found '\(String(decoding: text, as: UTF8.self))'")
        }
        let digits = rest.dropLast()
        var inode: UInt64 = 0
        guard !digits.isEmpty, digits.count <= 10 else {
            throw ParseError(file: "fd link", line: 1, "socket inode: expected 1 to 10 digits, found '\(String(decoding: digits, as: UTF8.self))'")
        }
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else {
                throw ParseError(file: "fd link", line: 1, "socket inode: expected digits, found '\(String(decoding: digits, as: UTF8.self))'")
            }
            inode = inode * 10 + UInt64(digit - UInt8(ascii: "0"))
        }
        // sock_diag's idiag_inode is 32 bits wide, and socket inodes come from a 32-bit counter.
        guard let narrow = UInt32(exactly: inode) else {
            throw ParseError(file: "fd link", line: 1, "socket inode \(inode) exceeds 2^32")
        }
        return .socket(inode: narrow)
    }
}

/// cgroup v2's `cgroup.events` (`populated 1\nfrozen 0\n`): whether the group or any group below
/// it has a process.
enum CgroupEvents {
    static func populated(_ text: String, file: String) throws(ParseError) -> Bool {
        for (index, line) in text.splitASCII(UInt8(ascii: "\n")).enumerated() {
            let fields = line.splitASCIIWhitespace()
            guard fields.count == 2 else {
                throw ParseError(file: file, line: index + 1, "expected 'key value', found '\(line)'")
            }
            guard fields[0] == "populated" else { continue }
            switch fields[1] {
            case "0": return false
            case "1": return true
            default: throw ParseError(file: file, line: index + 1, "populated: expected 0 or 1, found '\(fields[1])'")
            }
        }
        throw ParseError(file: file, line: 1, "no 'populated' line")
    }
}
