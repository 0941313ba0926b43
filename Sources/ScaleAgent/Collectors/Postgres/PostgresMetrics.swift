import MetricStore

/// A `MetricsBuilder` that puts one target's labels (`server` and the configured extra labels)
/// on every sample, so that the mappings only name the labels of their own rows.
struct PostgresMetrics {
    private var builder = MetricsBuilder()
    let targetLabels: [Label]

    init(targetLabels: [Label]) {
        self.targetLabels = targetLabels
    }

    init(target: PostgresTarget) {
        self.init(targetLabels: Self.labels(of: target))
    }

    static func labels(of target: PostgresTarget) -> [Label] {
        [Label("server", target.serverLabel)] + target.labels.sorted { $0.key < $1.key }.map { Label($0.key, $0.value) }
    }

    mutating func gauge(_ name: String, _ help: String, _ value: Double, _ labels: [(String, String)] = []) {
        add(name, help, .gauge, value, labels)
    }

    mutating func counter(_ name: String, _ help: String, _ value: Double, _ labels: [(String, String)] = []) {
        add(name, help, .counter, value, labels)
    }

    mutating func add(_ name: String, _ help: String, _ type: MetricType, _ value: Double, _ labels: [(String, String)]) {
        builder.add(name, help, type, value, labels: Labels(targetLabels + labels.map { Label($0.0, $0.1) }))
    }

    func build() -> [MetricFamily] { builder.build() }
}
