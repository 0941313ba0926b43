import AlertEngine

/// The `alerting:` section of `agent.yml`: where alerts go once they fire, in the shapes of
/// `alertmanager.yml` (route, receivers, inhibit_rules) so that an operator can paste theirs.
/// Without a `route` nothing is delivered directly.
public struct AlertingSettings: Sendable, Equatable {
    /// The agent's URL as people reach it, for `generatorURL` and `externalURL`; empty: built
    /// from the host name and the listen port.
    public var externalURL = ""
    public var route: RouteSpec?
    public var receivers: [ReceiverSettings] = []
    public var inhibitRules: [InhibitRule] = []
    /// Real Alertmanagers that get every firing and resolved alert (`POST /api/v2/alerts`).
    public var alertmanagers: [AlertmanagerSettings] = []
    /// How often a firing alert is sent to them again (Prometheus' `--rules.alert.resend-delay`).
    public var resendDelay: Duration = .seconds(60)
    /// An alert that changes state more than this many times within `flapWindow` is held
    /// firing and marked `flapping` until it is stable for the window; 0 turns this off.
    public var flapMaxChanges = 4
    public var flapWindow: Duration = .seconds(1800)
    /// Notifications waiting for delivery, at most; beyond it the oldest is dropped (counted).
    public var queueCapacity = 10_000

    public init() {}

    /// What the dispatcher needs of the receivers.
    var integrations: [String: [ReceiverIntegration]] {
        Dictionary(
            receivers.map { receiver in
                (receiver.name, receiver.webhooks.enumerated().map {
                    ReceiverIntegration(index: $0.offset, sendResolved: $0.element.sendResolved, maxAlerts: $0.element.maxAlerts)
                })
            }, uniquingKeysWith: { first, _ in first })
    }

    func webhook(receiver: String, index: Int) -> WebhookSettings? {
        guard let receiver = receivers.first(where: { $0.name == receiver }), receiver.webhooks.indices.contains(index) else {
            return nil
        }
        return receiver.webhooks[index]
    }
}

/// One entry of `receivers:`.
public struct ReceiverSettings: Sendable, Equatable {
    public var name: String
    public var webhooks: [WebhookSettings] = []

    public init(name: String) {
        self.name = name
    }
}

/// One entry of a receiver's `webhook_configs:`.
public struct WebhookSettings: Sendable, Equatable {
    public var url: String
    /// Alertmanager's default: resolved notifications are sent.
    public var sendResolved = true
    public var maxAlerts = 0
    public var http = HTTPClientSettings()
    /// Per attempt; Alertmanager's webhook has none by default, which lets one hung receiver
    /// hold a notification forever.
    public var timeout: Duration = .seconds(10)

    public init(url: String) {
        self.url = url
    }
}
