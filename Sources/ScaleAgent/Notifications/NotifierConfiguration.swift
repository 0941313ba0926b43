import AlertEngine
import MetricStore

#if canImport(Glibc)
import Glibc
#endif

/// What the notifier takes from the agent's config, with the defaults that depend on the host
/// filled in: alerts carry `instance: <hostname>` unless `external_labels` says otherwise, and
/// the external URL is the agent's own address under the host name.
struct NotifierConfiguration: Sendable, Equatable {
    var alerting: AlertingSettings
    var externalLabels: Labels
    var externalURL: String
    /// Milliseconds; for the `endsAt` of alerts pushed to Alertmanagers.
    var evaluationInterval: Int64

    init(_ config: AgentConfig, hostname: String = Self.hostname()) {
        alerting = config.alerting
        evaluationInterval = config.rules.evaluationInterval.milliseconds
        var labels = config.rules.externalLabels
        if labels["instance"] == nil { labels["instance"] = hostname }
        externalLabels = Labels(labels.map { Label($0.key, $0.value) })
        externalURL = config.alerting.externalURL.isEmpty
            ? "http://\(hostname):\(config.listenAddress.port)" : config.alerting.externalURL
    }

    /// What rule templates see: the same labels and URL the notifications carry, so that a
    /// `runbook_url` of `{{ $externalURL }}/runbooks/X` points at this agent.
    var templateContext: TemplateContext { TemplateContext(externalLabels: externalLabels, externalURL: externalURL) }

    var route: NotificationRoute? { alerting.route.map { NotificationRoute(root: $0) } }

    /// Whether anything is delivered at all.
    var delivers: Bool { alerting.route != nil || !alerting.alertmanagers.isEmpty }

    static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
