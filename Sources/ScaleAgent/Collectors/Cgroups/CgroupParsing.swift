#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Pure parsers for the cgroup control files and the per-process /proc files the `cgroups`
/// and `top_processes` collectors read. Every function takes the file's text and its path
/// (for the error) and either returns values or throws a `ParseError` naming the line.
enum CgroupParsing {
    /// A file holding one unsigned integer: memory.current, memory.peak,
    /// memory.usage_in_bytes, memory.max_usage_in_bytes, memory.failcnt, cpuacct.usage.
    static func value(_ text: String, file: String) throws(ParseError) -> UInt64 {
        let lines = text.splitASCII(UInt8(ascii: "\n"))
        guard !lines.isEmpty else { throw ParseError(file: file, line: 0, "empty, expected one unsigned integer") }
        guard lines.count == 1 else { throw ParseError(file: file, line: 2, "expected one line, found \(lines.count)") }
        guard let value = UInt64(lines[0]) else {
            throw ParseError(file: file, line: 1, "expected an unsigned integer, found '\(lines[0])'")
        }
        return value
    }

    /// cgroup v2's memory.max (or memory.high): bytes, or `max` for no limit (nil).
    static func limit(_ text: String, file: String) throws(ParseError) -> UInt64? {
        let lines = text.splitASCII(UInt8(ascii: "\n"))
        if lines.count == 1 && lines[0] == "max" { return nil }
        return try value(text, file: file)
    }

    /// cgroup v1's memory.limit_in_bytes: "no limit" is the largest page-aligned
    /// 63-bit value (9223372036854771712 with 4 KiB pages), so anything from 2^62 up is no
    /// limit (nil); no machine has that much memory.
    static func legacyLimit(_ text: String, file: String) throws(ParseError) -> UInt64? {
        let bytes = try value(text, file: file)
        return bytes >= 1 << 62 ? nil : bytes
    }

