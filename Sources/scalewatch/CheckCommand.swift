import ArgumentParser
import ScaleAgent

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate configuration files without running anything.",
        subcommands: [CheckConfig.self, CheckRules.self]
    )
}

struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Validate agent config files the way `scalewatch agent` reads them."
    )

    @Argument(help: "Config files to check.")
    var files: [String]

    func run() async throws {
        var failed = false
        for file in files {
            do {
                _ = try ConfigLoader.load(file: file)
                print("SUCCESS: \(file) is valid")
            } catch {
                failed = true
                printError("FAILED: \(error)")
            }
        }
        if failed { throw ExitCode.failure }
    }
}
