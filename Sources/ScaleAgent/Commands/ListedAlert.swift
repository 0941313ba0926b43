import AlertEngine
import Foundation
import MetricStore

/// One alert as `scalewatch alerts` shows it: from the agent's `/api/v1/alerts` (pending and
/// firing), with what its `/api/v2/alerts` says holds it back (silences, inhibition).
public struct ListedAlert: Sendable, Equatable {
    public var labels: [String: String]
    public var annotations: [String: String]
    /// `pending` or `firing`, as the rule engine has it.
    public var state: String
    /// Unix milliseconds; nil if the agent gave none.
    public var activeAt: Int64?
    public var silencedBy: [String]
    public var inhibitedBy: [String]

    /// What the table's STATE column says: suppression wins over firing.
    public var displayState: String {
        if !silencedBy.isEmpty { return "silenced" }
        if !inhibitedBy.isEmpty { return "inhibited" }
        return state
    }

    public struct BadAnswer: Error, CustomStringConvertible {
        public let description: String
    }

    /// Joins the two answers' bodies: an alert of the rule engine takes the status of the
    /// notified alert whose labels include all of its own (those carry the external labels too).
    public static func parse(rulesAlerts: [UInt8], notifiedAlerts: [UInt8]) throws(BadAnswer) -> [ListedAlert] {
        let v1: V1Answer
        let v2: [V2Alert]
        do {
            v1 = try JSONDecoder().decode(V1Answer.self, from: Data(rulesAlerts))
        } catch {
            throw BadAnswer(description: "the agent's /api/v1/alerts answer is not Prometheus' JSON: \(error)")
        }
        do {
            v2 = try JSONDecoder().decode([V2Alert].self, from: Data(notifiedAlerts))
        } catch {
            throw BadAnswer(description: "the agent's /api/v2/alerts answer is not Alertmanager's JSON: \(error)")
        }
        return v1.data.alerts.map { alert in
            let status = v2.first { notified in alert.labels.allSatisfy { notified.labels[$0.key] == $0.value } }?.status
            return ListedAlert(
                labels: alert.labels, annotations: alert.annotations, state: alert.state,
                activeAt: alert.activeAt.flatMap { try? PrometheusTimestamp.milliseconds(parsing: $0) },
                silencedBy: status?.silencedBy ?? [], inhibitedBy: status?.inhibitedBy ?? [])
        }
        .sorted { ($0.activeAt ?? 0, $0.labels["alertname"] ?? "") < ($1.activeAt ?? 0, $1.labels["alertname"] ?? "") }
    }

    private struct V1Answer: Decodable {
        struct Data: Decodable { var alerts: [V1Alert] }
        var data: Data
    }

    private struct V1Alert: Decodable {
        var labels: [String: String]
        var annotations: [String: String]
        var state: String
        var activeAt: String?
    }

    private struct V2Alert: Decodable {
        struct Status: Decodable {
            var silencedBy: [String]
            var inhibitedBy: [String]
        }
        var labels: [String: String]
        var status: Status
    }
}
