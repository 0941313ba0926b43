#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads access-log lines of one format into `AccessLogEntry`s. One pass over the bytes,
/// `memchr` to find each separator, no regular expression and no allocation per line: the
/// collector's budget is 200,000 lines per second per core.
///
/// `vhostVariable` names the variable whose value becomes the `vhost` label (`host`,
/// `server_name`, …); nil when the label is fixed or absent.
struct AccessLogLineParser: Equatable, Sendable {
    /// One field and the literal text that ends it (empty for the last field: the line's end).
    struct Step: Equatable, Sendable {
        var field: AccessLogField
        var isVhost: Bool
        var terminator: [UInt8]
    }

    struct JSONKey: Equatable, Sendable {
        var key: [UInt8]
        var field: AccessLogField
        var isVhost: Bool
    }

    private enum Program: Equatable, Sendable {
        case text(head: [UInt8], steps: [Step])
        case json([JSONKey])
    }

    private let program: Program

    init(format: AccessLogFormat, vhostVariable: String? = nil) {
        switch format.layout {
        case .text(let elements):
            var head: [UInt8] = []
            var steps: [Step] = []
            for element in elements {
                switch element {
                case .literal(let bytes):
                    if steps.isEmpty { head = bytes } else { steps[steps.count - 1].terminator = bytes }
                case .variable(let name):
                    steps.append(Step(field: AccessLogField.named(name), isVhost: name == vhostVariable, terminator: []))
                }
            }
            program = .text(head: head, steps: steps)
        case .json(let keys):
            var table: [JSONKey] = []
            for (name, key) in keys.sorted(by: { $0.key < $1.key }) {
                let field = AccessLogField.named(name)
                let isVhost = name == vhostVariable
                if field != .ignored || isVhost { table.append(JSONKey(key: Array(key.utf8), field: field, isVhost: isVhost)) }
            }
            program = .json(table)
        }
    }

