/// The other two `log_destination` formats PostgreSQL writes to files. Their message field
/// holds the bare message, so the same phrases apply; only where the message starts differs.
extension PostgresLogMessage {
    /// A line of a PostgreSQL log file in any of its formats: stderr (the `SEVERITY:  ` form
    /// above), `jsonlog` (15+) or `csvlog`.
    static func classifyFileLine(_ line: String) -> Kind? {
        let text = line[...]
        if let kind = classify(text) { return kind }
        if text.utf8.first == UInt8(ascii: "{") { return classifyJSON(text) }
        return classifyCSV(text)
    }

    /// `{"timestamp":…,"error_severity":"FATAL","state_code":"53300","message":"sorry, too many
    /// clients already",…}`: the keys come in this order, and a quote inside a value is escaped,
    /// so a key found right after `,` is a real key, not text in a value.
    static func classifyJSON(_ line: Substring) -> Kind? {
        guard let severityKey = LogText.find(",\"error_severity\":\"", in: line) else { return nil }
        let severityStart = severityKey.upperBound
        guard let severityEnd = LogText.find("\"", in: line, from: severityStart),
            severities.contains(String(line[severityStart..<severityEnd.lowerBound])),
            let messageKey = LogText.find(",\"message\":\"", in: line, from: severityEnd.upperBound)
        else { return nil }
        return kind(of: line[messageKey.upperBound...])
    }

    /// `…,3/4,0,FATAL,53300,"sorry, too many clients already",…`: severity and SQLSTATE are
    /// written unquoted, the message always quoted. Quoted fields double their quotes, so text
    /// inside one can only look like `,SEVERITY,XXXXX,""`, which is passed over.
    static func classifyCSV(_ line: Substring) -> Kind? {
        for severity in severities {
            var from = line.startIndex
            while let marker = LogText.find(",\(severity),", in: line, from: from) {
                from = marker.upperBound
                let rest = line[marker.upperBound...]
                let state = rest.utf8.prefix(5)
                guard state.count == 5, state.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) }) else { continue }
                let afterState = rest.dropFirst(5)
                guard LogText.hasPrefix(afterState, ",\""), !LogText.hasPrefix(afterState, ",\"\"") else { continue }
                return kind(of: afterState.dropFirst(2))
            }
        }
        return nil
    }
}
