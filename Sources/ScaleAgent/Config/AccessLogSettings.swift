import AlertEngine
import MetricStore
import Yams

/// Options of the `access_logs` collector (`collectors.access_logs`): nginx and HAProxy access
/// logs to turn into request counts, sizes and latency histograms.
///
///     access_logs:
///       sources:
///         - files: [/var/log/nginx/access.log]
///           format: combined_timed          # a preset, or a pattern with $variables
///           vhost: $host                    # or a fixed name; none by default
///         - files: [/var/log/haproxy.log]
///           format: haproxy                 # namespace haproxy by default
public struct AccessLogSettings: Sendable, Equatable {
    public var sources: [AccessLogSource] = []

    public init() {}

    static let optionKeys = ["sources"]

    static func parse(
        _ key: String, _ node: Node, _ qualified: String, _ reader: YAMLReader, into settings: inout AccessLogSettings
    ) throws(ConfigError) {
        switch key {
        case "sources":
            var sources: [AccessLogSource] = []
            for (index, item) in try reader.list(node, qualified, of: "sources").enumerated() {
                sources.append(try AccessLogSource.parse(item, "\(qualified)[\(index)]", reader))
            }
            settings.sources = sources
        default: preconditionFailure("BUG: option \(qualified) allowed but not handled")
        }
    }
}

/// One access-log source: which files, their format and how their series are labelled.
public struct AccessLogSource: Sendable, Equatable {
    public var files: [String]
    /// The format as configured (a preset name or a pattern).
    public var formatText: String
    var format: AccessLogFormat
    /// JSON key renames (variable name → key), for `format: json`.
    public var jsonFields: [String: String] = [:]
    /// The metric name prefix: `nginx`, `haproxy` for the haproxy preset.
    public var namespace: String
    /// The `vhost` label: fixed, or from a variable of the format.
    public var vhost: VhostLabel?
    public var maxVhosts = 20
    public var maxUpstreams = 20
    public var buckets = AccessLogTally.defaultBuckets

    public enum VhostLabel: Sendable, Equatable {
        case fixed(String)
        case variable(String)
    }

    static let keys = ["files", "format", "json_fields", "namespace", "vhost", "max_vhosts", "max_upstreams", "buckets"]

    static func parse(_ node: Node, _ section: String, _ reader: YAMLReader) throws(ConfigError) -> AccessLogSource {
        var files: [String]?
        var formatNode: Node?
        var formatText = "combined"
        var jsonFields: [String: String] = [:]
        var namespace: String?
        var vhostNode: Node?
        var source = AccessLogSource(files: [], formatText: "", format: AccessLogFormat.preset("combined")!, namespace: "nginx")
        for (key, _, value) in try reader.mapping(node, in: section, allowed: keys) {
            let qualified = "\(section).\(key)"
            switch key {
            case "files":
                files = try reader.logPathList(value, qualified, globs: true)
                if files?.isEmpty == true { throw reader.error(at: value, "\(qualified) must list at least one file") }
            case "format":
                formatText = try reader.string(value, qualified)
                formatNode = value
            case "json_fields":
                jsonFields = try reader.stringMap(value, qualified)
            case "namespace":
                let text = try reader.string(value, qualified)
                guard PrometheusNames.isValidMetricName(text), !text.contains(":") else {
                    throw reader.error(at: value, "\(qualified) must be a metric name prefix such as nginx, got '\(EchoedValue(text))'")
                }
                namespace = text
            case "vhost":
                vhostNode = value
            case "max_vhosts":
                source.maxVhosts = try reader.integer(value, qualified, in: 1...10_000)
            case "max_upstreams":
                source.maxUpstreams = try reader.integer(value, qualified, in: 1...10_000)
            case "buckets":
                source.buckets = try parseBuckets(value, qualified, reader)
            default:
                preconditionFailure("BUG: option \(qualified) allowed but not handled")
            }
        }
        guard let files else { throw reader.error(at: node, "\(section) needs files: the access logs to read") }
        source.files = files
        source.formatText = formatText
        if let preset = AccessLogFormat.preset(formatText, jsonKeys: jsonFields) {
            source.format = preset
        } else if formatText.contains("$") {
            do {
                source.format = try AccessLogFormat.compile(formatText)
            } catch {
                throw reader.error(at: formatNode, "\(section).format: \(error)")
            }
        } else {
            throw reader.error(
                at: formatNode,
                "\(section).format must be one of \(AccessLogFormat.presetNames.joined(separator: ", ")) or a pattern with $variables, got '\(EchoedValue(formatText))'"
            )
        }
        if !jsonFields.isEmpty, formatText != "json" {
            throw reader.error(at: node, "\(section).json_fields applies to format: json only")
        }
        source.jsonFields = jsonFields
        source.namespace = namespace ?? (formatText == "haproxy" ? "haproxy" : "nginx")
        if let vhostNode {
            let text = try reader.string(vhostNode, "\(section).vhost")
            if text.hasPrefix("$") {
                var name = String(text.dropFirst())
                if name.hasPrefix("{"), name.hasSuffix("}") { name = String(name.dropFirst().dropLast()) }
                let known = source.format.variables
                guard known.contains(name) || (formatText == "json" && !name.isEmpty) else {
                    throw reader.error(
                        at: vhostNode, "\(section).vhost: the format has no variable $\(name) (it has \(known.map { "$" + $0 }.joined(separator: " ")))")
                }
                if formatText == "json", jsonFields[name] == nil, !known.contains(name) {
                    source.format = AccessLogFormat.json(keys: jsonFields.merging([name: name]) { $1 })
                }
                source.vhost = .variable(name)
            } else {
                guard !text.isEmpty else { throw reader.error(at: vhostNode, "\(section).vhost must not be empty") }
                source.vhost = .fixed(text)
            }
        }
        return source
    }

    private static func parseBuckets(_ node: Node, _ key: String, _ reader: YAMLReader) throws(ConfigError) -> [Double] {
        var bounds: [Double] = []
        for item in try reader.list(node, key, of: "bucket bounds") {
            let text = try reader.string(item, key)
            guard let bound = Double(text), bound.isFinite, bound > 0 else {
                throw reader.error(at: item, "\(key) must hold positive numbers of seconds, got '\(EchoedValue(text))'")
            }
            if let last = bounds.last, bound <= last {
                throw reader.error(at: item, "\(key) must be in ascending order: \(text) follows \(last)")
            }
            bounds.append(bound)
        }
        guard !bounds.isEmpty, bounds.count <= 100 else { throw reader.error(at: node, "\(key) must hold 1 to 100 bounds") }
        return bounds
    }
}
