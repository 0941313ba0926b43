/// nginx's `stub_status` page (ngx_http_stub_status_module), always these four lines:
///
///     Active connections: 291
///     server accepts handled requests
///      16630948 16630948 31070465
///     Reading: 6 Writing: 179 Waiting: 106
public struct StubStatus: Sendable, Equatable {
    public var active, accepted, handled, requests, reading, writing, waiting: Double

    public static func parse(_ text: String, source: String) throws(ParseError) -> StubStatus {
        let lines = text.splitASCII(UInt8(ascii: "\n")).map { $0.splitASCIIWhitespace() }
        guard lines.count >= 4 else {
            throw ParseError(file: source, line: 0, "expected nginx stub_status's four lines, found \(lines.count)")
        }
        guard lines[0].count == 3, lines[0][0] == "Active", lines[0][1] == "connections:", let active = Double(lines[0][2]) else {
            throw ParseError(file: source, line: 1, "expected 'Active connections: N'")
        }
        guard lines[1] == ["server", "accepts", "handled", "requests"] else {
            throw ParseError(file: source, line: 2, "expected 'server accepts handled requests'")
        }
        let counters = lines[2].compactMap { Double($0) }
        guard lines[2].count == 3, counters.count == 3 else {
            throw ParseError(file: source, line: 3, "expected three numbers: accepts, handled, requests")
        }
        let states = lines[3]
        guard states.count == 6, states[0] == "Reading:", states[2] == "Writing:", states[4] == "Waiting:",
            let reading = Double(states[1]), let writing = Double(states[3]), let waiting = Double(states[5])
        else {
            throw ParseError(file: source, line: 4, "expected 'Reading: N Writing: N Waiting: N'")
        }
        return StubStatus(
            active: active, accepted: counters[0], handled: counters[1], requests: counters[2],
            reading: reading, writing: writing, waiting: waiting)
    }
}
