#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Which log the `journal` collector reads: the configured journal directories and files; else
/// the host's journal when journald runs (or has left journal files); else /dev/kmsg.
enum JournalSources {
    enum Choice: Equatable, Sendable {
        case journal(SDJournal.Source, key: String)
        case kmsg(path: String)
    }

    static func choose(settings: JournalSettings, paths: HostPaths) -> [Choice] {
        if !settings.directories.isEmpty || !settings.files.isEmpty {
            var choices = settings.directories.map { Choice.journal(.directory($0), key: "journal:directory:" + $0) }
            if !settings.files.isEmpty { choices.append(.journal(.files(settings.files), key: "journal:files")) }
            return choices
        }
        let root = paths.rootfs.hasSuffix("/") ? String(paths.rootfs.dropLast()) : paths.rootfs
        if hasJournal(root: root) {
            return [.journal(root.isEmpty ? .local : .osRoot(paths.rootfs), key: "journal")]
        }
        let kmsg = root + "/dev/kmsg"
        return access(kmsg, F_OK) == 0 ? [.kmsg(path: kmsg)] : []
    }

    /// journald's socket, or journal files in /run/log/journal or /var/log/journal (directly or
    /// one machine-id directory down). An empty /var/log/journal, as the systemd package leaves
    /// it on a host that does not boot systemd, is not a journal.
    static func hasJournal(root: String) -> Bool {
        if access(root + "/run/systemd/journal/socket", F_OK) == 0 { return true }
        for directory in [root + "/run/log/journal", root + "/var/log/journal"] {
            guard let names = try? FileReading.directoryEntries(atPath: directory, sorted: false) else { continue }
            for name in names {
                if name.hasSuffix(".journal") { return true }
                let inner = (try? FileReading.directoryEntries(atPath: directory + "/" + name, sorted: false)) ?? nil
                if inner?.contains(where: { $0.hasSuffix(".journal") || $0.hasSuffix(".journal~") }) == true { return true }
            }
        }
        return false
    }

    /// The readers for the choices, and a label for `scalewatch_journal_source_info`.
    static func readers(for choices: [Choice], paths: HostPaths) -> (readers: [any LogReader], source: String?) {
        var readers: [any LogReader] = []
        var kinds: [String] = []
        for choice in choices {
            switch choice {
            case .journal(let source, let key):
                readers.append(JournalLogReader(source: source, key: key))
                kinds.append("journal")
            case .kmsg(let path):
                readers.append(KmsgLogReader(path: path, bootIDPath: paths.proc("sys/kernel/random/boot_id")))
                kinds.append("kmsg")
            }
        }
        return (readers, kinds.isEmpty ? nil : Set(kinds).sorted().joined(separator: ","))
    }
}
