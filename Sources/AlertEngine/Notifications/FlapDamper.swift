import MetricStore

/// Holds a flapping alert firing. An alert whose firing state changed more than `maxChanges`
/// times within `window` (firing → resolved → firing …, a pending or vanished alert counting
/// as not firing) is reported firing, with the annotation `flapping: "true"`, until it has
/// not changed for a whole window; then it is reported as it really is (resolved, if it no
/// longer fires). Routing downstream sees one firing alert and notifies it once, instead of a
/// notification per flap. Neither Alertmanager nor Prometheus has this; it is issue 11's answer
/// to accept-queue and disk alarms that drown their receivers. Pure: the time is an argument.
public struct FlapDamper: Sendable {
    public var maxChanges: Int
    /// Milliseconds.
    public var window: Int64

    private struct Track {
        var firing: Bool
        var changes: [Int64] = []
        var held: NotificationAlert?
    }

    private var tracks: [AlertFingerprint: Track] = [:]

    /// `maxChanges` 0 turns damping off.
    public init(maxChanges: Int, window: Int64) {
        self.maxChanges = maxChanges
        self.window = window
    }

    /// How many alerts are held firing now.
    public var heldCount: Int { tracks.values.filter { $0.held != nil }.count }

    /// The alerts as routing should see them at `now`.
    public mutating func apply(_ alerts: [NotificationAlert], now: Int64) -> [NotificationAlert] {
        guard maxChanges > 0 else {
            tracks = [:]
            return alerts
        }
        var output: [NotificationAlert] = []
        output.reserveCapacity(alerts.count)
        var seen: Set<AlertFingerprint> = []
        for alert in alerts {
            seen.insert(alert.fingerprint)
            let firing = alert.endsAt == nil
            var track = tracks[alert.fingerprint] ?? Track(firing: firing)
            if track.firing != firing {
                track.firing = firing
                track.changes.append(now)
            }
            output.append(step(&track, current: alert, now: now) ?? alert)
            tracks[alert.fingerprint] = track
        }
        for (fingerprint, var track) in tracks where !seen.contains(fingerprint) {
            if track.firing {
                track.firing = false
                track.changes.append(now)
            }
            if let held = track.held {
                if let still = step(&track, current: nil, now: now) {
                    output.append(still)
                } else {
                    // Stable and gone: its resolution, once.
                    var resolved = held
                    resolved.endsAt = now
                    output.append(resolved)
                }
            } else {
                track.changes.removeAll { $0 <= now - window }
            }
            tracks[fingerprint] = track.held == nil && track.changes.isEmpty ? nil : track
        }
        return output
    }

    /// The held form of the alert, or nil when it is not (or no longer) held.
    private func step(_ track: inout Track, current: NotificationAlert?, now: Int64) -> NotificationAlert? {
        track.changes.removeAll { $0 <= now - window }
        if track.held == nil, track.changes.count > maxChanges, let current {
            var held = current
            held.endsAt = nil
            held.annotations = held.annotations.adding("flapping", "true")
            track.held = held
        }
        guard var held = track.held else { return nil }
        if track.changes.isEmpty {
            track.held = nil
            return nil
        }
        if let current, current.endsAt == nil {
            // Fresh annotations while it fires, the episode's start kept.
            let startsAt = held.startsAt
            held = current
            held.startsAt = startsAt
            held.annotations = held.annotations.adding("flapping", "true")
            track.held = held
        }
        return held
    }
}
