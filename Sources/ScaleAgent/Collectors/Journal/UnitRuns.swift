/// Each service's last start and last result as the journal told them: what a timer's
/// metrics are made of. Bounded: past `limit` services, new ones are not tracked (a host has
/// tens of timers; the limit only stops a journal of transient units from growing it).
struct UnitRuns: Sendable, Equatable {
    struct Run: Sendable, Equatable {
        var lastStart: Double?
        /// `success` or systemd's UNIT_RESULT (exit-code, signal, core-dump, timeout, oom-kill, …).
        var lastResult: String?
    }

    let limit: Int
    private(set) var services: [String: Run] = [:]

    init(limit: Int = 1_000) {
        self.limit = limit
    }

    mutating func record(_ message: UnitRunMessage, time: Double) {
        let unit: String
        switch message {
        case .starting(let name), .succeeded(let name), .failed(let name, _): unit = name
        }
        guard unit.hasSuffix(".service"), services[unit] != nil || services.count < limit else { return }
        var run = services[unit] ?? Run()
        switch message {
        case .starting: run.lastStart = time
        case .succeeded: run.lastResult = "success"
        case .failed(_, let result): run.lastResult = result
        }
        services[unit] = run
    }
}
