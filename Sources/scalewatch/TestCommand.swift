import ArgumentParser
import ScaleAgent

struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run unit tests.",
        subcommands: [TestRules.self]
    )
}

struct TestRules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Run rule unit tests written in promtool's format (`promtool test rules`), unchanged.",
        discussion: "Exits non-zero when any expectation fails; each failure shows what was expected and what was got."
    )

    @Argument(help: "Test files.")
    var files: [String]

    @OptionGroup var windowStart: WindowStartOption

    func run() async throws {
        var failed = false
        for file in files {
            let outcome = RuleCommands.test(file: file, windowStart: windowStart.value ?? .excluded)
            if outcome.passed {
                print(outcome.report)
            } else {
                failed = true
                printError(outcome.report)
            }
        }
        if failed { throw ExitCode.failure }
    }
}
