import ArgumentParser
import MetricStore
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

    @Option(name: .long, help: "The data directory.")
    var dataDir: String

    @Option(name: .long, help: "Series selector, e.g. 'node_load1' or '{__name__=~\"pg_.*\"}'. Default: every series.")
    var match: String?

    @Option(name: .long, help: "Start time: Unix seconds or RFC 3339.")
    var start: String?

    @Option(name: .long, help: "End time: Unix seconds or RFC 3339.")
    var end: String?

    func validate() throws {
        if let match { _ = try parsedMatchers(match) }
        for (flag, value) in [("--start", start), ("--end", end)] {
            guard let value else { continue }
            do {
                _ = try TimeArgument.parse(value)
            } catch {
                throw ValidationError("\(flag): \(error)")
            }
        }
    }

    private func parsedMatchers(_ text: String) throws -> [LabelMatcher] {
        do {
            return try SeriesSelectorParser.parse(text)
        } catch {
            throw ValidationError("--match: \(error)")
        }
    }

    func run() async throws {
        let matchers = try match.map(parsedMatchers) ?? []
        let start = try self.start.map(TimeArgument.parse) ?? .min
        let end = try self.end.map(TimeArgument.parse) ?? .max
        do {
            let summary = try StoreCommands.export(
                dataDirectory: dataDir, matchers: matchers, start: start, end: end
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
