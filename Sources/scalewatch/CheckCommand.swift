import ArgumentParser
import ScaleAgent

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate configuration files without running anything.",
        subcommands: [CheckConfig.self, CheckRules.self, CheckWebConfig.self]
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
                let config = try ConfigLoader.load(file: file)
                let groups = try AgentRuleFiles.load(config.rules, configFile: file)
                let rules = groups.reduce(0) { $0 + $1.rules.count }
                print("SUCCESS: \(file) is valid" + (config.rules.files.isEmpty ? "" : " (\(groups.count) rule groups, \(rules) rules)"))
            } catch {
                failed = true
                printError("FAILED: \(error)")
            }
        }
        if failed { throw ExitCode.failure }
    }
}

struct CheckWebConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web-config",
        abstract: "Validate web config files (TLS, basic auth, headers) the way `scalewatch agent --web.config.file` reads them."
    )

    @Argument(help: "Web config files to check.")
    var files: [String]

    func run() async throws {
        var failed = false
        for file in files {
            switch WebConfigCheck.check(file: file) {
            case .success(let line):
                print(line)
            case .failure(let error):
                failed = true
                printError("FAILED: \(error)")
            }
        }
        if failed { throw ExitCode.failure }
    }
}
