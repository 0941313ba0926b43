import AlertEngine
import Foundation
import MetricStore

/// One place `scalewatch advise` reads: a running agent over its Prometheus API, or a store
/// (a data directory opened read-only, or an open store in tests). Both answer the same range
/// queries; only an agent has the current alerts (`/api/v1/alerts`, pending ones included) and
/// the recent events its log readers keep in memory (`/api/v1/events`).
public struct AdviseSource: Sendable {
    public enum Location: Sendable, Equatable {
        case agent(url: String)
        case dataDirectory(String)
    }

    /// The host as the report names it: the agent's URL without its scheme, or what the caller
    /// chose for a store.
    public let name: String
    public let location: Location
    private let store: Store?
    private let ownsStore: Bool

    /// An agent's base URL.
    public static func agent(url: String) -> AdviseSource {
        var trimmed = url
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        let name = trimmed.replacingOccurrences(of: "http://", with: "").replacingOccurrences(of: "https://", with: "")
        return AdviseSource(name: name, location: .agent(url: trimmed), store: nil, ownsStore: false)
    }

    /// A data directory, opened read-only now; `close()` releases it.
    public static func dataDirectory(_ path: String, name: String? = nil) throws -> AdviseSource {
        let store = try Store.openReadOnly(path)
        return AdviseSource(name: name ?? path, location: .dataDirectory(path), store: store, ownsStore: true)
    }

    /// A store the caller keeps open (and closes).
    public static func store(_ store: Store, name: String) -> AdviseSource {
        AdviseSource(name: name, location: .dataDirectory(name), store: store, ownsStore: false)
    }

    public func close() {
        if ownsStore { store?.close() }
    }

    /// `expr` over the window, at its step.
    func range(_ expr: String, _ window: AdviseWindow) async throws -> [RangeSeries] {
        if let store {
            let parsed = try PromQLParser.parse(expr)
            return try QueryEngine(source: store, defaultSubqueryStep: window.step).rangeQuery(
                parsed, start: window.start, end: window.end, step: window.step)
        }
        guard case .agent(let url) = location else { return [] }
        let data = try await AgentClient(baseURL: url, timeout: .seconds(30)).data(
            "/api/v1/query_range",
            [("query", expr), ("start", JSONWriter.unixSeconds(milliseconds: window.start)),
             ("end", JSONWriter.unixSeconds(milliseconds: window.end)), ("step", JSONWriter.unixSeconds(milliseconds: window.step))])
        return try PrometheusAnswer.rangeSeries(data)
    }

    /// The agent's pending and firing alerts now; none for a store (its `ALERTS` series are read
    /// over the window instead).
    func currentAlerts() async throws -> [AdviseAlert] {
        guard case .agent(let url) = location else { return [] }
        let data = try await AgentClient(baseURL: url, timeout: .seconds(30)).data("/api/v1/alerts", [])
        guard let object = data as? [String: Any], let alerts = object["alerts"] as? [[String: Any]] else {
            throw AgentClient.Failure(description: "\(url)/api/v1/alerts: the answer has no alerts array")
        }
        return alerts.compactMap { alert in
            guard let labels = alert["labels"] as? [String: String], let name = labels["alertname"] else { return nil }
            let annotations = alert["annotations"] as? [String: String] ?? [:]
            let activeAt = (alert["activeAt"] as? String).flatMap { try? PrometheusTimestamp.milliseconds(parsing: $0) }
            let firing = alert["state"] as? String == "firing"
            return AdviseAlert(
                name: name, labels: labels, firstSeen: activeAt, lastSeen: nil, fired: firing, summary: annotations["summary"])
        }
    }

    /// The agent's recent notable events (OOM victims, unit failures, PostgreSQL fatal errors);
    /// none for a store, which keeps only their counters.
    func events() async throws -> [AdviseEvent] {
        guard case .agent(let url) = location else { return [] }
        let data = try await AgentClient(baseURL: url, timeout: .seconds(30)).data("/api/v1/events", [])
        guard let events = data as? [[String: Any]] else {
            throw AgentClient.Failure(description: "\(url)/api/v1/events: the answer is not an array of events")
        }
        return events.compactMap { event in
            guard let time = (event["time"] as? String).flatMap({ try? PrometheusTimestamp.milliseconds(parsing: $0) }),
                let kind = event["kind"] as? String
            else { return nil }
            return AdviseEvent(
                time: time, kind: kind, summary: event["summary"] as? String ?? "", details: event["details"] as? [String: String] ?? [:])
        }
    }
}
