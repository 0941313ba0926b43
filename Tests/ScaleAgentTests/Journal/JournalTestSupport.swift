#if canImport(Glibc)
import Glibc
#endif

@testable import ScaleAgent
import TestSupport

/// Runs a program (no shell), stdin from a file if given; returns its exit status, or 128 +
/// the signal that killed it.
@discardableResult
func runProcess(_ arguments: [String], stdin: String? = nil) -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if let stdin { posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let copies = arguments.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    var argv = copies + [nil]
    var pid: pid_t = 0
    let spawned = argv.withUnsafeMutableBufferPointer { posix_spawn(&pid, arguments[0], &actions, nil, $0.baseAddress!, environ) }
    guard spawned == 0 else { return -1 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let signal = status & 0x7f
    return signal != 0 ? 128 + signal : (status >> 8) & 0xff
}

func writeFile(_ path: String, _ text: String, append: Bool = false) {
    let fd = open(path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0o644)
    precondition(fd >= 0, "cannot open \(path)")
    var text = text
    text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            precondition(written > 0)
            offset += written
        }
    }
    close(fd)
}

/// Journal files made the way journald makes them: `systemd-journal-remote` turns journal
/// export text into a real journal file (and appends to an existing one).
enum JournalFixture {
    static let journalRemote = "/lib/systemd/systemd-journal-remote"

    static var isAvailable: Bool { access(journalRemote, X_OK) == 0 }

    /// One entry: its fields in export format order.
    struct Entry {
        var fields: [(String, String)]

        /// A kernel message, as journald stores what it reads from /dev/kmsg.
        static func kernel(_ message: String, priority: Int = 3) -> Entry {
            Entry(fields: [
                ("MESSAGE", message), ("PRIORITY", String(priority)), ("_TRANSPORT", "kernel"),
                ("SYSLOG_IDENTIFIER", "kernel"), ("SYSLOG_FACILITY", "0"),
            ])
        }

        /// A service manager message about a unit, as PID 1 logs it.
        static func manager(_ unit: String, _ text: String, priority: Int = 4) -> Entry {
            Entry(fields: [
                ("MESSAGE", "\(unit): \(text)"), ("PRIORITY", String(priority)), ("_TRANSPORT", "journal"),
                ("SYSLOG_IDENTIFIER", "systemd"), ("_PID", "1"), ("_SYSTEMD_UNIT", "init.scope"), ("UNIT", unit),
            ])
        }

        /// A line a service wrote to stdout or syslog.
        static func service(_ unit: String, _ message: String, priority: Int = 6, identifier: String? = nil) -> Entry {
            Entry(fields: [
                ("MESSAGE", message), ("PRIORITY", String(priority)), ("_TRANSPORT", "stdout"),
                ("SYSLOG_IDENTIFIER", identifier ?? String(unit.prefix { $0 != "." && $0 != "@" })),
                ("_SYSTEMD_UNIT", unit),
            ])
        }
    }

    static let bootID = "0123456789abcdef0123456789abcdef"

    /// Export text: each entry gets increasing timestamps from `start` (microseconds).
    static func exportText(_ entries: [Entry], start: UInt64) -> String {
        var text = ""
        for (index, entry) in entries.enumerated() {
            let time = start + UInt64(index)
            text += "__REALTIME_TIMESTAMP=\(time)\n__MONOTONIC_TIMESTAMP=\(time - 1_600_000_000_000_000)\n"
            text += "_BOOT_ID=\(bootID)\n"
            for (key, value) in entry.fields { text += "\(key)=\(value)\n" }
            text += "\n"
        }
        return text
    }

    /// Appends `entries` to the journal file at `path` (created if missing); `start` is the
    /// first entry's time in microseconds since the epoch.
    static func append(_ entries: [Entry], to path: String, start: UInt64, scratch: TestDirectory) -> Bool {
        let export = scratch.file("entries-\(start).export")
        writeFile(export, exportText(entries, start: start))
        defer { unlink(export) }
        return runProcess([journalRemote, "--output=" + path, "-"], stdin: export) == 0
    }
}