    /// `key value` lines: memory.events, memory.stat, cpu.stat, memory.oom_control. Only the
    /// wanted keys are converted, so that a newer kernel's additions (or a non-numeric one)
    /// do not break the known ones; a wanted key must have an unsigned integer value. Scanning
    /// stops once every wanted key is found (v2's memory.stat starts with anon and file).
    /// Byte-level: it runs for several files per service at every collection.
    static func keyed(_ text: String, file: String, keys: [String]) throws(ParseError) -> [String: UInt64] {
        var text = text
        var found: [String: UInt64] = [:]
        let wanted = keys.map { Array($0.utf8) }
        // memchr and memcmp over the bytes: this runs for several files per service at every
        // collection, and stays cheap in debug builds too.
        let failure: ParseError? = text.withUTF8 { bytes -> ParseError? in
            guard var start = bytes.baseAddress else { return nil }
            let end = start + bytes.count
            var lineNumber = 0
            while start < end && found.count < keys.count {
                lineNumber += 1
                let newline = memchr(start, 0x0A, end - start).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) } ?? end
                defer { start = newline + 1 }
                let length = newline - start
                if length == 0 { continue }
                let line = UnsafeBufferPointer(start: start, count: length)
                guard let spacePointer = memchr(start, 0x20, length).map({ UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) }),
                    spacePointer > start, spacePointer < newline - 1,
                    memchr(spacePointer + 1, 0x20, newline - spacePointer - 1) == nil
                else {
                    return ParseError(file: file, line: lineNumber, "expected 'key value', found '\(String(decoding: line, as: UTF8.self))'")
                }
                let keyLength = spacePointer - start
                guard let index = wanted.firstIndex(where: { key in
                    key.count == keyLength && key.withUnsafeBufferPointer { memcmp($0.baseAddress!, start, keyLength) == 0 }
                }) else { continue }
                let digits = UnsafeBufferPointer(start: spacePointer + 1, count: newline - spacePointer - 1)
                guard let value = ASCIIDecimal.unsigned(digits) else {
                    return ParseError(
                        file: file, line: lineNumber,
                        "\(keys[index]): expected an unsigned integer, found '\(String(decoding: digits, as: UTF8.self))'")
                }
                found[keys[index]] = value
            }
            return nil
        }
        if let failure { throw failure }
        return found
    }

    /// The stall totals of a pressure file (`some … total=US` and, from Linux 5.13 for CPU,
    /// `full … total=US`), in seconds: all the cgroups collector reports, so the averages are
    /// not converted. Lines of another kind are skipped, as `PressureCollector.parse` does.
    static func pressureTotals(_ text: String, file: String) throws(ParseError) -> PressureTotals {
        var some: Double?
        var full: Double?
        for (index, line) in text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let isSome = line.hasPrefix("some ")
            guard isSome || line.hasPrefix("full ") else { continue }
            // total is the last field.
            guard let equals = line.utf8.lastIndex(of: UInt8(ascii: "=")), line[..<equals].hasSuffix(" total"),
                let micros = UInt64(line[line.utf8.index(after: equals)...])
            else {
                throw ParseError(file: file, line: index + 1, "expected 'total=' and microseconds at the end, found '\(line)'")
            }
            if isSome { some = Double(micros) / 1e6 } else { full = Double(micros) / 1e6 }
        }
        guard let some else { throw ParseError(file: file, line: 0, "missing the 'some' line") }
        return PressureTotals(some: some, full: full)
    }

    struct PressureTotals: Equatable {
        /// Seconds at least one task stalled.
        var some: Double
        /// Seconds all non-idle tasks stalled at once; absent for CPU before Linux 5.13.
        var full: Double?
    }

    /// The total and resident page counts from /proc/PID/statm (`size resident shared text lib
    /// data dt`, all in pages). A size of 0 means no address space at all: a kernel thread.
    static func statmPages(_ text: String, file: String) throws(ParseError) -> (size: UInt64, resident: UInt64) {
        let fields = text.utf8.split(
            maxSplits: 2, omittingEmptySubsequences: true, whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") })
        guard fields.count >= 2, let size = ASCIIDecimal.unsigned(fields[0]), let resident = ASCIIDecimal.unsigned(fields[1]) else {
            throw ParseError(file: file, line: 1, "expected page counts 'size resident …', found '\(text.prefix(64))'")
        }
        return (size, resident)
    }

    /// What `top_processes` takes from /proc/PID/stat:
    /// `pid (comm) state ppid … utime stime … starttime vsize rss …` (proc(5)). The name is
    /// what lies between the first '(' and the last ')', since a name may itself hold ')' or
    /// spaces; utime and stime are fields 14 and 15, starttime field 22, all in clock ticks;
    /// rss field 24, in pages (the same count as statm's resident, so one read per process
    /// does).
    struct ProcessStat: Equatable {
        var comm: String
        /// utime + stime.
        var cpuTicks: UInt64
        /// When the process started, after boot: with the pid, the identity of a process.
        var startTicks: UInt64
        var residentPages: UInt64
    }

    static func processStat(_ text: String, file: String) throws(ParseError) -> ProcessStat {
        // Bytes, not Characters: every process's stat is parsed at every collection.
        let utf8 = text.utf8
        guard let open = utf8.firstIndex(of: UInt8(ascii: "(")), let close = utf8.lastIndex(of: UInt8(ascii: ")")),
            open < close
        else {
            throw ParseError(file: file, line: 1, "expected 'pid (comm) state …', found '\(text.prefix(64))'")
        }
        let comm = String(text[utf8.index(after: open)..<close])
        // Fields from state (field 3) on; those past rss are not split.
        let fields = utf8[utf8.index(after: close)...].split(
            maxSplits: 22, omittingEmptySubsequences: true, whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") })
        guard fields.count >= 22 else {
            throw ParseError(file: file, line: 1, "expected at least 22 fields after the name, found \(fields.count)")
        }
        func number(_ index: Int, _ name: String, _ unit: String) throws(ParseError) -> UInt64 {
            guard let value = ASCIIDecimal.unsigned(fields[index]) else {
                throw ParseError(file: file, line: 1, "\(name): expected \(unit), found '\(String(Substring(fields[index])))'")
            }
            return value
        }
        let (cpu, overflow) = try number(11, "utime", "clock ticks").addingReportingOverflow(try number(12, "stime", "clock ticks"))
        guard !overflow else { throw ParseError(file: file, line: 1, "utime + stime exceeds 2^64") }
        return ProcessStat(
            comm: comm, cpuTicks: cpu, startTicks: try number(19, "starttime", "clock ticks"),
            residentPages: try number(21, "rss", "a page count"))
    }

    /// The systemd unit a process belongs to, from /proc/PID/cgroup
    /// (`hierarchy-ID:controllers:path` lines): the deepest path component that names a unit
    /// (`.service`, `.scope`, `.socket`, `.mount`, `.swap`), taken from the cgroup v2 line
    /// (`0::`) first, then the v1 `name=systemd` line, then the v1 `memory` line — the one
    /// tree a process may have been moved in by hand (a memory-limited test group). nil when
    /// no path names a unit (a kernel thread, the root cgroup, a container manager's groups).
    static func unit(fromProcessCgroup text: String, file: String) throws(ParseError) -> String? {
        try unitCgroup(fromProcessCgroup: text, file: file)?.unit
    }

    /// Which hierarchy's line of /proc/PID/cgroup named the unit.
    enum UnitHierarchy: Equatable, Sendable {
        case unified, systemd, memory
    }

    /// The unit as `unit(fromProcessCgroup:)` finds it, with the hierarchy of the line it came
    /// from and the cgroup path up to and including the unit's component
    /// (`/system.slice/nginx.service` for a process in `/system.slice/nginx.service/sub`): where
    /// to look whether the unit still has processes.
    static func unitCgroup(fromProcessCgroup text: String, file: String) throws(ParseError)
        -> (unit: String, hierarchy: UnitHierarchy, path: String)?
    {
        var unified: Substring?
        var systemd: Substring?
        var memory: Substring?
        for (index, line) in text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty {
            // The path may itself hold ':' — split at the first two only.
            guard let first = line.firstIndex(of: ":"),
                let second = line[line.index(after: first)...].firstIndex(of: ":")
            else {
                throw ParseError(file: file, line: index + 1, "expected 'id:controllers:path', found '\(line)'")
            }
            let id = line[..<first]
            let controllers = line[line.index(after: first)..<second]
            let path = line[line.index(after: second)...]
            guard !id.isEmpty, id.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                throw ParseError(file: file, line: index + 1, "hierarchy id: expected a number, found '\(id)'")
            }
            guard path.hasPrefix("/") else {
                throw ParseError(file: file, line: index + 1, "expected an absolute cgroup path, found '\(path)'")
            }
            if id == "0" && controllers.isEmpty {
                unified = path
            } else if controllers == "name=systemd" {
                systemd = path
            } else if controllers.splitASCII(UInt8(ascii: ",")).contains("memory") {
                memory = path
            }
        }
        for (hierarchy, path) in [(UnitHierarchy.unified, unified), (.systemd, systemd), (.memory, memory)] {
            if let path, let (unit, unitPath) = unitComponent(inCgroupPath: path) {
                return (unit, hierarchy, unitPath)
            }
        }
        return nil
    }

    static let unitSuffixes = [".service", ".scope", ".socket", ".mount", ".swap"]

    /// The deepest component of a cgroup path that names a systemd unit.
    static func unit(inCgroupPath path: Substring) -> String? {
        unitComponent(inCgroupPath: path)?.unit
    }

    /// That component and the path up to its end.
    private static func unitComponent(inCgroupPath path: Substring) -> (unit: String, path: String)? {
        for component in path.splitASCII(UInt8(ascii: "/")).reversed()
        where unitSuffixes.contains(where: { component.hasSuffix($0) && component.count > $0.count }) {
            return (String(component), String(path[..<component.endIndex]))
        }
        return nil
    }
}
