/// A group as the evaluator runs it: rules in file order, all evaluated at the same instant
/// every `interval` milliseconds.
public struct CompiledRuleGroup: Sendable {
    public let file: String
    public let name: String
    public let interval: Int64
    /// 0 means no limit.
    public let limit: Int
    public let queryOffset: Int64
    /// Settable so that the agent can leave out the alerts its config disables.
    public var rules: [CompiledRule]

    public var recordingRuleCount: Int { rules.filter { $0.kind == .recording }.count }
    public var alertingRuleCount: Int { rules.filter { $0.kind == .alerting }.count }
}