    /// Parses one line (without its newline); false when it does not have the format.
    func parse(_ line: UnsafeBufferPointer<UInt8>, into entry: inout AccessLogEntry) -> Bool {
        entry = AccessLogEntry()
        var end = line.count
        if end > 0, line[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        var sawStatus = false
        let matched: Bool
        switch program {
        case .text(let head, let steps):
            matched = parseText(line, end: end, head: head, steps: steps, entry: &entry, sawStatus: &sawStatus)
        case .json(let keys):
            matched = parseJSON(line, end: end, keys: keys, entry: &entry, sawStatus: &sawStatus)
        }
        return matched && sawStatus
    }

    private func parseText(
        _ line: UnsafeBufferPointer<UInt8>, end: Int, head: [UInt8], steps: [Step], entry: inout AccessLogEntry, sawStatus: inout Bool
    ) -> Bool {
        guard Self.matches(line, at: 0, end: end, head) else { return false }
        var position = head.count
        for step in steps {
            let fieldEnd: Int
            if step.terminator.isEmpty {
                fieldEnd = end
            } else {
                guard let found = Self.find(step.terminator, in: line, from: position, end: end, skippingListSeparators: step.field.isList)
                else { return false }
                fieldEnd = found
            }
            guard apply(step.field, isVhost: step.isVhost, line, position..<fieldEnd, &entry, &sawStatus) else { return false }
            position = fieldEnd + step.terminator.count
        }
        // A pattern that ends in literal text must end the line with it.
        return position == end
    }

    /// A flat JSON object, as nginx writes with `escape=json`: string, number, `true`/`false`
    /// and `null` values; keys the parser has no use for are skipped.
    private func parseJSON(
        _ line: UnsafeBufferPointer<UInt8>, end: Int, keys: [JSONKey], entry: inout AccessLogEntry, sawStatus: inout Bool
    ) -> Bool {
        var index = Self.skipSpaces(line, 0, end)
        guard index < end, line[index] == UInt8(ascii: "{") else { return false }
        index = Self.skipSpaces(line, index + 1, end)
        if index < end, line[index] == UInt8(ascii: "}") { return Self.skipSpaces(line, index + 1, end) == end }
        while true {
            guard index < end, line[index] == UInt8(ascii: "\""), let keyEnd = Self.stringEnd(line, index + 1, end) else { return false }
            let key = (index + 1)..<keyEnd
            index = Self.skipSpaces(line, keyEnd + 1, end)
            guard index < end, line[index] == UInt8(ascii: ":") else { return false }
            index = Self.skipSpaces(line, index + 1, end)
            guard index < end else { return false }
            var value: Range<Int>
            var isNull = false
            if line[index] == UInt8(ascii: "\"") {
                guard let valueEnd = Self.stringEnd(line, index + 1, end) else { return false }
                value = (index + 1)..<valueEnd
                index = valueEnd + 1
            } else {
                let start = index
                while index < end, line[index] != UInt8(ascii: ","), line[index] != UInt8(ascii: "}"), line[index] != UInt8(ascii: " ") {
                    // Objects and arrays are not what nginx writes.
                    if line[index] == UInt8(ascii: "{") || line[index] == UInt8(ascii: "[") { return false }
                    index += 1
                }
                value = start..<index
                guard !value.isEmpty else { return false }
                isNull = Self.matches(line, at: start, end: index, Self.null) && value.count == 4
            }
            if let known = keys.first(where: { $0.key.count == key.count && Self.matches(line, at: key.lowerBound, end: key.upperBound, $0.key) }) {
                if isNull { value = value.lowerBound..<value.lowerBound }
                guard apply(known.field, isVhost: known.isVhost, line, value, &entry, &sawStatus) else { return false }
            }
            index = Self.skipSpaces(line, index, end)
            guard index < end else { return false }
            if line[index] == UInt8(ascii: "}") { return Self.skipSpaces(line, index + 1, end) == end }
            guard line[index] == UInt8(ascii: ",") else { return false }
            index = Self.skipSpaces(line, index + 1, end)
        }
    }

    private static let null = Array("null".utf8)

    /// Converts one field's value; false when it is not what the field holds.
    private func apply(
        _ field: AccessLogField, isVhost: Bool, _ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
        _ entry: inout AccessLogEntry, _ sawStatus: inout Bool
    ) -> Bool {
        if isVhost, !range.isEmpty, !AccessLogNumbers.isDash(line, range) { entry.vhost = range }
        switch field {
        case .status:
            guard let status = AccessLogNumbers.status(line, range) else { return false }
            entry.status = status
            sawStatus = true
        case .bytesSent:
            guard let bytes = AccessLogNumbers.byteCount(line, range) else { return false }
            entry.bytesSent = bytes
        case .request:
            var space = range.lowerBound
            while space < range.upperBound, line[space] != UInt8(ascii: " ") { space += 1 }
            entry.method = AccessLogMethod.matching(line, range.lowerBound..<space)
        case .method:
            entry.method = AccessLogMethod.matching(line, range)
        case .requestTime:
            switch AccessLogNumbers.seconds(line, range) {
            case .seconds(let value): entry.requestTime = value
            case .absent: break
            case .invalid: return false
            }
        case .upstreamTime:
            switch AccessLogNumbers.secondsList(line, range) {
            case .seconds(let value): entry.upstreamTime = value
            case .absent: break
            case .invalid: return false
            }
        case .totalMilliseconds, .serverMilliseconds:
            switch AccessLogNumbers.milliseconds(line, range) {
            case .seconds(let value):
                if field == .totalMilliseconds { entry.requestTime = value } else { entry.upstreamTime = value }
            case .absent: break
            case .invalid: return false
            }
        case .upstreamAddress:
            let last = AccessLogNumbers.lastListItem(line, range)
            if !last.isEmpty, !AccessLogNumbers.isDash(line, last) { entry.upstream = last }
        case .backend:
            if !range.isEmpty, !AccessLogNumbers.isDash(line, range) { entry.upstream = range }
        case .ignored:
            break
        }
        return true
    }

    // MARK: - Byte scanning

    private static func matches(_ line: UnsafeBufferPointer<UInt8>, at position: Int, end: Int, _ literal: [UInt8]) -> Bool {
        guard position + literal.count <= end else { return false }
        for offset in 0..<literal.count where line[position + offset] != literal[offset] { return false }
        return true
    }

    /// Where `literal` next starts at or after `from`; in a list field, an occurrence that is
    /// part of a `, ` or ` : ` list separator is passed over.
    private static func find(
        _ literal: [UInt8], in line: UnsafeBufferPointer<UInt8>, from: Int, end: Int, skippingListSeparators: Bool
    ) -> Int? {
        guard let base = line.baseAddress else { return nil }
        let first = literal[0]
        var index = from
        while index + literal.count <= end {
            guard let hit = memchr(base + index, Int32(first), end - index) else { return nil }
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if matches(line, at: at, end: end, literal) {
                if skippingListSeparators && first == UInt8(ascii: " ") && isInsideList(line, at, end) {
                    index = at + 1
                    continue
                }
                return at
            }
            index = at + 1
        }
        return nil
    }

    /// A space that belongs to `, ` or ` : ` (after a comma, or around a colon).
    private static func isInsideList(_ line: UnsafeBufferPointer<UInt8>, _ at: Int, _ end: Int) -> Bool {
        if at > 0, line[at - 1] == UInt8(ascii: ",") || line[at - 1] == UInt8(ascii: ":") { return true }
        return at + 2 < end && line[at + 1] == UInt8(ascii: ":") && line[at + 2] == UInt8(ascii: " ")
    }

    private static func skipSpaces(_ line: UnsafeBufferPointer<UInt8>, _ from: Int, _ end: Int) -> Int {
        var index = from
        while index < end, line[index] == UInt8(ascii: " ") || line[index] == UInt8(ascii: "\t") { index += 1 }
        return index
    }

    /// The index of the quote that ends a JSON string starting at `from` (escapes passed over).
    private static func stringEnd(_ line: UnsafeBufferPointer<UInt8>, _ from: Int, _ end: Int) -> Int? {
        var index = from
        while index < end {
            switch line[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index
            default: index += 1
            }
        }
        return nil
    }
}
