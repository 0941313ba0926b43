/// The kernel OOM killer's lines that matter for "who was killed" (mm/oom_kill.c and
/// mm/memcontrol.c), parsed from the message text as the journal or /dev/kmsg gives it.
///
/// One kill prints, in order: `NAME invoked oom-killer: …`, a memory report, the task list,
/// the `oom-kill:` summary (Linux 4.19+; rate-limited together with the report) and then,
/// always, the `Killed process` line. Only that last line is counted, so one kill is one count
/// on every kernel; the summary (or, before 4.19, `Task in … killed as a result of limit of …`)
/// only supplies the victim's cgroup.
enum KernelOOMMessage: Equatable, Sendable {
    /// `Out of memory: Killed process 1234 (postgres) total-vm:…kB, anon-rss:…kB, file-rss:…kB,
    /// shmem-rss:…kB, UID:…` (the whole machine ran out), `Memory cgroup out of memory: Killed
    /// process …` (a cgroup hit its limit), and the bare `Killed process …` line that older kernels
    /// printed after `… Kill process N (name) score S or sacrifice child`.
    case killed(KilledProcess)
    /// `oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,
    /// oom_memcg=/a,task_memcg=/a/b,task=NAME,pid=N,uid=U`.
    case summary(Summary)
    /// `Task in /a/b killed as a result of limit of /a` (before Linux 4.19): the victim's cgroup.
    case taskInCgroup(String)

    /// Which limit ran out, as the kill line's prefix says.
    enum Scope: String, Sendable {
        /// `Out of memory:`: the machine (or a cpuset or mempolicy).
        case system
        /// `Memory cgroup out of memory:`: a cgroup's limit.
        case cgroup
        /// The bare line of older kernels, whose prefix was on the line before.
        case unspecified
    }

    struct KilledProcess: Equatable, Sendable {
        var pid: Int
        var process: String
        var scope: Scope
        /// anon-rss + file-rss + shmem-rss, when the line carries them.
        var rssBytes: UInt64?
    }

    struct Summary: Equatable, Sendable {
        var pid: Int
        var process: String
        /// `task_memcg`: the victim's own cgroup.
        var cgroup: String?
        /// `CONSTRAINT_NONE`, `CONSTRAINT_MEMCG`, `CONSTRAINT_CPUSET`, `CONSTRAINT_MEMORY_POLICY`.
        var constraint: String?
    }

    /// The OOM form in `message`, or nil for any other line.
    static func parse(_ message: String) -> KernelOOMMessage? {
        let text = message[...]
        if LogText.hasPrefix(text, "oom-kill:") { return parseSummary(text.dropFirst("oom-kill:".count)) }
        if LogText.hasPrefix(text, "Task in ") { return parseTaskIn(text.dropFirst("Task in ".count)) }
        guard let anchor = LogText.find("Killed process ", in: text) else { return nil }
        let lead = text[..<anchor.lowerBound]
        let scope: Scope
        if lead.isEmpty {
            scope = .unspecified
        } else if LogText.hasPrefix(lead, "Memory cgroup out of memory") && lead.hasSuffix(": ") {
            scope = .cgroup
        } else if LogText.hasPrefix(lead, "Out of memory") && lead.hasSuffix(": ") {
            scope = .system
        } else {
            return nil
        }
        return parseKilled(text[anchor.upperBound...], scope: scope).map(KernelOOMMessage.killed)
    }

    /// `1234 (name) total-vm:…kB, anon-rss:…kB, file-rss:…kB, shmem-rss:…kB, UID:…`. A command name
    /// may hold spaces and parentheses, so it ends at `) total-vm:` when that follows, else at the
    /// last `)`.
    private static func parseKilled(_ text: Substring, scope: Scope) -> KilledProcess? {
        guard let (pid, rest) = LogText.leadingInteger(text), pid <= Int32.max, LogText.hasPrefix(rest, " (") else {
            return nil
        }
        let nameStart = rest.utf8.index(rest.startIndex, offsetBy: 2)
        let afterOpen = rest[nameStart...]
        let nameEnd: String.Index
        if let stop = LogText.find(") total-vm:", in: afterOpen) {
            nameEnd = stop.lowerBound
        } else if let stop = afterOpen.utf8.lastIndex(of: UInt8(ascii: ")")) {
            nameEnd = stop
        } else {
            return nil
        }
        let details = afterOpen[nameEnd...]
        var rss: UInt64?
        for field in ["anon-rss:", "file-rss:", "shmem-rss:"] {
            guard let hit = LogText.find(field, in: details),
                let (kilobytes, unit) = LogText.leadingInteger(details[hit.upperBound...]), LogText.hasPrefix(unit, "kB")
            else { continue }
            rss = (rss ?? 0) &+ kilobytes &* 1024
        }
        return KilledProcess(pid: Int(pid), process: String(afterOpen[..<nameEnd]), scope: scope, rssBytes: rss)
    }

    /// Comma-separated `key=value` fields; `task=` and the fields after it are read from the
    /// right, because a command name may contain a comma.
    private static func parseSummary(_ text: Substring) -> KernelOOMMessage? {
        guard let uid = LogText.findLast(",uid=", in: text),
            let pidField = LogText.findLast(",pid=", in: text[..<uid.lowerBound]),
            let pid = Int(text[pidField.upperBound..<uid.lowerBound]),
            let task = LogText.findLast(",task=", in: text[..<pidField.lowerBound])
        else { return nil }
        let head = text[..<task.lowerBound]
        var cgroup: String?
        if let memcg = LogText.find("task_memcg=", in: head) {
            cgroup = String(head[memcg.upperBound...])
        }
        var constraint: String?
        if LogText.hasPrefix(head, "constraint=") {
            constraint = String(LogText.prefix(head.dropFirst("constraint=".count), upTo: ","))
        }
        return .summary(
            Summary(pid: pid, process: String(text[task.upperBound..<pidField.lowerBound]), cgroup: cgroup,
                constraint: constraint))
    }

    private static func parseTaskIn(_ text: Substring) -> KernelOOMMessage? {
        guard let stop = LogText.find(" killed as a result of limit of ", in: text) else { return nil }
        let cgroup = text[..<stop.lowerBound]
        return cgroup.isEmpty ? nil : .taskInCgroup(String(cgroup))
    }
}
