import MetricStore

/// `label_replace` and `label_join` on one series' labels. Setting a label to the empty string
/// removes it, as everywhere in Prometheus.
enum LabelFunctions {
    /// Matches `regex` against the whole value of `source` (a missing label is the empty
    /// string); on a match, sets `destination` to `replacement` with `$1`, `${1}`, `$name`
    /// expanded. Without a match the labels come back unchanged.
    static func labelReplace(
        _ labels: Labels, destination: String, replacement: String, source: String, regex: String
    ) throws(LabelFunctionError) -> Labels {
        let compiled = try LabelReplaceRegex(regex)
        return try labelReplace(labels, destination: destination, replacement: replacement, source: source, regex: compiled)
    }

    /// As above with a regex compiled once for the call site.
    static func labelReplace(
        _ labels: Labels, destination: String, replacement: String, source: String, regex: LabelReplaceRegex
    ) throws(LabelFunctionError) -> Labels {
        guard isValidLabelName(destination) else {
            throw .invalidDestinationLabel(function: "label_replace", name: destination)
        }
        guard let value = regex.replace(labels[source] ?? "", with: replacement) else { return labels }
        return setting(destination, to: value, in: labels)
    }

    /// Sets `destination` to the values of `sources` joined by `separator`; a missing source
    /// counts as the empty string. With no sources the destination is removed.
    static func labelJoin(
        _ labels: Labels, destination: String, separator: String, sources: [String]
    ) throws(LabelFunctionError) -> Labels {
        for source in sources where !isValidLabelName(source) {
            throw .invalidSourceLabel(function: "label_join", name: source)
        }
        guard isValidLabelName(destination) else {
            throw .invalidDestinationLabel(function: "label_join", name: destination)
        }
        let value = sources.map { labels[$0] ?? "" }.joined(separator: separator)
        return setting(destination, to: value, in: labels)
    }

    /// Prometheus 3 accepts any non-empty UTF-8 label name here (`model.UTF8Validation`);
    /// a Swift string is always valid UTF-8, so only the empty name is refused.
    static func isValidLabelName(_ name: String) -> Bool {
        !name.isEmpty
    }

    private static func setting(_ name: String, to value: String, in labels: Labels) -> Labels {
        value.isEmpty ? labels.removing(name) : labels.adding(name, value)
    }
}

/// Why a label function call is refused; the messages are Prometheus'.
enum LabelFunctionError: Error, Equatable, CustomStringConvertible {
    case invalidRegex(function: String, pattern: String)
    case invalidDestinationLabel(function: String, name: String)
    case invalidSourceLabel(function: String, name: String)

    var description: String {
        switch self {
        case let .invalidRegex(function, pattern):
            "invalid regular expression in \(function)(): \(pattern)"
        case let .invalidDestinationLabel(function, name):
            "invalid destination label name in \(function)(): \(name)"
        case let .invalidSourceLabel(function, name):
            "invalid source label name in \(function)(): \(name)"
        }
    }
}
