import AlertEngine
import Logging
import MetricStore
import NIOPosix

/// Delivers alert notifications: a service of the agent that reads the rule scheduler's
/// alerts, routes and groups them (`NotificationDispatcher`), records each decision in its
/// durable outbox before sending it, and delivers with retries.
///
/// One loop decides (about once a second, sooner when a group is due) and persists; deliveries
/// run as child tasks, at most one per notification at a time. A delivered notification leaves
/// the outbox at the loop's next pass: a crash in between sends it again after the restart,
/// under the same `Idempotency-Key`. File writes (and their fsyncs) run on a thread of their
/// own, never on the concurrency pool.
public final class Notifier: Sendable {
    private struct State {
        var configuration: NotifierConfiguration
        var dispatcher: NotificationDispatcher?
        /// The notification log while there is no route (none configured, or a reload removed
        /// it), so that neither a save nor a later route forgets what receivers were told.
        var parkedLog = NotificationLog()
        /// What was last pushed to the configured Alertmanagers, and when.
        var push: AlertmanagerPush
        var damper: FlapDamper
        var queue: [QueuedNotification] = []
        /// Notifications being delivered, by id, with their integration's key.
        var inFlight: [String: String] = [:]
        /// The log or queue changed since the last save.
        var dirty = false
    }

    private let state: Locked<State>
    private let outbox: NotificationOutbox
    private let alerts: @Sendable () -> [AlertSnapshot]
    /// Consulted at every decision: a silenced alert is not notified.
    private let silences: SilenceStore?
    private let logger: Logger
    private let sender = WebhookSender()
    private let metrics = NotifierMetrics()
    private let io = NIOThreadPool(numberOfThreads: 1)
    private let retry: RetryPolicy
    private let now: @Sendable () -> Int64
    /// How often the loop looks at the alerts when no group is due earlier.
    private let tick: Int64

    init(
        configuration: NotifierConfiguration, dataDirectory: String, alerts: @escaping @Sendable () -> [AlertSnapshot],
        logger: Logger, retry: RetryPolicy = RetryPolicy(), tick: Int64 = 1000,
        now: @escaping @Sendable () -> Int64 = { UnixTime.nowMilliseconds() }, silences: SilenceStore? = nil
    ) {
        state = Locked(
            State(configuration: configuration, push: AlertmanagerPush(
                resendDelay: configuration.alerting.resendDelay.milliseconds, evaluationInterval: configuration.evaluationInterval),
                damper: FlapDamper(
                    maxChanges: configuration.alerting.flapMaxChanges, window: configuration.alerting.flapWindow.milliseconds)))
        outbox = NotificationOutbox(directory: dataDirectory)
        self.alerts = alerts
        self.silences = silences
        self.logger = logger
        self.retry = retry
        self.tick = tick
        self.now = now
        io.start()
    }

    /// Loads the outbox and log left by the last run; a damaged file is set aside (renamed
    /// `.corrupt`) and reported, and the notifier starts empty rather than not at all.
    func open() {
        var log = NotificationLog()
        var queue: [QueuedNotification] = []
        do {
            let discarded: Int
            (log, queue, discarded) = try outbox.load()
            if discarded > 0 {
                logger.warning(
                    "the notification journal ended in a torn write, discarded (a save cut short by a crash)",
                    metadata: ["path": "\(outbox.journalPath)", "bytes": "\(discarded)"])
            }
            if !queue.isEmpty {
                logger.info("notifications left from the last run will be delivered", metadata: ["queued": "\(queue.count)"])
            }
        } catch {
            logger.error(
                "notification state unreadable; starting without it (it may send a notification twice)",
                metadata: ["error": "\(error)"])
        }
        state.withLock { state in
            state.queue = queue
            state.parkedLog = log
            state.dispatcher = Self.dispatcher(for: state.configuration, log: log)
            metrics.queue(length: queue.count, capacity: state.configuration.alerting.queueCapacity)
        }
    }

