import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The processes of the host as the OOM killer sees them: resident memory and `oom_score`
/// (the kernel's badness, 0–1000 plus `oom_score_adj`), read from `/proc`.
struct ProcessTable: Sendable {
    struct Process: Sendable, Equatable {
        var pid: Int
        var parent: Int
        var name: String
        var residentBytes: Double
        var oomScore: Int
        var oomScoreAdj: Int
    }

    var processes: [Process]

    /// The `(pid, ppid, comm)` of a `/proc/PID/stat` line; comm may hold spaces and parentheses,
    /// so it ends at the last `)`.
    static func parseStat(_ text: String) -> (pid: Int, parent: Int, name: String)? {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close,
            let pid = Int(text[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " ")))
        else { return nil }
        let rest = text[text.index(after: close)...].split(separator: " ")
        guard rest.count > 1, let parent = Int(rest[1]) else { return nil }
        return (pid, parent, String(text[text.index(after: open)..<close]))
    }

    /// Every process whose files could be read; one that exits meanwhile is left out.
    static func read(procRoot: String = "/proc") -> ProcessTable {
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        var processes: [Process] = []
        guard let directory = opendir(procRoot) else { return ProcessTable(processes: []) }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            guard let pid = Int(name) else { continue }
            let base = "\(procRoot)/\(pid)"
            guard let stat = try? FileReading.string(atPath: base + "/stat"), let (_, parent, comm) = parseStat(stat),
                let statm = try? FileReading.string(atPath: base + "/statm"),
                let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) }),
                let score = (try? FileReading.string(atPath: base + "/oom_score")).flatMap({ Int($0.trimmingCharacters(in: CharacterSet(charactersIn: "\n "))) }),
                let adj = (try? FileReading.string(atPath: base + "/oom_score_adj")).flatMap({ Int($0.trimmingCharacters(in: CharacterSet(charactersIn: "\n "))) })
            else { continue }
            processes.append(Process(pid: pid, parent: parent, name: comm, residentBytes: pages * pageSize, oomScore: score, oomScoreAdj: adj))
        }
        return ProcessTable(processes: processes)
    }

    func process(_ pid: Int) -> Process? { processes.first { $0.pid == pid } }
}
