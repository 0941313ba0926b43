/// CPU time per process group as a counter that only grows, although its processes come and
/// go: the sum of the live processes' CPU times would drop whenever one exits. Each collection
/// adds to a group what each of its processes used since the previous collection (a process
/// seen before, identified by pid and start time) or since it started (a process new since
/// then, or every process at the first collection). What a process used between the last
/// collection and its exit is not seen: short-lived processes are undercounted by up to one
/// interval each, never overcounted.
///
/// A group with no live process is forgotten, so the state is bounded by the host's groups of
/// the moment; if it comes back its counter starts again from zero, which `rate()` reads as a
/// counter reset.
struct ProcessGroupCPU {
    struct Sample {
        var pid: Int
        var startTicks: UInt64
        var cpuTicks: UInt64
        var key: ProcessGroup.Key
    }

    private var previous: [Int: (startTicks: UInt64, cpuTicks: UInt64)] = [:]
    /// Clock ticks per group since the group was first seen.
    private(set) var totals: [ProcessGroup.Key: UInt64] = [:]

    mutating func update(_ samples: [Sample]) {
        var current: [Int: (startTicks: UInt64, cpuTicks: UInt64)] = [:]
        current.reserveCapacity(samples.count)
        var live: [ProcessGroup.Key: UInt64] = [:]
        for sample in samples {
            var used = sample.cpuTicks
            if let before = previous[sample.pid], before.startTicks == sample.startTicks {
                used = sample.cpuTicks >= before.cpuTicks ? sample.cpuTicks - before.cpuTicks : 0
            }
            current[sample.pid] = (sample.startTicks, sample.cpuTicks)
            live[sample.key, default: totals[sample.key] ?? 0] &+= used
        }
        previous = current
        totals = live
    }
}
