import CSystemd

/// Talks to systemd through `sd_notify`: readiness, reloads, stopping and watchdog pings for
/// a `Type=notify` unit. Without `NOTIFY_SOCKET` (not under systemd) every call is a no-op.
public struct SystemdNotifier: Sendable {
    public init() {}

    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    public func reloading() { send("RELOADING=1\nMONOTONIC_USEC=\(UnixTime.monotonicMicroseconds())") }
    public func stopping() { send("STOPPING=1") }
    public func watchdogPing() { send("WATCHDOG=1") }
    public func status(_ text: String) { send("STATUS=\(text)") }

    /// How often to ping: half the unit's `WatchdogSec=`, or nil when no watchdog is set for us.
    public func watchdogInterval() -> Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(microseconds / 2))
    }

    private func send(_ state: String) {
        _ = sd_notify(0, state)
    }

}
