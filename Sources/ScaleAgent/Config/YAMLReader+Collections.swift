import Yams

extension YAMLReader {
    /// A list of strings (`[a, b]` or one item per line).
    func strings(_ node: Node, _ key: String) throws(ConfigError) -> [String] {
        guard case .sequence(let sequence) = node else {
            throw error(at: node, "\(key) must be a list of strings, got \(describe(node))")
        }
        var values: [String] = []
        for item in sequence { values.append(try string(item, "\(key) items")) }
        return values
    }

    /// A mapping of label names to string values, e.g. `external_labels: {cluster: prod}`.
    func stringMap(_ node: Node, _ key: String) throws(ConfigError) -> [String: String] {
        guard case .mapping(let mapping) = node else {
            throw error(at: node, "\(key) must be a mapping of names to strings, got \(describe(node))")
        }
        var values: [String: String] = [:]
        for (keyNode, value) in mapping {
            let name = try string(keyNode, "\(key) keys")
            guard Self.isLabelName(name) else {
                throw error(at: keyNode, "\(key): '\(name)' is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)")
            }
            guard values[name] == nil else { throw error(at: keyNode, "key '\(name)' appears twice in \(key)") }
            values[name] = try string(value, "\(key).\(name)")
        }
        return values
    }

    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
