import MetricStore

extension Labels {
    /// `{a="1", b="2"}`, the way Prometheus prints a label set in error messages.
    var prometheusText: String {
        "{" + pairs.map { "\($0.name)=\(Self.quoted($0.value))" }.joined(separator: ", ") + "}"
    }

    private static func quoted(_ value: String) -> String {
        var text = "\""
        for character in value.unicodeScalars {
            switch character {
            case "\\": text += "\\\\"
            case "\"": text += "\\\""
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            case "\r": text += "\\r"
            default: text.unicodeScalars.append(character)
            }
        }
        return text + "\""
    }
}
