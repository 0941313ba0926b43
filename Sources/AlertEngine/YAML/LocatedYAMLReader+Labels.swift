import MetricStore
import Yams

extension LocatedYAMLReader {
    public enum NameKind: Sendable {
        /// A label a rule or a test sets; `__name__` is refused, a rule cannot rename its
        /// series that way.
        case label
        /// A label added to series from outside (`external_labels`, a target's labels).
        case externalLabel
        case annotation

        var word: String { self == .annotation ? "annotation" : "label" }
    }

    /// A mapping of names to string values (labels, annotations). Bad names are reported at
    /// their key and left out.
    public func labels(_ node: Node, _ what: String, names kind: NameKind) -> Labels? {
        if dialect == .prometheus && isNull(node) { return .empty }
        guard case .mapping(let mapping) = node else {
            report(at: node, "\(what) must be a mapping of names to values, got \(describe(node))")
            return nil
        }
        var pairs: [Label] = []
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let key) = keyNode else {
                report(at: keyNode, "\(kind.word) names in \(what) must be plain names, got \(describe(keyNode))")
                continue
            }
            let name = key.string
            if !PrometheusNames.isValidLabelName(name) {
                report(at: keyNode, "invalid \(kind.word) name \"\(name)\" in \(what): \(PrometheusNames.labelNameRule)")
            } else if kind == .label && name == Label.metricName {
                report(at: keyNode, "\(what) cannot set \(Label.metricName), the metric name")
            } else if let value = string(valueNode, "the value of \(kind.word) \"\(name)\"") {
                pairs.append(Label(name, value))
            }
        }
        return Labels(pairs)
    }
}
