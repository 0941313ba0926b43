/// systemd-oomd's line when it kills a whole cgroup (src/oom/oomd-manager.c). It acts on
/// units, not processes, so the victim is the cgroup path and the unit at its end:
///
///     Killed /system.slice/app.service due to memory pressure for /system.slice being 62.47% > 50.00% for > 20s with reclaim activity
///     Killed /user.slice/…/app.scope due to memory used (…) / total (…) and swap used (…) / total (…) being more than 90.00%
///     Killed /user.slice/…/app.scope due to swap used (…) / total (…) being more than 90.00%      (systemd 247)
///     Marked /system.slice/app.service for killing due to memory pressure for …                  (systemd 256+, with pre-kill hooks)
///
/// "Considered N cgroups for killing, top candidates were:" is a survey, not a kill. The
/// manager's own follow-up, `app.service: systemd-oomd killed N process(es) in this unit.`, and
/// the unit's `Failed with result 'oom-kill'` describe the same kill and are not counted again
/// as kills.
struct OomdKillMessage: Equatable, Sendable {
    var cgroup: String
    var reason: Reason

    enum Reason: String, Sendable {
        case memoryPressure = "memory pressure"
        case swap = "swap"
    }

    /// The unit (or slice) that was killed: the last component of the cgroup path.
    var unit: String {
        cgroup.split(separator: "/").last.map(String.init) ?? cgroup
    }

    static func parse(_ message: String) -> OomdKillMessage? {
        let text = message[...]
        let pathStart: Substring
        let separator: String
        if LogText.hasPrefix(text, "Killed /") {
            pathStart = text.dropFirst("Killed ".count)
            separator = " due to "
        } else if LogText.hasPrefix(text, "Marked /") {
            pathStart = text.dropFirst("Marked ".count)
            separator = " for killing due to "
        } else {
            return nil
        }
        guard let stop = LogText.find(separator, in: pathStart) else { return nil }
        let cgroup = pathStart[..<stop.lowerBound]
        let cause = pathStart[stop.upperBound...]
        let reason: Reason
        if LogText.hasPrefix(cause, "memory pressure") {
            reason = .memoryPressure
        } else if LogText.hasPrefix(cause, "memory used") || LogText.hasPrefix(cause, "swap used") {
            reason = .swap
        } else {
            return nil
        }
        return OomdKillMessage(cgroup: String(cgroup), reason: reason)
    }
}
