/// The few numbers that show how far a quiet host is from its limits: CPU peak, the least
/// memory available, the connections' peak of their limit, the fullest file system.
public struct HostHeadroom: Sendable, Equatable {
    public var host: String
    /// By name: `cpu_busy_peak`, `memory_available_min_bytes`, `memory_available_min_ratio`,
    /// `connection_use_peak`, `connections_peak`, `max_connections`, `filesystem_used_max_ratio`.
    public var numbers: [String: Double]
    /// "CPU peak 45%, memory available never below 2.1 GiB (52%), …".
    public var text: String

    init(_ signals: HostSignals) {
        host = signals.host
        var numbers: [String: Double] = [:]
        var parts: [String] = []
        if let busy = signals.cpuBusy {
            numbers["cpu_busy_peak"] = busy.maximum.value
            parts.append("CPU peak \(AdviseWording.percent(busy.maximum.value))")
        }
        if let memory = signals.memoryAvailable {
            numbers["memory_available_min_bytes"] = memory.minimum.value
            var text = "memory available never below \(AdviseWording.bytes(memory.minimum.value))"
            if let total = signals.memoryTotal, total > 0 {
                numbers["memory_available_min_ratio"] = memory.minimum.value / total
                text += " (\(AdviseWording.percent(memory.minimum.value / total)))"
            }
            parts.append(text)
        }
        if let use = signals.connectionUse.max(by: { $0.trend.maximum.value < $1.trend.maximum.value }) {
            numbers["connection_use_peak"] = use.trend.maximum.value
            let clients = signals.clientBackends.first { $0.labels["server"] == use.labels["server"] }?.trend.maximum.value
            let max = signals.maxConnections.first { $0.labels["server"] == use.labels["server"] }?.trend.last.value
            if let clients, let max {
                numbers["connections_peak"] = clients
                numbers["max_connections"] = max
                parts.append("connections peaked at \(AdviseWording.number(clients)) of max_connections \(AdviseWording.number(max))")
            } else {
                parts.append("connections peaked at \(AdviseWording.percent(use.trend.maximum.value)) of the limit")
            }
        }
        let used = signals.filesystemAvailable.compactMap { available -> (String, Double)? in
            guard let size = signals.filesystemSize.first(where: { $0.labels["mountpoint"] == available.labels["mountpoint"] })?.trend.last.value,
                size > 0
            else { return nil }
            return (available.labels["mountpoint"] ?? "?", 1 - available.trend.last.value / size)
        }.max { $0.1 < $1.1 }
        if let (mountpoint, ratio) = used {
            numbers["filesystem_used_max_ratio"] = ratio
            parts.append("fullest file system \(mountpoint) \(AdviseWording.percent(ratio)) used")
        }
        self.numbers = numbers
        text = parts.isEmpty ? "no host metrics in the window" : parts.joined(separator: ", ")
    }
}
