import ArgumentParser
import ScaleAgent

struct TSDBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsdb",
        abstract: "Inspect a data directory.",
        subcommands: [TSDBStats.self]
    )
}

struct TSDBStats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Series, samples, blocks, bytes on disk and per sample, and the largest metrics.",
        discussion: "Opens the data directory read-only, so it works while the agent runs."
    )

    @OptionGroup var store: DataDirectoryOption

    @Option(name: .long, help: "How many metric names to list by series and by bytes.")
    var top: Int = 10

    func run() async throws {
        do {
            // Printing cannot fail: what is caught is the data directory's error.
            let stats = try StoreCommands.stats(dataDirectory: store.resolved(), top: top)
            print("series           \(stats.series)")
            print("samples          \(stats.samples)")
            print("blocks           \(stats.blocks.count)")
            print("bytes on disk    \(stats.totalBytes) (blocks \(stats.totalBytes - stats.walBytes), WAL \(stats.walBytes))")
            print("bytes per sample \(formatted(stats.bytesPerSample))")
            print("head             \(stats.head.series) series, \(stats.head.samples) samples, \(stats.head.bytes) bytes in memory")
            if !stats.blocks.isEmpty {
                print("\nblock                        min time        max time        series   samples     bytes")
                for block in stats.blocks {
                    print(
                        "\(block.meta.id)  \(pad(block.meta.minTime, 14))  \(pad(block.meta.maxTime, 14))  "
                            + "\(pad(block.meta.stats.series, 7))  \(pad(block.meta.stats.samples, 8))  \(pad(block.bytes, 8))")
                }
            }
            print("\ntop metric names by series")
            for (name, count) in stats.topBySeries { print("  \(pad(count, 8))  \(name)") }
            print("\ntop metric names by bytes (approximate: shares of compressed frames)")
            for (name, bytes) in stats.topByBytes { print("  \(pad(bytes, 8))  \(name)") }
        } catch {
            printError("tsdb stats failed: \(error)")
            throw ExitCode.failure
        }
    }

    private func pad(_ value: some BinaryInteger, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }

    private func formatted(_ value: Double) -> String {
        let thousandths = Int((value * 1000).rounded())
        let fraction = String(thousandths % 1000)
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
