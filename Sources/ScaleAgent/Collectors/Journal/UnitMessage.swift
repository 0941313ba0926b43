/// The service manager's lines about a unit's failure and restart (src/core/unit.c and
/// service.c), logged as `UNIT: text` with the unit also in the entry's `UNIT=` (or, from a
/// user manager, `USER_UNIT=`) field:
///
///     app.service: Main process exited, code=killed, status=9/KILL
///     app.service: Failed with result 'oom-kill'.
///     app.service: Scheduled restart job, restart counter is at 3.
///
/// `Failed with result` is logged once per failure, restarted or not, so failures are counted
/// from it alone; `Main process exited` says how the process ended (an exit code, or the signal
/// that killed it) and is counted on its own.
enum UnitMessage: Equatable, Sendable {
    case failed(unit: String, result: String)
    /// `code` is `exited`, `killed` or `dumped`; `status` the code or signal, e.g. `1/FAILURE`, `9/KILL`.
    case mainProcessExited(unit: String, code: String, status: String)
    case restartScheduled(unit: String, counter: Int?)

    var unit: String {
        switch self {
        case .failed(let unit, _), .mainProcessExited(let unit, _, _), .restartScheduled(let unit, _): unit
        }
    }

    /// `unitField` is the entry's `UNIT=` or `USER_UNIT=`, used when the text has no unit prefix;
    /// it is asked for only when the text matched.
    static func parse(_ message: String, unitField: () -> String?) -> UnitMessage? {
        let text = message[...]
        if let hit = LogText.find("Failed with result '", in: text) {
            let rest = text[hit.upperBound...]
            guard let close = rest.utf8.firstIndex(of: UInt8(ascii: "'")), close != rest.startIndex,
                let unit = unitName(before: hit.lowerBound, in: text, fallback: unitField)
            else { return nil }
            return .failed(unit: unit, result: String(rest[..<close]))
        }
        // systemd before 236 wrote "main process exited" in lower case.
        if let hit = LogText.find("ain process exited, code=", in: text), hit.lowerBound > text.startIndex {
            let initial = text.utf8[text.utf8.index(before: hit.lowerBound)]
            guard initial == UInt8(ascii: "M") || initial == UInt8(ascii: "m") else { return nil }
            let rest = text[hit.upperBound...]
            let code = LogText.prefix(rest, upTo: ", ")
            guard !code.isEmpty, let statusField = LogText.find(", status=", in: rest) else { return nil }
            let status = LogText.prefix(rest[statusField.upperBound...], upTo: " ,")
            guard !status.isEmpty,
                let unit = unitName(before: text.utf8.index(before: hit.lowerBound), in: text, fallback: unitField)
            else { return nil }
            return .mainProcessExited(unit: unit, code: String(code), status: String(status))
        }
        if let hit = LogText.find("Scheduled restart job", in: text) {
            guard let unit = unitName(before: hit.lowerBound, in: text, fallback: unitField) else { return nil }
            var counter: Int?
            if let at = LogText.find("restart counter is at ", in: text[hit.upperBound...]) {
                counter = LogText.leadingInteger(text[at.upperBound...]).map { Int(clamping: $0.value) }
            }
            return .restartScheduled(unit: unit, counter: counter)
        }
        return nil
    }

    /// The `UNIT: ` in front of the phrase (the last word before it, so that a syslog-style
    /// `systemd[1]: app.service: ` prefix from /dev/kmsg also works), else the entry's field.
    private static func unitName(before phrase: String.Index, in text: Substring, fallback: () -> String?) -> String? {
        let lead = text[..<phrase]
        if lead.hasSuffix(": ") {
            let name = lead.dropLast(2)
            let start = name.utf8.lastIndex(of: UInt8(ascii: " ")).map { name.utf8.index(after: $0) } ?? name.startIndex
            let unit = name[start...]
            if isUnitName(unit) { return String(unit) }
        }
        guard let field = fallback(), isUnitName(field[...]) else { return nil }
        return field
    }

    /// `name.type` with one of systemd's unit types.
    static func isUnitName(_ name: Substring) -> Bool {
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), dot != name.startIndex else { return false }
        let type = name[name.utf8.index(after: dot)...]
        return ["service", "socket", "target", "device", "mount", "automount", "swap", "timer", "path", "slice", "scope"]
            .contains { type == $0 }
    }
}
