import ArgumentParser
import ScaleAgent

#if canImport(Glibc)
import Glibc
#endif

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write stored samples as OpenMetrics text with timestamps.",
        discussion: "Opens the data directory read-only, so it works while the agent runs. Stale markers cannot be written in OpenMetrics and are left out (their count is printed on stderr)."
    )

    @OptionGroup var store: DataDirectoryOption

    @Option(name: .long, help: "Series selector, e.g. 'node_load1' or '{__name__=~\"pg_.*\"}'. Default: every series.")
    var match: String?

    @OptionGroup var range: TimeRangeOptions

    func validate() throws {
        guard let match else { return }
        do {
            _ = try StoreCommands.matchers(selector: match)
        } catch {
            throw ValidationError("--match: \(error)")
        }
    }

    func run() async throws {
        let (start, end) = try range.milliseconds()
        do {
            let summary = try StoreCommands.export(
                dataDirectory: store.resolved(), selector: match, start: start ?? .min, end: end ?? .max
            ) { bytes in
                writeStandardOutput(bytes)
            }
            if summary.skippedStaleMarkers > 0 {
                printError("left out \(summary.skippedStaleMarkers) stale markers (OpenMetrics cannot carry them)")
            }
        } catch {
            printError("export failed: \(error)")
            throw ExitCode.failure
        }
    }
}
