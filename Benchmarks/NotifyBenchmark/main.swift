import AlertEngine
import MetricStore

#if canImport(Glibc)
import Glibc
#endif

// notify-benchmark [DIR]
//   Issue 11's notification-pipeline target: 10,000 alert state changes (5,000 alerts start
//   firing, then all 5,000 resolve) through flap damping, routing into 100 groups (group_by
//   alertname, a critical sub-route with continue), the notification log and the webhook
//   bodies, and the outbox written durably after each round (AtomicFile in DIR, default /tmp):
//   the CPU and wall time of each stage.
let directory = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "/tmp"
let outbox = AtomicFile(path: directory + "/notify-benchmark.outbox")

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

let alerts = (0..<5_000).map { index in
    NotificationAlert(
        labels: Labels([
            "alertname": "Signature\(index % 100)", "instance": "host-\(index / 100)", "severity": index % 7 == 0 ? "critical" : "warning",
            "stage": "\(index % 7 + 1)", "job": "node",
        ]),
        annotations: Labels(["summary": "signature \(index % 100) on host-\(index / 100)", "runbook_url": "http://h/runbooks/x"]),
        startsAt: 1_000, endsAt: nil, generatorURL: "http://h:9470/graph?g0.expr=up&g0.tab=1")
}
let resolved = alerts.map { alert -> NotificationAlert in
    var copy = alert
    copy.endsAt = 100_000
    return copy
}
let route = NotificationRoute(
    root: RouteSpec(
        receiver: "ops", grouping: .labels(["alertname"]), groupWait: 0, groupInterval: 1_000,
        routes: [RouteSpec(receiver: "pager", matchers: try AlertmanagerMatchers.parse(#"severity="critical""#), continues: true)]))
var dispatcher = NotificationDispatcher(
    route: route, receivers: ["ops": [ReceiverIntegration(index: 0)], "pager": [ReceiverIntegration(index: 0)]],
    externalURL: "http://h:9470")
var damper = FlapDamper(maxChanges: 4, window: 1_800_000)

var notifications = 0
var bytes = 0
let wallStart = ContinuousClock.now
let cpuStart = cpuSeconds()
var fsyncTime = Duration.zero
for (round, input) in [alerts, resolved].enumerated() {
    let now = Int64(round + 1) * 100_000
    dispatcher.ingest(damper.apply(input, now: now), now: now)
    let decided = dispatcher.flush(now: now)
    notifications += decided.count
    var outboxBytes: [UInt8] = []
    for notification in decided { outboxBytes += Array(notification.body.utf8) }
    bytes += outboxBytes.count
    let writeStart = ContinuousClock.now
    try outbox.write(outboxBytes)
    fsyncTime += ContinuousClock.now - writeStart
}
let wall = ContinuousClock.now - wallStart
let cpu = cpuSeconds() - cpuStart
print("10000 state changes → \(notifications) notifications, \(bytes / 1024) KiB of payloads")
print("wall \(wall), cpu \(String(Int(cpu * 1000))) ms, of which the two durable outbox writes \(fsyncTime)")
