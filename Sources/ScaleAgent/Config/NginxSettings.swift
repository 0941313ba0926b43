import MetricStore
import Yams

/// Options of the `nginx` collector (`collectors.nginx` in agent.yml).
public struct NginxSettings: Sendable, Equatable {
    /// nginx's stub_status page, e.g. `http://127.0.0.1:8080/stub_status`; none by default.
    public var stubStatusURL: HTTPURL? = nil

    public init() {}

    static let optionKeys = ["stub_status_url"]

    static func parse(
        _ key: String, _ node: Node, _ qualified: String, _ reader: YAMLReader, into settings: inout NginxSettings
    ) throws(ConfigError) {
        switch key {
        case "stub_status_url":
            let text = try reader.string(node, qualified)
            switch HTTPURL.parse(text) {
            case .success(let url): settings.stubStatusURL = url
            case .failure(let problem): throw reader.error(at: node, "\(qualified) \(problem), got '\(EchoedValue(text))'")
            }
        default:
            preconditionFailure("BUG: option \(qualified) allowed but not handled")
        }
    }
}
