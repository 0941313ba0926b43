/// A source of host metrics. `collect` is synchronous and may block on the file system or a
/// system call, so the runner calls it on a dedicated thread, never on the Swift concurrency
/// pool, with a deadline. A collector throws when it cannot report what it promises; the
/// runner turns that into `scalewatch_collector_success{collector} 0` and a log line.
public protocol Collector: Sendable {
    /// The `collector` label value and the key under `collectors:` in the config.
    var name: String { get }

    func collect(into metrics: inout MetricsBuilder) throws
}
