/// The life of one alert instance (one label set of one alerting rule), as Prometheus runs it.
/// Persisted as part of `ALERTS{alertstate=…}`, hence the explicit raw values.
public enum AlertState: String, Sendable, Hashable {
    case inactive
    case pending
    case firing
}

/// One alert instance's state, advanced by `step` once per rule evaluation. Pure: the clock
/// value comes in as an argument, so tests and restarts drive it without waiting.
public struct AlertInstance: Sendable, Hashable {
    public private(set) var state: AlertState = .inactive
    /// When the expression first returned this instance in the current episode.
    public private(set) var activeSince: Duration?
    /// The last evaluation at which the expression returned this instance.
    public private(set) var lastSeenActive: Duration?
    public private(set) var firedAt: Duration?
    public private(set) var resolvedAt: Duration?
    /// The first evaluation at which a firing alert was no longer returned; `keep_firing_for`
    /// counts from here, as in Prometheus.
    public private(set) var keepFiringSince: Duration?

    public init() {}

    /// Restores an instance that was pending or firing before a restart, so `for` keeps
    /// counting from the original start instead of starting over.
    public init(restoringActiveSince activeSince: Duration) {
        self.state = .pending
        self.activeSince = activeSince
        self.lastSeenActive = activeSince
    }

    /// Restores an instance whose `for` had already run out before a restart: firing at once,
    /// since the end of its `for`, so that the restart shows no pending gap (a notifier would
    /// otherwise see the alert vanish and come back) and its start stays what it was.
    public init(restoringActiveSince activeSince: Duration, firedAt: Duration, lastSeenActive: Duration) {
        self.state = .firing
        self.activeSince = activeSince
        self.firedAt = firedAt
        self.lastSeenActive = lastSeenActive
    }

    /// Restores an instance that was firing before a restart and that the expression no
    /// longer returns: it keeps firing for what is left of `keep_firing_for`, counted from
    /// `keepFiringSince` (the last evaluation before the restart, the latest the expression can
    /// have stopped), instead of resolving at once.
    public init(restoringKeepFiringSince keepFiringSince: Duration, activeSince: Duration, firedAt: Duration) {
        self.state = .firing
        self.activeSince = activeSince
        self.firedAt = firedAt
        self.lastSeenActive = keepFiringSince
        self.keepFiringSince = keepFiringSince
    }

    /// Advances the instance to the evaluation at `now` (time since any fixed epoch).
    /// - Parameters:
    ///   - isActive: whether the rule's expression returned this label set now.
    ///   - holdFor: the rule's `for`; zero fires at once.
    ///   - keepFiringFor: the rule's `keep_firing_for`: how long a firing alert stays firing
    ///     after the expression stopped returning it.
    public mutating func step(isActive: Bool, now: Duration, holdFor: Duration, keepFiringFor: Duration = .zero) {
        if isActive {
            lastSeenActive = now
            resolvedAt = nil
            keepFiringSince = nil
            if state == .inactive {
                state = .pending
                activeSince = now
                firedAt = nil
            }
            if state == .pending, let activeSince, now - activeSince >= holdFor {
                state = .firing
                firedAt = now
            }
            return
        }
        switch state {
        case .inactive:
            return
        case .pending:
            // A pending alert that goes away was never sent: it simply ends.
            self = AlertInstance()
        case .firing:
            if keepFiringFor > .zero {
                let since = keepFiringSince ?? now
                keepFiringSince = since
                if now - since < keepFiringFor { return }
            }
            state = .inactive
            activeSince = nil
            keepFiringSince = nil
            resolvedAt = now
        }
    }
}
