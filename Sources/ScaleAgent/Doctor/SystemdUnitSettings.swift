import Foundation
/// The `[Service]` settings of a systemd unit file and its drop-ins, as systemd merges them:
/// files in order, the last assignment of a key wins, and an empty assignment resets it.
/// Comments (`#`, `;`) and line continuations (`\` at the end) are understood.
struct SystemdUnitSettings: Sendable, Equatable {
    var values: [String: String] = [:]
    /// The files read, in order.
    var files: [String] = []

    subscript(_ key: String) -> String? { values[key] }

    mutating func merge(_ text: String, file: String) {
        files.append(file)
        var section = ""
        var pending = ""
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = pending + rawLine.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r"))
            pending = ""
            if line.hasSuffix("\\") {
                line.removeLast()
                pending = line + " "
                continue
            }
            guard let first = line.first, first != "#", first != ";" else { continue }
            if first == "[" {
                section = line.hasSuffix("]") ? String(line.dropFirst().dropLast()) : ""
                continue
            }
            guard section == "Service", let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
            let value = line[line.index(after: equals)...].trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
            if value.isEmpty { values[key] = nil } else { values[key] = value }
        }
    }

    /// A systemd byte size (`256M`, `1G`, `1024`, base 1024); nil for `infinity`, percentages
    /// and anything unreadable.
    static func bytes(_ text: String) -> Double? {
        let multipliers: [Character: Double] = ["K": 0x1p10, "M": 0x1p20, "G": 0x1p30, "T": 0x1p40]
        if let last = text.last, let multiplier = multipliers[last], let number = Double(text.dropLast()) { return number * multiplier }
        return Double(text)
    }

    /// `LimitNOFILE=` as (soft, hard); a single value sets both.
    static func fileLimits(_ text: String) -> (soft: Int, hard: Int)? {
        let parts = text.split(separator: ":").map { $0 == "infinity" ? Int.max : Int($0) }
        switch parts.count {
        case 1: return parts[0].map { ($0, $0) }
        case 2: if let soft = parts[0], let hard = parts[1] { return (soft, hard) } else { return nil }
        default: return nil
        }
    }
}
