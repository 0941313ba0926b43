import ArgumentParser
import ScaleAgent

struct CheckRules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Validate Prometheus rule files, as `promtool check rules` does.",
        discussion: "Checks the YAML structure, every PromQL expression and every label and annotation template; errors name file, line and column."
    )

    @Argument(help: "Rule files to check.")
    var files: [String]

    func run() async throws {
        var failed = false
        for file in files {
            print("Checking \(file)")
            let check = RuleCommands.check(file: file)
            if check.passed {
                let rules = check.recordingRules + check.alertingRules
                print("  SUCCESS: \(rules) rules found (\(check.recordingRules) recording, \(check.alertingRules) alerting)")
            } else {
                failed = true
                print("  FAILED:")
                for problem in check.problems { printError(problem) }
            }
            print("")
        }
        if failed { throw ExitCode.failure }
    }
}
