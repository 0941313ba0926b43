/// Stage 3: CPU saturation and listen-queue overflows.
extension SignatureReaders {
    /// Busy above 90% for at least 10 minutes of the window.
    func cpuSaturation() -> [AdviseFinding] {
        guard let busy = signals.cpuBusy else { return [] }
        let saturated = busy.duration(atOrAbove: 0.9, step: window.step)
        guard saturated >= 600_000, let from = busy.firstReaching(0.9, rising: true) else { return [] }
        var story =
            "CPU was over 90% busy for \(AdviseWording.span(seconds: Double(saturated) / 1000)) from \(at(from.timestamp)) (peak \(AdviseWording.percent(busy.maximum.value)) at \(at(busy.maximum.timestamp)))"
        var numbers = ["cpu_busy_peak": busy.maximum.value, "cpu_saturated_seconds": Double(saturated) / 1000]
        if let load = signals.loadPerCore, load.maximum.value >= 1 {
            story += "; the run queue reached \(AdviseWording.number((load.maximum.value * 10).rounded() / 10)) per core"
            numbers["load_per_core_peak"] = load.maximum.value
        }
        return [finding("3-monitoring", .warning, "cpu_saturation", anchor: "HostCPUSaturated", story, numbers)]
    }

    /// Connections dropped because an accept queue was full.
    func listenOverflows() -> [AdviseFinding] {
        guard let overflows = signals.listenOverflows, overflows.amount >= 100 else { return [] }
        return [
            finding(
                "3-monitoring", .warning, "listen_overflow", anchor: "HostListenQueueOverflows",
                "the kernel dropped \(AdviseWording.number(overflows.amount)) incoming connections because a listen queue was full, the first at \(at(overflows.firstAt)): the application did not accept them fast enough",
                ["listen_overflows": overflows.amount])
        ]
    }
}
