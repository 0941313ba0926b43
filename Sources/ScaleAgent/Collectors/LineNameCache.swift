import NIOConcurrencyHelpers

/// What each line of a `name value` kernel file becomes, worked out once per name.
///
/// /proc/vmstat, /proc/meminfo and /proc/net/snmp6 list the same names in the same order for
/// as long as the kernel runs. A collection compares each name with the one cached at its
/// position, instead of matching the field selection, checking and spelling a metric name and
/// help for each of some two hundred lines, every time.
final class LineNameCache<Metric: Sendable>: Sendable {
    private let entries = NIOLockedValueBox<[(name: String, metric: Metric?)]>([])

    /// The names with their metrics (nil: the line is not reported), in order. `make` runs for
    /// every name, with its position, when any differs from the cached list.
    func metrics<Failure: Error>(
        for names: [Substring], make: (_ position: Int, _ name: Substring) throws(Failure) -> Metric?
    ) throws(Failure) -> [(name: String, metric: Metric?)] {
        let cached = entries.withLockedValue { $0 }
        if cached.count == names.count && zip(cached, names).allSatisfy({ $0.name == $1 }) { return cached }
        var fresh: [(name: String, metric: Metric?)] = []
        fresh.reserveCapacity(names.count)
        for (position, name) in names.enumerated() { fresh.append((String(name), try make(position, name))) }
        entries.withLockedValue { [fresh] in $0 = fresh }
        return fresh
    }
}
