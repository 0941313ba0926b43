import AlertEngine
import Foundation

/// `scalewatch top`'s screen: a snapshot and a terminal size in, exactly `rows` lines of at most
/// `columns` characters out, no escape codes (the terminal code positions them). Each line
/// names the scaling stage (DESIGN.md) whose signature it shows.
public enum TopScreen {
    /// Width of the first column, which names the line.
    static let nameWidth = 18

    public static func render(_ snapshot: TopSnapshot, columns: Int, rows: Int, agent: String, now: Int64, interval: String) -> [String] {
        let clock = GoTime.rfc3339(unixMilliseconds: now / 1000 * 1000).replacingOccurrences(of: "T", with: " ")
        let title = "scalewatch top — \(agent) — \(clock.dropLast()) UTC"
        let help = "every \(interval) · q quits"
        var lines = [title.count + 2 + help.count <= columns ? title + String(repeating: " ", count: columns - title.count - help.count) + help : title]
        lines.append(snapshot.problem.map { "! \($0)" } ?? "")
        let busy = snapshot.cpuBusy
        lines.append(
            row(
                "CPU (3)",
                "busy \(percent(busy))  waiting \(percent(snapshot.cpuWaiting))  load \(plain(snapshot.load1))"
                    + (snapshot.cpuCount.map { " on \(Int($0)) CPUs" } ?? "")))
        let barWidth = max(0, min(50, columns - nameWidth))
        lines.append(row("", bar(busy, width: barWidth)))
        let availableShare = snapshot.memoryAvailable.flatMap { available in snapshot.memoryTotal.map { available / $0 } }
        lines.append(
            row(
                "memory (1)",
                "available \(bytes(snapshot.memoryAvailable)) of \(bytes(snapshot.memoryTotal)) (\(percent(availableShare)))"
                    + "  OOM kills in 1h \(plain(snapshot.oomKills.map { $0.rounded() }))"))
        let used = snapshot.connections.flatMap { connections in snapshot.maxConnections.map { connections / $0 } }
        lines.append(
            row("connections (4)", "\(plain(snapshot.connections)) of \(plain(snapshot.maxConnections)) (\(percent(used)))"))
        lines.append(
            row("locks, lag (6, 7)", "waiting for a lock \(plain(snapshot.lockWaits))  replication lag \(seconds(snapshot.replicationLag))"))
        lines.append(row("firing alerts", snapshot.firing.isEmpty ? "none" : "\(snapshot.firing.count): " + snapshot.firing.joined(separator: ", ")))
        lines.append("")
        lines.append(contentsOf: largest(snapshot, columns: columns))
        return (0..<max(rows, 0)).map { index in fit(index < lines.count ? lines[index] : "", columns) }
    }

    /// Services and processes by memory: side by side where the width allows, else one
    /// under the other.
    private static func largest(_ snapshot: TopSnapshot, columns: Int) -> [String] {
        let services = ["largest services (2)"] + entries(snapshot.services)
        let processes = ["largest processes (2)"] + entries(snapshot.processes)
        guard columns >= 80 else { return services + [""] + processes }
        let half = columns / 2
        return (0..<max(services.count, processes.count)).map { index in
            fit(index < services.count ? services[index] : "", half) + (index < processes.count ? processes[index] : "")
        }
    }

    private static func entries(_ ranked: [TopSnapshot.Ranked]) -> [String] {
        if ranked.isEmpty { return ["  -"] }
        let width = min(28, ranked.map(\.name.count).max() ?? 0)
        return ranked.map { "  " + fit($0.name, width) + "  " + leftPad(bytes($0.value), 9) }
    }

    private static func row(_ name: String, _ text: String) -> String {
        fit(name, nameWidth) + text
    }

    /// `[██████░░░░░░]`: a share 0…1 as a bar; unknown draws no bar.
    static func bar(_ share: Double?, width: Int) -> String {
        guard let share, width >= 3 else { return "" }
        let inner = width - 2
        let filled = min(inner, max(0, Int((share * Double(inner)).rounded())))
        return "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: inner - filled) + "]"
    }

    static func percent(_ share: Double?) -> String {
        guard let share, share.isFinite else { return "-" }
        return String(format: "%.1f%%", share * 100)
    }

    static func plain(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "-" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.2f", value)
    }

    static func seconds(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "-" }
        return value < 60 ? String(format: "%.1fs", value) : value < 3600 ? String(format: "%.1fm", value / 60) : String(format: "%.1fh", value / 3600)
    }

    /// Binary units, three significant digits: `512 B`, `1.5 KiB`, `7.81 GiB`.
    static func bytes(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "-" }
        var scaled = value
        for unit in ["B", "KiB", "MiB", "GiB", "TiB"] {
            if abs(scaled) < 1024 || unit == "TiB" {
                return unit == "B" ? "\(Int64(scaled)) B" : String(format: "%.3g", scaled) + " " + unit
            }
            scaled /= 1024
        }
        return "-"
    }

    /// Exactly `width` characters: cut, or padded with spaces.
    static func fit(_ text: String, _ width: Int) -> String {
        let count = text.count
        if count == width { return text }
        if count > width { return String(text.prefix(max(0, width))) }
        return text + String(repeating: " ", count: width - count)
    }

    private static func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
