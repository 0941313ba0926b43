/// Stages 2 and 5: the access log and connections to upstreams.
extension SignatureReaders {
    /// More than 5% of a virtual host's requests answered 5xx for 5 minutes or more; mostly
    /// 504s is an upstream that did not answer in time (stage 5), other errors stage 2.
    func requestErrors() -> [AdviseFinding] {
        signals.errorRatio.compactMap { errors -> AdviseFinding? in
            let above = errors.trend.duration(atOrAbove: 0.05, step: window.step)
            guard above >= 300_000, let from = errors.trend.firstReaching(0.05, rising: true) else { return nil }
            let vhost = errors.labels["vhost"].map { " on \($0)" } ?? ""
            let peak = errors.trend.maximum
            var story =
                "\(AdviseWording.percent(peak.value)) of the requests\(vhost) got a 5xx answer at \(at(peak.timestamp)), above 5% for \(AdviseWording.span(seconds: Double(above) / 1000)) from \(at(from.timestamp))"
            var numbers = ["error_ratio_peak": peak.value, "error_seconds": Double(above) / 1000]
            let timeouts = signals.timeoutRatio.first { $0.labels["vhost"] == errors.labels["vhost"] }?.trend.maximum.value ?? 0
            let slowUpstream = timeouts >= peak.value / 2
            if slowUpstream {
                story += "; most were 504s (\(AdviseWording.percent(timeouts)) of the requests): an upstream did not answer in time"
                numbers["timeout_ratio_peak"] = timeouts
            }
            return finding(
                slowUpstream ? "5-cache-cdn" : "2-database-split", .critical, slowUpstream ? "slow_upstream" : "request_errors",
                anchor: slowUpstream ? "HTTPUpstreamTimeouts" : "HTTPErrorRatioHigh", story, numbers)
        }
    }

    /// A virtual host's 95th percentile of request time above 1 s for 10 minutes or more.
    func requestLatency() -> [AdviseFinding] {
        signals.latencyP95.compactMap { latency -> AdviseFinding? in
            let slow = latency.trend.duration(atOrAbove: 1, step: window.step)
            guard slow >= 600_000, let from = latency.trend.firstReaching(1, rising: true) else { return nil }
            let vhost = latency.labels["vhost"].map { " on \($0)" } ?? ""
            let peak = latency.trend.maximum
            return finding(
                "2-database-split", .warning, "request_latency", anchor: "HTTPRequestLatencyHigh",
                "one request in twenty\(vhost) took longer than 1 s for \(AdviseWording.span(seconds: Double(slow) / 1000)) from \(at(from.timestamp)); the 95th percentile peaked at \(AdviseWording.number((peak.value * 10).rounded() / 10)) s at \(at(peak.timestamp))",
                ["latency_p95_peak_seconds": peak.value, "latency_slow_seconds": Double(slow) / 1000])
        }
    }

    /// Established connections to one endpoint at least 20 and three times their usual number
    /// (the window's median): the workers are parked on a slow upstream.
    func upstreamPileUp() -> [AdviseFinding] {
        signals.upstreamConnections.compactMap { connections -> AdviseFinding? in
            let values = connections.trend.points.map(\.value).sorted()
            let usual = values[values.count / 2]
            let peak = connections.trend.maximum
            guard peak.value >= 20, peak.value >= 3 * max(usual, 1) else { return nil }
            let remote = connections.labels["remote"] ?? "one endpoint"
            return finding(
                "5-cache-cdn", .warning, "upstream_pileup", anchor: "UpstreamConnectionsPilingUp",
                "connections to \(remote) piled up from a usual \(AdviseWording.number(usual)) to \(AdviseWording.number(peak.value)) at \(at(peak.timestamp)): workers were waiting on it",
                ["upstream_connections_peak": peak.value, "upstream_connections_usual": usual])
        }
    }
}
