/// An alert seen in the window: from the `ALERTS` series (pending or firing at some step) or
/// from the agent's current `/api/v1/alerts`. Its labels carry the rule pack's `stage`,
/// `severity` and `signature`.
struct AdviseAlert: Sendable, Equatable {
    var name: String
    var labels: [String: String]
    /// Unix milliseconds: when it was first and last seen active (nil where unknown).
    var firstSeen: Int64?
    var lastSeen: Int64?
    /// Whether it reached firing, not only pending.
    var fired: Bool
    var summary: String?

    var stage: String? { labels["stage"] }
    var severity: String? { labels["severity"] }
    var signature: String? { labels["signature"] }

    /// The labels that say where (`server`, `unit`, `mountpoint`, …), without the rule pack's own.
    var whereLabels: [String: String] {
        labels.filter { !["alertname", "alertstate", "stage", "severity", "signature", "instance"].contains($0.key) }
    }

    /// One entry per alert name and `where`: the earliest first sighting, the latest last one,
    /// fired if any did.
    static func merged(_ alerts: [AdviseAlert]) -> [AdviseAlert] {
        var merged: [AdviseAlert] = []
        for alert in alerts {
            if let index = merged.firstIndex(where: { $0.name == alert.name && $0.whereLabels == alert.whereLabels }) {
                var existing = merged[index]
                existing.firstSeen = [existing.firstSeen, alert.firstSeen].compactMap { $0 }.min()
                existing.lastSeen = [existing.lastSeen, alert.lastSeen].compactMap { $0 }.max()
                existing.fired = existing.fired || alert.fired
                existing.summary = existing.summary ?? alert.summary
                merged[index] = existing
            } else {
                merged.append(alert)
            }
        }
        return merged
    }
}
