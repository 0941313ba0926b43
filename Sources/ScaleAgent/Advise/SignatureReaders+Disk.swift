/// Stage 1: file systems filling.
extension SignatureReaders {
    /// A file system under 5% free, or one whose trend fills it within a week.
    func filesystems() -> [AdviseFinding] {
        signals.filesystemAvailable.compactMap { available -> AdviseFinding? in
            let mountpoint = available.labels["mountpoint"] ?? "?"
            guard let size = signals.filesystemSize.first(where: { $0.labels["mountpoint"] == available.labels["mountpoint"] })?.trend.last.value,
                size > 0
            else { return nil }
            let now = available.trend.last.value
            // A trend needs an hour of history to be more than noise.
            let eta = available.trend.last.timestamp - available.trend.first.timestamp >= 3_600_000
                ? available.trend.secondsUntil(0, rising: false) : nil
            let filling = eta.map { $0 > 0 && $0 <= 7 * 86400 } ?? false
            guard now / size < 0.05 || filling else { return nil }
            var story = "the file system \(mountpoint) has \(AdviseWording.bytes(now)) free (\(AdviseWording.percent(now / size)) of \(AdviseWording.bytes(size)))"
            if available.trend.first.value > now * 1.05 {
                story += ", down from \(AdviseWording.bytes(available.trend.first.value)) at \(at(available.trend.first.timestamp))"
            }
            let forecast = eta.map {
                AdviseForecast(
                    metric: "node_filesystem_avail_bytes{mountpoint=\"\(mountpoint)\"}", threshold: 0, etaSeconds: $0,
                    text: "the file system \(mountpoint) fills \(AdviseWording.eta(seconds: $0)) at this rate")
            }
            return finding(
                "1-single-server", now / size < 0.05 ? .critical : .warning, "filesystem_filling",
                anchor: now / size < 0.05 ? "HostFilesystemAlmostFull" : "HostFilesystemFillingUp", story,
                ["filesystem_available_bytes": now, "filesystem_size_bytes": size], forecast: forecast)
        }
    }
}