    /// A reload: new routes and receivers; groups, their timers and queued notifications stay.
    func apply(_ configuration: NotifierConfiguration) {
        state.withLock { state in
            guard state.configuration != configuration else { return }
            state.configuration = configuration
            state.push.resendDelay = configuration.alerting.resendDelay.milliseconds
            state.push.evaluationInterval = configuration.evaluationInterval
            state.damper.maxChanges = configuration.alerting.flapMaxChanges
            state.damper.window = configuration.alerting.flapWindow.milliseconds
            guard let route = configuration.route else {
                if let log = state.dispatcher?.log { state.parkedLog = log }
                state.dispatcher = nil
                return
            }
            if state.dispatcher == nil {
                state.dispatcher = Self.dispatcher(for: configuration, log: state.parkedLog)
            } else {
                state.dispatcher!.reconfigure(
                    route: route, inhibitRules: configuration.alerting.inhibitRules,
                    receivers: configuration.alerting.integrations, externalURL: configuration.externalURL)
            }
        }
    }

    private static func dispatcher(for configuration: NotifierConfiguration, log: NotificationLog) -> NotificationDispatcher? {
        guard let route = configuration.route else { return nil }
        return NotificationDispatcher(
            route: route, inhibitRules: configuration.alerting.inhibitRules, receivers: configuration.alerting.integrations,
            externalURL: configuration.externalURL, log: log)
    }

