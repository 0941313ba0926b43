import ArgumentParser
import ScaleAgent

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "One-shot checks of this host's monitoring and PostgreSQL setup: PASS, WARN or FAIL with what to change.",
        discussion: "Reads --config, else \(DataDirectoryResolution.installedConfigFile) if it exists, else the defaults. Exits 1 when any check fails. See docs/doctor.md."
    )

    @Option(name: .long, help: "The agent's config file.")
    var config: String?

    @Option(name: .long, help: "text (default) or json.")
    var output: OutputFormat = .text

    @Option(name: .long, help: "Seconds each check group may take before it is reported as hung.")
    var timeout: Double = 10

    enum OutputFormat: String, ExpressibleByArgument {
        case text, json
    }

    func validate() throws {
        guard timeout > 0, timeout <= 600 else { throw ValidationError("--timeout must be between 0 and 600 seconds") }
    }

    func run() async throws {
        let agentConfig: AgentConfig
        do {
            agentConfig = try DoctorRunner.loadConfig(file: config)
        } catch {
            printError("FAILED: \(error)")
            throw ExitCode.failure
        }
        let checks = await DoctorRunner(config: agentConfig, checkTimeout: .milliseconds(Int64(timeout * 1000))).run()
        print(output == .json ? DoctorReport.json(checks) : DoctorReport.text(checks), terminator: "")
        let status = DoctorReport.exitStatus(checks)
        if status != 0 { throw ExitCode(status) }
    }
}
