import Foundation

/// Which service each systemd timer starts, from the timer unit files: `Unit=` in the
/// `[Timer]` section, else the service of the timer's own name (`foo.timer` → `foo.service`).
/// Read from the unit directories under the host root, in systemd's order of precedence (a
/// file in /etc hides one of the same name in /lib), without asking systemd, which need not
/// run (containers, tests). Drop-ins (`foo.timer.d/*.conf`) are not read.
struct TimerUnit: Sendable, Equatable {
    let timer: String
    let service: String
}

enum TimerUnits {
    static let directories = [
        "etc/systemd/system", "run/systemd/system", "usr/local/lib/systemd/system", "usr/lib/systemd/system", "lib/systemd/system",
    ]

    /// A unit file is a few hundred bytes; anything far larger is not one.
    static let maximumFileBytes = 64 << 10

    /// The host's timers, sorted by name. Unreadable directories and files are skipped: a
    /// timer whose file cannot be read cannot be named.
    static func read(paths: HostPaths) -> [TimerUnit] {
        var seen: Set<String> = []
        var timers: [TimerUnit] = []
        for directory in directories {
            let path = paths.root(directory)
            guard let names = (try? FileReading.directoryEntries(atPath: path)) ?? nil else { continue }
            for name in names where name.hasSuffix(".timer") && !seen.contains(name) && UnitMessage.isUnitName(name[...]) {
                guard let text = try? FileReading.string(atPath: path + "/" + name, maximumBytes: maximumFileBytes) else { continue }
                seen.insert(name)
                // A template (`foo@.timer`) names no unit that runs.
                if name.hasSuffix("@.timer") { continue }
                timers.append(TimerUnit(timer: name, service: service(ofTimer: name, unitFile: text)))
            }
        }
        return timers.sorted { $0.timer < $1.timer }
    }

    /// The unit a timer starts; pure. The last `Unit=` of the `[Timer]` section wins, as in
    /// systemd; continuation lines and comments are honoured.
    static func service(ofTimer timer: String, unitFile text: String) -> String {
        var section = ""
        var unit: String?
        var pending = ""
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" }) {
            var line = pending + rawLine.trimmingCharacters(in: .whitespaces)
            pending = ""
            if line.hasSuffix("\\") {
                line.removeLast()
                pending = line + " "
                continue
            }
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast())
                continue
            }
            guard section == "Timer", let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if key == "Unit" { unit = UnitMessage.isUnitName(value[...]) ? value : nil }
        }
        return unit ?? String(timer.dropLast(".timer".count)) + ".service"
    }
}