    /// Runs until cancelled.
    func run() async {
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let current = now()
                let pushed = decide(at: current)
                await saveIfChanged()
                for (endpoint, body) in pushed {
                    group.addTask { await self.push(body, to: endpoint) }
                }
                for item in claimDue(at: current) {
                    group.addTask { await self.deliver(item) }
                }
                // The next group flush or retry; a notification already due but held back by
                // its integration's in-flight bound waits for the next tick.
                let later = now()
                let wake = state.withLock { state in
                    ([state.dispatcher?.nextFlush].compactMap { $0 } + state.queue.map(\.nextAttemptAt)).filter { $0 > current }.min()
                }
                let wait = max(10, min((wake ?? .max) - later, tick))
                try? await Task.sleep(for: .milliseconds(wait))
            }
        }
    }

    /// Saves the outbox whole, as a new snapshot (deliveries cut short by the stop stay in
    /// it), and releases the clients.
    func stop() async {
        state.withLock { $0.dirty = true }
        await saveIfChanged(compacting: true)
        await sender.shutdown()
        try? await io.shutdownGracefully()
    }

    /// The alerts a receiver could be told about now (firing, and resolved for a while), with
    /// their receivers and what suppresses them: what `/api/v2/alerts` lists.
    func listedAlerts(at now: Int64) -> [(alert: NotificationAlert, receivers: [String], suppression: AlertSuppression)] {
        let snapshot = alerts()
        let silences = self.silences?.current ?? Silences()
        return state.withLock { state in
            let configuration = state.configuration
            let converted = snapshot.compactMap {
                NotificationAlert($0, externalLabels: configuration.externalLabels, externalURL: configuration.externalURL)
            }.sorted(by: NotificationAlert.notificationOrder)
            let suppressions = AlertSuppression.of(
                converted, silences: silences, inhibitRules: configuration.alerting.inhibitRules, now: now)
            return zip(converted, suppressions).map { alert, suppression in
                let receivers = state.dispatcher?.route.match(alert.labels).map(\.receiver) ?? []
                return (alert, receivers, suppression)
            }
        }
    }

    /// Routes the current alerts and queues what is due; returns what goes to Alertmanagers now.
    @discardableResult
    func decide(at now: Int64) -> [(WebhookSettings, String)] {
        let snapshot = alerts()
        let silences = self.silences?.current ?? Silences()
        return state.withLock { state in
            let configuration = state.configuration
            let converted = state.damper.apply(
                snapshot.compactMap {
                    NotificationAlert($0, externalLabels: configuration.externalLabels, externalURL: configuration.externalURL)
                }, now: now)
            var pushes: [(WebhookSettings, String)] = []
            if !configuration.alerting.alertmanagers.isEmpty {
                let due = state.push.due(converted, now: now)
                // Prometheus' batch size.
                for start in stride(from: 0, to: due.count, by: 256) {
                    let body = AlertmanagerPush.body(Array(due[start..<min(start + 256, due.count)]))
                    for endpoint in configuration.alerting.alertmanagers.flatMap(\.endpoints) { pushes.append((endpoint, body)) }
                }
            }
            guard state.dispatcher != nil else { return pushes }
            state.dispatcher!.silences = silences
            state.dispatcher!.ingest(converted, now: now)
            let decided = state.dispatcher!.flush(now: now)
            guard !decided.isEmpty else { return pushes }
            state.queue += decided.map(QueuedNotification.init)
            state.dirty = true
            let capacity = configuration.alerting.queueCapacity
            var dropped = 0
            while state.queue.count > capacity, let index = state.queue.firstIndex(where: { state.inFlight[$0.id] == nil }) {
                let item = state.queue.remove(at: index)
                dropped += 1
                logger.error(
                    "notification outbox full; dropped the oldest notification",
                    metadata: ["receiver": "\(item.notification.receiver)", "group_key": "\(item.notification.groupKey)"])
            }
            metrics.dropped(dropped)
            metrics.queue(length: state.queue.count, capacity: capacity)
            return pushes
        }
    }

    /// One batch to one Alertmanager. Not retried, as in Prometheus: a firing alert is sent
    /// again after the resend delay, and Alertmanager keeps it until its `endsAt`.
    private func push(_ body: String, to endpoint: WebhookSettings) async {
        let started = ContinuousClock.now
        let (outcome, detail) = await sender.send(body: body, idempotencyKey: nil, to: endpoint)
        metrics.attempted(
            receiver: endpoint.url, integration: "alertmanager", outcome: outcome,
            latency: (ContinuousClock.now - started).seconds, at: Double(now()) / 1000)
        if outcome != .delivered {
            logger.warning(
                "sending alerts to Alertmanager failed; they are sent again after the resend delay",
                metadata: ["alertmanager": "\(endpoint.url)", "error": "\(detail ?? "")"])
        }
    }

    /// Writes the log and outbox when they changed, on the I/O thread: what changed, appended
    /// to the journal, or with `compacting` the whole state as a new snapshot.
    func saveIfChanged(compacting: Bool = false) async {
        let snapshot: (NotificationLog, [QueuedNotification])? = state.withLock { state in
            guard state.dirty else { return nil }
            state.dirty = false
            return (state.dispatcher?.log ?? state.parkedLog, state.queue)
        }
        guard let (log, queue) = snapshot else { return }
        let outbox = self.outbox
        do {
            try await io.runIfActive {
                if compacting {
                    try outbox.compact(log: log, queue: queue)
                } else {
                    try outbox.save(log: log, queue: queue)
                }
            }
        } catch {
            state.withLock { $0.dirty = true }
            logger.error("cannot save the notification outbox; retrying", metadata: ["error": "\(error)"])
        }
    }

    /// What to attempt now, marked in flight; with `integration`, at most one of that
    /// integration's.
    private func claimDue(at now: Int64, integration: String? = nil) -> [QueuedNotification] {
        state.withLock { state in
            // Oldest first, a few at a time per integration: a receiver that is down or slow gets
            // neither the whole backlog at once nor a connection per queued notification. Within
            // a group only the oldest is ever attempted: a receiver back from an outage gets a
            // group's firing and resolved notifications in the order they were decided, never a
            // newer one overtaking an older one that is backing off.
            var busy: [String: Int] = [:]
            for key in state.inFlight.values { busy[key, default: 0] += 1 }
            var groupsAhead: Set<String> = []
            var due: [QueuedNotification] = []
            for item in state.queue {
                guard groupsAhead.insert(Self.groupKey(item.notification)).inserted,
                    state.inFlight[item.id] == nil, item.nextAttemptAt <= now
                else { continue }
                let key = Self.integrationKey(item.notification)
                guard integration == nil || key == integration,
                    busy[key, default: 0] < Self.maxInFlightPerIntegration
                else { continue }
                busy[key, default: 0] += 1
                state.inFlight[item.id] = key
                due.append(item)
                if integration != nil { break }
            }
            return due
        }
    }

    /// Attempts the notification, then, while its receiver keeps answering, the next one due
    /// for the same integration: a receiver back from an outage gets its backlog as fast as it
    /// answers (up to `maxInFlightPerIntegration` at once), not a few per pass of the loop.
    private func deliver(_ first: QueuedNotification) async {
        let integration = Self.integrationKey(first.notification)
        var next: QueuedNotification? = first
        while let item = next {
            let answered = await attempt(item)
            next = answered && !Task.isCancelled ? claimDue(at: now(), integration: integration).first : nil
        }
    }

    /// One attempt; false when it is to be retried (the receiver did not take it).
    private func attempt(_ item: QueuedNotification) async -> Bool {
        let notification = item.notification
        let webhook = state.withLock { $0.configuration.alerting.webhook(receiver: notification.receiver, index: notification.integration) }
        guard let webhook else {
            finish(item, removing: true)
            logger.warning(
                "notification dropped: its receiver is no longer configured",
                metadata: ["receiver": "\(notification.receiver)", "group_key": "\(notification.groupKey)"])
            return true
        }
        let started = ContinuousClock.now
        let (outcome, detail) = await sender.send(body: notification.body, idempotencyKey: item.id, to: webhook)
        let latency = (ContinuousClock.now - started).seconds
        metrics.attempted(
            receiver: notification.receiver, integration: "webhook", outcome: outcome, latency: latency,
            at: Double(now()) / 1000)
        switch outcome {
        case .delivered:
            finish(item, removing: true)
            for alert in notification.alerts {
                logger.info(
                    alert.resolved ? "alert resolved, notification delivered" : "alert firing, notification delivered",
                    metadata: [
                        "receiver": "\(notification.receiver)", "labels": "\(Self.text(alert.labels))",
                        "attempts": "\(item.attempts + 1)",
                    ])
            }
            return true
        case .retryable(_, let retryAfter):
            if Task.isCancelled {
                finish(item, removing: false)
                return false
            }
            let delay = retry.delay(afterAttempts: item.attempts + 1, retryAfter: retryAfter, unit: Double.random(in: 0..<1))
            finish(item, removing: false) { queued in
                queued.attempts += 1
                queued.nextAttemptAt = self.now() + delay.milliseconds
            }
            logger.warning(
                "notification delivery failed; retrying",
                metadata: [
                    "receiver": "\(notification.receiver)", "group_key": "\(notification.groupKey)", "error": "\(detail ?? "")",
                    "attempt": "\(item.attempts + 1)", "retry_in": "\(delay)",
                ])
            return false
        case .refused:
            finish(item, removing: true)
            for alert in notification.alerts {
                logger.error(
                    "alert notification refused by its receiver; not retried",
                    metadata: [
                        "receiver": "\(notification.receiver)", "labels": "\(Self.text(alert.labels))",
                        "status": "\(alert.resolved ? "resolved" : "firing")", "error": "\(detail ?? "")",
                    ])
            }
            return true
        }
    }

    private func finish(_ item: QueuedNotification, removing: Bool, update: ((inout QueuedNotification) -> Void)? = nil) {
        state.withLock { state in
            state.inFlight[item.id] = nil
            guard let index = state.queue.firstIndex(where: { $0.id == item.id }) else { return }
            if removing {
                state.queue.remove(at: index)
            } else {
                update?(&state.queue[index])
            }
            state.dirty = true
            metrics.queue(length: state.queue.count, capacity: state.configuration.alerting.queueCapacity)
        }
    }

    static let maxInFlightPerIntegration = 4

    private static func integrationKey(_ notification: Notification) -> String {
        "\(notification.receiver)\u{0}\(notification.integration)"
    }

    /// One aggregation group as one integration of one receiver sees it.
    private static func groupKey(_ notification: Notification) -> String {
        "\(notification.receiver)\u{0}\(notification.integration)\u{0}\(notification.groupKey)"
    }

    func report(into metrics: inout MetricsBuilder) {
        self.metrics.report(into: &metrics)
    }

    /// `{alertname="X", instance="h"}`, for log lines.
    static func text(_ labels: Labels) -> String {
        "{" + labels.pairs.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ", ") + "}"
    }
}
