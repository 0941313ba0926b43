#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Pressure stall information (PSI) from /proc/pressure/{cpu,io,memory}: node_exporter's
/// stall-time counters, plus the kernel's own moving averages as ratios, which show a
/// saturation spike without waiting for a `rate()` window.
///
/// PSI needs Linux 4.20 with CONFIG_PSI, and can be switched off with `psi=0`; a host
/// without it reports nothing from this collector rather than failing it.
public struct PressureCollector: Collector {
    public let name = "pressure"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    /// The resources node_exporter reports, with its help texts; the CPU "full" text is
    /// that of its later releases, which added the metric.
    static let resources = [
        Resource(
            name: "cpu",
            waitingHelp: "Total time in seconds that processes have waited for CPU time",
            stalledHelp: "Total time in seconds no process could make progress due to CPU congestion"),
        Resource(
            name: "io",
            waitingHelp: "Total time in seconds that processes have waited due to IO congestion",
            stalledHelp: "Total time in seconds no process could make progress due to IO congestion"),
        Resource(
            name: "memory",
            waitingHelp: "Total time in seconds that processes have waited for memory",
            stalledHelp: "Total time in seconds no process could make progress due to memory congestion"),
    ]

    struct Resource: Sendable {
        var name, waitingHelp, stalledHelp: String
    }

    static let ratioHelp =
        "Share of time tasks were stalled on the resource (some: at least one task, full: all non-idle tasks), "
        + "the kernel's average over the window, 0 to 1."

    public func collect(into metrics: inout MetricsBuilder) throws {
        guard try FileReading.directoryEntries(atPath: paths.proc("pressure")) != nil else { return }
        var found: [(resource: Resource, pressure: Pressure)] = []
        for resource in Self.resources {
            let file = paths.proc("pressure/" + resource.name)
            switch try Self.read(file) {
            case .text(let text): found.append((resource, try Self.parse(text, file: file)))
            case .absent: continue
            case .disabled: return
            }
        }
        for (resource, pressure) in found {
            Self.report(resource, pressure, into: &metrics)
        }
    }

    private enum FileState {
        case text(String)
        case absent
        /// Built with CONFIG_PSI but booted with psi=0: the files exist and refuse reads.
        case disabled
    }

    private static func read(_ file: String) throws(FileReadError) -> FileState {
        do {
            return try FileReading.optionalString(atPath: file).map(FileState.text) ?? .absent
        } catch where error.errno == EOPNOTSUPP {
            return .disabled
        }
    }

    private static func report(_ resource: Resource, _ pressure: Pressure, into metrics: inout MetricsBuilder) {
        let prefix = "node_pressure_" + resource.name
        metrics.counter(prefix + "_waiting_seconds_total", resource.waitingHelp, pressure.some.totalSeconds)
        if let full = pressure.full {
            metrics.counter(prefix + "_stalled_seconds_total", resource.stalledHelp, full.totalSeconds)
        }
        for (kind, line) in [("some", pressure.some), ("full", pressure.full)] {
            guard let line else { continue }
            for (window, ratio) in [("10s", line.avg10), ("60s", line.avg60), ("300s", line.avg300)] {
                let labels: KeyValuePairs = ["resource": resource.name, "kind": kind, "window": window]
                metrics.gauge("scalewatch_pressure_ratio", ratioHelp, ratio, labels)
            }
        }
    }

    struct Pressure: Equatable {
        /// At least one task stalled on the resource.
        var some: Line
        /// All non-idle tasks stalled at once; absent for CPU before Linux 5.13.
        var full: Line?
    }

    struct Line: Equatable {
        /// The kernel's averages, already turned from percent into 0…1.
        var avg10, avg60, avg300: Double
        var totalSeconds: Double
    }

    /// `some avg10=0.24 avg60=1.88 avg300=1.68 total=8447991` and the same for `full`:
    /// averages in percent, total in microseconds. Lines of a kind this parser does not know
    /// are skipped, so that a future kernel's addition does not break the known ones.
    static func parse(_ text: String, file: String) throws(ParseError) -> Pressure {
        var some: Line?
        var full: Line?
        for (index, line) in text.splitASCII(UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let parts = line.splitASCII(UInt8(ascii: " "))
            guard let kind = parts.first, kind == "some" || kind == "full" else { continue }
            let parsed = try parseLine(parts.dropFirst(), file: file, line: index + 1)
            if kind == "some" { some = parsed } else { full = parsed }
        }
        guard let some else { throw ParseError(file: file, line: 0, "missing the 'some' line") }
        return Pressure(some: some, full: full)
    }

    private static func parseLine(_ pairs: ArraySlice<Substring>, file: String, line: Int) throws(ParseError) -> Line {
        var averages: [Substring: Double] = [:]
        var total: UInt64?
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "=") else {
                throw ParseError(file: file, line: line, "expected 'key=value', found '\(pair)'")
            }
            let key = pair[..<equals]
            let value = pair[pair.index(after: equals)...]
            if key == "total" {
                guard let micros = UInt64(value) else {
                    throw ParseError(file: file, line: line, "total: expected microseconds, found '\(value)'")
                }
                total = micros
            } else {
                // Shifting the decimal exponent rounds once, so "1.17" becomes the double
                // nearest 0.0117 rather than 0.011699999999999999; it also refuses nan and inf.
                guard let ratio = Double(value + "e-2"), ratio >= 0 else {
                    throw ParseError(file: file, line: line, "\(key): expected a percentage, found '\(value)'")
                }
                averages[key] = ratio
            }
        }
        guard let avg10 = averages["avg10"], let avg60 = averages["avg60"], let avg300 = averages["avg300"], let total else {
            throw ParseError(file: file, line: line, "expected avg10, avg60, avg300 and total")
        }
        return Line(avg10: avg10, avg60: avg60, avg300: avg300, totalSeconds: Double(total) / 1_000_000)
    }
}
