import MetricStore
import Yams

/// Reads Prometheus rule files and checks them as `promtool check rules` does: unknown keys,
/// repeated group names, bad metric and label names, and settings that only make sense for
/// the other kind of rule are refused, each at its file, line and column, all in one go.
public enum RuleFileLoader {
    /// Checks an expression's text, e.g. with the PromQL parser; nil when it is fine.
    public typealias ExpressionCheck = (String) -> ExpressionProblem?

    static let groupKeys = ["name", "interval", "limit", "query_offset", "labels", "rules"]

    public static func load(path: String, checkExpression: ExpressionCheck? = nil) throws(RuleFileErrors) -> RuleFile {
        try parse(try RuleFileText.read(path), file: path, checkExpression: checkExpression)
    }

    public static func parse(_ text: String, file: String, checkExpression: ExpressionCheck? = nil) throws(RuleFileErrors) -> RuleFile {
        let reader = LocatedYAMLReader(file: file, text: text, dialect: .prometheus)
        var groups: [RuleGroup] = []
        if let root = reader.compose(), !reader.isNull(root),
            let entries = reader.mapping(root, in: "the top level", allowed: ["groups"])
        {
            for (_, _, value) in entries {
                var firstLineOfName: [String: Int] = [:]
                for node in reader.list(value, "groups") ?? [] {
                    if let group = parseGroup(node, reader, &firstLineOfName, checkExpression) { groups.append(group) }
                }
            }
        }
        guard reader.errors.isEmpty else { throw RuleFileErrors(reader.errors) }
        return RuleFile(file: file, groups: groups)
    }

    private static func parseGroup(
        _ node: Node, _ reader: LocatedYAMLReader, _ firstLineOfName: inout [String: Int], _ checkExpression: ExpressionCheck?
    ) -> RuleGroup? {
        guard let entries = reader.mapping(node, in: "group", allowed: groupKeys) else { return nil }
        var group = RuleGroup(name: "", rules: [], line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
        var nameNode: Node?
        var nameIsText = true
        for (key, _, value) in entries {
            switch key {
            case "name":
                nameNode = value
                let name = reader.string(value, "name")
                nameIsText = name != nil
                group.name = name ?? ""
            case "interval": group.interval = reader.duration(value, "interval")
            case "limit": group.limit = reader.integer(value, "limit", in: 0...Int.max)
            case "query_offset": group.queryOffset = reader.duration(value, "query_offset")
            case "labels": group.labels = reader.labels(value, "group labels", names: .label) ?? .empty
            case "rules": group.rules = (reader.list(value, "rules") ?? []).compactMap { RuleNodeReader.rule($0, reader, checkExpression) }
            default: preconditionFailure("BUG: group key \(key) allowed but not handled")
            }
        }
        // A name that is not a string has been reported as such already.
        switch (nameNode, nameIsText) {
        case (nil, _):
            reader.report(at: node, "group has no name")
        case (let nameNode?, true) where group.name.isEmpty:
            reader.report(at: nameNode, "group name must not be empty")
        case (let nameNode?, true):
            if let firstLine = firstLineOfName[group.name] {
                reader.report(
                    at: nameNode, "group name \"\(group.name)\" is already used at line \(firstLine); names must be unique in a file")
            } else {
                firstLineOfName[group.name] = nameNode.mark?.line ?? 0
            }
        case (_, false):
            break
        }
        return group
    }
}
