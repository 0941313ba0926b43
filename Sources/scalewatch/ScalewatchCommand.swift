import ArgumentParser
import ScaleAgent

@main
struct ScalewatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scalewatch",
        abstract: "A per-host observability agent that recognises the signatures of a system outgrowing its architecture.",
        version: ScaleAgentVersion.current,
        subcommands: [
            AgentCommand.self, AlertsCommand.self, SilenceCommand.self, QueryCommand.self, SeriesCommand.self, LabelsCommand.self, TopCommand.self, CheckCommand.self, TestCommand.self, ImportCommand.self, ExportCommand.self,
            TSDBCommand.self, DoctorCommand.self, AdviseCommand.self,
        ]
    )
}
