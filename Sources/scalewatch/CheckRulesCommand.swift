import AlertEngine
import ArgumentParser

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
            do {
                let groups = try RuleCompiler.load(paths: [file], defaultInterval: 60_000)
                let rules = groups.reduce(0) { $0 + $1.rules.count }
                print("  SUCCESS: \(rules) rules found (\(groups.reduce(0) { $0 + $1.recordingRuleCount }) recording, \(groups.reduce(0) { $0 + $1.alertingRuleCount }) alerting)")
            } catch {
                failed = true
                print("  FAILED:")
                for problem in error.errors { printError(problem.description) }
            }
            print("")
        }
        if failed { throw ExitCode.failure }
    }
}
