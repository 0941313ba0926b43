import ArgumentParser
import ScaleAgent

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import samples into a data directory.",
        subcommands: [ImportOpenMetrics.self]
    )
}

struct ImportOpenMetrics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openmetrics",
        abstract: "Import OpenMetrics text with timestamps (what `promtool tsdb create-blocks-from openmetrics` reads).",
        discussion: "The data directory is created if missing, and refused while an agent uses it. The whole file is checked before anything is written: a bad line is reported with its line and column and the data directory is left as it was."
    )

    @Argument(help: "The OpenMetrics file, ending in '# EOF'.")
    var file: String

    @OptionGroup var store: WritableDataDirectoryOption

    func run() async throws {
        do {
            let summary = try StoreCommands.importOpenMetrics(file: file, dataDirectory: store.dataDir)
            print("imported \(summary.samples) samples of \(summary.series) series into \(summary.blocks.count) blocks")
            if summary.skippedSamples > 0 {
                print("skipped \(summary.skippedSamples) samples repeating a timestamp of their series")
            }
        } catch {
            printError("import failed: \(error)")
            throw ExitCode.failure
        }
    }
}
