import AlertEngine
import MetricStore
import Yams

/// The config's view of `LocatedYAMLReader`: the same checks and messages as rule files,
/// in the agent's dialect. A read throws the mistakes it found; the loader goes on with the
/// next setting and reports them all together (`entries(_:in:allowed:collecting:)`).
struct YAMLReader {
    let located: LocatedYAMLReader

    init(file: String, text: String) {
        located = LocatedYAMLReader(file: file, text: text, dialect: .agent)
    }

    func error(at node: Node?, _ message: String) -> ConfigError {
        ConfigError(located.error(at: node, message))
    }

    /// The value `read` returned, or the mistakes it reported (earlier ones were thrown
    /// by the reads that found them).
    private func checked<Value>(_ read: () -> Value?) throws(ConfigError) -> Value {
        let before = located.errors.count
        let value = read()
        if located.errors.count > before { throw ConfigError(Array(located.errors[before...])) }
        guard let value else { preconditionFailure("BUG: a YAML read refused a value without reporting why") }
        return value
    }

    /// The parsed text; an empty document is nil.
    func compose() throws(ConfigError) -> Node? {
        let root = located.compose()
        if !located.errors.isEmpty { throw ConfigError(located.errors) }
        return root
    }

    /// The mapping's entries in file order, for a section whose settings are read one by one:
    /// unknown and repeated keys are added to `problems` rather than thrown, so the known
    /// keys are still read and checked. Only a node that is not a mapping throws.
    func entries(
        _ node: Node, in section: String, allowed: [String], collecting problems: inout [LocatedError]
    ) throws(ConfigError) -> [LocatedYAMLReader.Entry] {
        let before = located.errors.count
        let entries = located.mapping(node, in: section, allowed: allowed)
        let found = Array(located.errors[before...])
        guard let entries else { throw ConfigError(found) }
        problems.append(contentsOf: found)
        return entries
    }

    /// The mapping's entries in file order; refuses keys not in `allowed` and repeated keys.
    func mapping(_ node: Node, in section: String, allowed: [String]) throws(ConfigError) -> [LocatedYAMLReader.Entry] {
        try checked { located.mapping(node, in: section, allowed: allowed) }
    }

    func string(_ node: Node, _ key: String) throws(ConfigError) -> String {
        try checked { located.string(node, key) }
    }

    /// A list of strings (`[a, b]` or one item per line).
    func strings(_ node: Node, _ key: String) throws(ConfigError) -> [String] {
        try checked { located.strings(node, key) }
    }

    /// A list's items.
    func list(_ node: Node, _ key: String, of items: String) throws(ConfigError) -> [Node] {
        try checked { located.list(node, key, of: items) }
    }

    func bool(_ node: Node, _ key: String) throws(ConfigError) -> Bool {
        try checked { located.bool(node, key) }
    }

    func integer(_ node: Node, _ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        try checked { located.integer(node, key, in: range) }
    }

    /// A duration in Prometheus' syntax, within `range`. Every duration setting has an upper
    /// bound: a timeout or interval of centuries is a typo, and near Int64 nanoseconds it
    /// overflows the clocks and locks that use it.
    func duration(_ node: Node, _ key: String, in range: ClosedRange<Duration>) throws(ConfigError) -> Duration {
        .milliseconds(try checked { located.duration(node, key, in: range.lowerBound.milliseconds...range.upperBound.milliseconds) })
    }

    /// A mapping of label names to string values, e.g. `external_labels: {cluster: prod}`.
    func stringMap(_ node: Node, _ key: String) throws(ConfigError) -> [String: String] {
        let labels = try checked { located.labels(node, key, names: .externalLabel) }
        return Dictionary(labels.pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
    }

    func pattern(_ node: Node, _ key: String) throws(ConfigError) -> Pattern {
        let text = try string(node, key)
        do {
            return try Pattern(text)
        } catch {
            throw self.error(at: node, "\(key) must be a valid regular expression: \(error)")
        }
    }

    func describe(_ node: Node) -> String {
        located.describe(node)
    }

    static func isLabelName(_ name: String) -> Bool {
        PrometheusNames.isValidLabelName(name)
    }
}
