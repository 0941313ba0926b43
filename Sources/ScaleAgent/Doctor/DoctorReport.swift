import MetricStore

/// How `scalewatch doctor` prints its checks: one line each, or JSON for machines; and its
/// exit status, 1 when any check failed.
public enum DoctorReport {
    public static func exitStatus(_ checks: [DoctorCheck]) -> Int32 {
        checks.contains { $0.status == .fail } ? 1 : 0
    }

    /// `STATUS  name  subject: evidence`, the remedy indented under it, and a closing count.
    public static func text(_ checks: [DoctorCheck]) -> String {
        let width = checks.map(\.name.count).max() ?? 0
        var out = ""
        for check in checks {
            let name = check.name.padding(toLength: width)
            out += "\(check.status.rawValue)  \(name)  " + (check.subject.isEmpty ? "" : "\(check.subject): ") + check.evidence + "\n"
            // Under the subject, so the evidence and its fix read as one block.
            if let remedy = check.remedy { out += String(repeating: " ", count: width + 8) + "fix: " + remedy + "\n" }
        }
        return out + summary(checks) + "\n"
    }

    /// `7 passed, 2 warnings, 1 failed, 1 skipped`.
    public static func summary(_ checks: [DoctorCheck]) -> String {
        func count(_ status: DoctorCheck.Status) -> Int { checks.filter { $0.status == status }.count }
        var parts = ["\(count(.pass)) passed", "\(count(.warn)) warning\(count(.warn) == 1 ? "" : "s")", "\(count(.fail)) failed"]
        if count(.skip) > 0 { parts.append("\(count(.skip)) skipped") }
        return parts.joined(separator: ", ")
    }

    /// `{"status": "fail", "checks": [{"name", "subject", "status", "evidence", "fix"}, …]}`,
    /// statuses in lower case; `fix` only where there is one.
    public static func json(_ checks: [DoctorCheck]) -> String {
        var writer = JSONWriter(indentation: 2)
        writer.beginObject()
        writer.key("status")
        writer.string((checks.map(\.status).max() ?? .pass).rawValue.lowercased())
        writer.key("checks")
        writer.beginArray()
        for check in checks {
            writer.beginObject()
            writer.key("name")
            writer.string(check.name)
            writer.key("subject")
            writer.string(check.subject)
            writer.key("status")
            writer.string(check.status.rawValue.lowercased())
            writer.key("evidence")
            writer.string(check.evidence)
            if let remedy = check.remedy {
                writer.key("fix")
                writer.string(remedy)
            }
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.text + "\n"
    }
}

extension String {
    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
