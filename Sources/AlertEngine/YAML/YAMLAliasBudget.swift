import CYaml
import MetricStore

/// Bounds what YAML aliases may expand to, checked on libyaml's event stream before the text is
/// composed into a tree.
///
/// An alias is a reference: a few hundred bytes of anchors, each a list of aliases to the one
/// before, stand for billions of nodes ("billion laughs"). Composing shares them, but whatever
/// walks the tree, or hashes it (Yams hashes every mapping key to find repeated keys, an alias
/// key included), meets every one. The event stream is linear in the text: each anchored
/// node's expanded size and alias depth are known when it ends, and each alias adds them.
///
/// Files that use aliases the ordinary way (a label set or a group of settings written once and
/// referred to a few times) stay far inside both bounds.
public enum YAMLAliasBudget {
    /// The most nodes that aliases may add to a document, counted as if written out.
    public static let maxAliasedNodes = 100_000
    /// The most aliases one expansion may go through: an alias to a node holding an alias to a
    /// node holding an alias… (a bomb needs depth; sharing a label set needs one).
    public static let maxAliasDepth = 8

    /// A node's size with its aliases written out, and the deepest chain of aliases in it.
    private struct Expansion {
        var nodes = 1
        var aliasDepth = 0

        mutating func add(_ child: Expansion) {
            nodes = nodes.addingReportingOverflow(child.nodes).partialValue
            aliasDepth = max(aliasDepth, child.aliasDepth)
        }
    }

    /// The first alias that goes beyond a bound, as an error at that alias; nil when the text is
    /// within them, and for text libyaml cannot parse (composing reports that, with its place).
    public static func check(_ text: String, file: String) -> LocatedError? {
        var bytes = Array(text.utf8)
        if bytes.isEmpty { return nil }
        return bytes.withUnsafeMutableBufferPointer { buffer -> LocatedError? in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)

            var anchors: [String: Expansion] = [:]
            // The collections open around the current event: their anchor and expansion so far.
            var open: [(anchor: String?, expansion: Expansion)] = []
            var aliasedNodes = 0
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                let column = Int(event.start_mark.column) + 1
                var finished: (anchor: String?, expansion: Expansion)?
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_DOCUMENT_START_EVENT:
                    // Anchors do not reach across documents.
                    anchors = [:]
                case YAML_SCALAR_EVENT:
                    finished = (name(event.data.scalar.anchor), Expansion())
                case YAML_SEQUENCE_START_EVENT:
                    open.append((name(event.data.sequence_start.anchor), Expansion()))
                case YAML_MAPPING_START_EVENT:
                    open.append((name(event.data.mapping_start.anchor), Expansion()))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    finished = open.popLast()
                case YAML_ALIAS_EVENT:
                    // An undefined alias is Yams' to report.
                    guard let anchor = name(event.data.alias.anchor), let target = anchors[anchor] else { break }
                    var expansion = target
                    expansion.aliasDepth += 1
                    aliasedNodes = aliasedNodes.addingReportingOverflow(target.nodes).partialValue
                    if aliasedNodes > maxAliasedNodes || aliasedNodes < 0 {
                        return LocatedError(
                            file: file, line: line, column: column,
                            "aliases expand to more than \(maxAliasedNodes) nodes (at *\(EchoedValue(anchor))); write the values out instead of nesting aliases")
                    }
                    if expansion.aliasDepth > maxAliasDepth {
                        return LocatedError(
                            file: file, line: line, column: column,
                            "aliases nest more than \(maxAliasDepth) deep (at *\(EchoedValue(anchor))); write the values out instead of nesting aliases")
                    }
                    finished = (nil, expansion)
                default:
                    break
                }
                if let (anchor, expansion) = finished {
                    if let anchor { anchors[anchor] = expansion }
                    if !open.isEmpty { open[open.count - 1].expansion.add(expansion) }
                }
            }
        }
    }

    private static func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
