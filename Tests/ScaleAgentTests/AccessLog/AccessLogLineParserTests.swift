import Testing

@testable import ScaleAgent

/// What the parser reads from one line, in plain values, for table rows.
struct ParsedLine: Equatable, CustomStringConvertible {
    var status: Int
    var method: String
    var bytes: Double
    var requestTime: Double?
    var upstreamTime: Double?
    var vhost: String?
    var upstream: String?

    init(
        _ status: Int, _ method: String, bytes: Double = 0, requestTime: Double? = nil, upstreamTime: Double? = nil,
        vhost: String? = nil, upstream: String? = nil
    ) {
        self.status = status
        self.method = method
        self.bytes = bytes
        self.requestTime = requestTime
        self.upstreamTime = upstreamTime
        self.vhost = vhost
        self.upstream = upstream
    }

    var description: String {
        "\(status) \(method) \(bytes) rt=\(requestTime.map { "\($0)" } ?? "-") ut=\(upstreamTime.map { "\($0)" } ?? "-") vhost=\(vhost ?? "-") upstream=\(upstream ?? "-")"
    }
}

extension AccessLogLineParser {
    /// Parses a line given as a String (tests only).
    func parse(_ text: String) -> ParsedLine? {
        var text = text
        return text.withUTF8 { line -> ParsedLine? in
            var entry = AccessLogEntry()
            guard parse(line, into: &entry) else { return nil }
            func string(_ range: Range<Int>?) -> String? {
                range.map { String(decoding: UnsafeBufferPointer(rebasing: line[$0]), as: UTF8.self) }
            }
            // Timings compared at microsecond resolution: the decimal conversion divides once.
            func rounded(_ value: Double?) -> Double? { value.map { ($0 * 1e6).rounded() / 1e6 } }
            return ParsedLine(
                entry.status, entry.method.label, bytes: entry.bytesSent, requestTime: rounded(entry.requestTime),
                upstreamTime: rounded(entry.upstreamTime), vhost: string(entry.vhost), upstream: string(entry.upstream))
        }
    }
}

@Suite struct AccessLogLineParserTests {
    static let combined = AccessLogFormat.preset("combined")!
    static let timed = AccessLogFormat.preset("combined_timed")!
    static let haproxy = AccessLogFormat.preset("haproxy")!

    struct Row: Sendable, CustomStringConvertible {
        var name: String
        var format: String
        var vhost: String? = nil
        var jsonKeys: [String: String] = [:]
        var line: String
        var expected: ParsedLine?
        var description: String { name }
    }

    static let rows: [Row] = [
        // combined
        Row(
            name: "combined GET", format: "combined",
            line: #"203.0.113.9 - - [06/Dec/2026:20:00:00 +0000] "GET /index.html HTTP/1.1" 200 612 "-" "curl/8.5.0""#,
            expected: ParsedLine(200, "GET", bytes: 612)),
        Row(
            name: "combined with user, referer and quotes escaped by nginx", format: "combined",
            line: #"10.0.0.1 - alice [06/Dec/2026:20:00:00 +0000] "POST /api/x?q=\x22a\x22 HTTP/2.0" 201 0 "https://ex.com/a b" "Mozilla/5.0 (X11; Linux)""#,
            expected: ParsedLine(201, "POST")),
        Row(
            name: "combined, request line of a TLS handshake on a plain port", format: "combined",
            line: #"10.0.0.1 - - [06/Dec/2026:20:00:00 +0000] "\x16\x03\x01\x02\x00\x01\x00\x01\xFC\x03\x03" 400 157 "-" "-""#,
            expected: ParsedLine(400, "other", bytes: 157)),
        Row(
            name: "combined, empty request", format: "combined",
            line: #"10.0.0.1 - - [06/Dec/2026:20:00:00 +0000] "" 400 0 "-" "-""#, expected: ParsedLine(400, "other")),
        Row(
            name: "combined, CRLF line end", format: "combined",
            line: "10.0.0.1 - - [06/Dec/2026:20:00:00 +0000] \"HEAD / HTTP/1.1\" 304 0 \"-\" \"-\"\r",
            expected: ParsedLine(304, "HEAD")),
        Row(
            name: "combined, trailing text after the format", format: "combined",
            line: #"10.0.0.1 - - [06/Dec/2026:20:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-" extra"#, expected: nil),
        Row(name: "combined, garbage", format: "combined", line: "not an access log line", expected: nil),
        Row(name: "combined, empty line", format: "combined", line: "", expected: nil),
        Row(
            name: "combined, status not a number", format: "combined",
            line: #"10.0.0.1 - - [06/Dec/2026:20:00:00 +0000] "GET / HTTP/1.1" OK 1 "-" "-""#, expected: nil),
        Row(
            name: "combined, status of four digits", format: "combined",
            line: #"10.0.0.1 - - [06/Dec/2026:20:00:00 +0000] "GET / HTTP/1.1" 2000 1 "-" "-""#, expected: nil),
        Row(
            name: "combined, line cut short", format: "combined",
            line: #"10.0.0.1 - - [06/Dec/2026:20:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "curl"#, expected: nil),
        // combined_timed
        Row(
            name: "timed, one upstream", format: "combined_timed",
            line: #"10.0.0.1 - - [06/Dec/2026:20:00:00 +0000] "GET /a HTTP/1.1" 200 5 "-" "wrk" 0.123 0.120"#,
            expected: ParsedLine(200, "GET", bytes: 5, requestTime: 0.123, upstreamTime: 0.12)),
        Row(
            name: "timed, no upstream (static file)", format: "combined_timed",
            line: #"10.0.0.1 - - [06/Dec/2026:20:00:00 +0000] "GET /a HTTP/1.1" 200 5 "-" "wrk" 0.000 -"#,
            expected: ParsedLine(200, "GET", bytes: 5, requestTime: 0)),
        Row(
            name: "timed, upstreams retried: times summed", format: "combined_timed",
            line: #"10.0.0.1 - - [06/Dec/2026:20:00:00 +0000] "GET /a HTTP/1.1" 502 5 "-" "wrk" 0.300 0.010, 0.200"#,
            expected: ParsedLine(502, "GET", bytes: 5, requestTime: 0.3, upstreamTime: 0.21)),
        Row(
            name: "timed, internal redirect and a server without response", format: "combined_timed",
            line: #"10.0.0.1 - - [06/Dec/2026:20:00:00 +0000] "GET /a HTTP/1.1" 504 5 "-" "wrk" 1.001 -, 1.000 : 0.5"#,
            expected: ParsedLine(504, "GET", bytes: 5, requestTime: 1.001, upstreamTime: 1.5)),
        Row(
            name: "timed, request time garbage", format: "combined_timed",
            line: #"10.0.0.1 - - [06/Dec/2026:20:00:00 +0000] "GET /a HTTP/1.1" 200 5 "-" "wrk" 0.1.2 0.1"#, expected: nil),
        Row(
            name: "timed, upstream list garbage", format: "combined_timed",
            line: #"10.0.0.1 - - [06/Dec/2026:20:00:00 +0000] "GET /a HTTP/1.1" 200 5 "-" "wrk" 0.1 0.1, x"#, expected: nil),
        // own patterns
        Row(
            name: "pattern with host and upstream_addr in the middle",
            format: #"$host $status "$request" $upstream_addr $upstream_response_time $request_time"#, vhost: "host",
            line: #"shop.example 504 "GET /pay HTTP/1.1" 10.0.0.5:8080, 10.0.0.6:8080 1.000, 2.001 3.010"#,
            expected: ParsedLine(504, "GET", requestTime: 3.01, upstreamTime: 3.001, vhost: "shop.example", upstream: "10.0.0.6:8080")),
        Row(
            name: "pattern with braces and $request_method",
            format: #"${request_method}|${status}|${bytes_sent}|rt=${request_time}"#,
            line: "DELETE|204|99|rt=0.004", expected: ParsedLine(204, "DELETE", bytes: 99, requestTime: 0.004)),
        Row(
            name: "pattern, vhost '-' is no vhost", format: "$server_name $status", vhost: "server_name", line: "- 200",
            expected: ParsedLine(200, "other")),
        // json
        Row(
            name: "json, nginx escape=json", format: "json", vhost: "host",
            line: #"{"time":"2026-12-06T20:00:00+00:00","host":"api.example","request":"GET /v1?x=\"y\" HTTP/1.1","status":"503","body_bytes_sent":"12","request_time":"0.250","upstream_response_time":"0.249","upstream_addr":"127.0.0.1:9000"}"#,
            expected: ParsedLine(503, "GET", bytes: 12, requestTime: 0.25, upstreamTime: 0.249, vhost: "api.example", upstream: "127.0.0.1:9000")),
        Row(
            name: "json, numbers unquoted, spaces, empty upstream", format: "json",
            line: #"{ "status": 200, "request_method": "PUT", "request_time": 0.001, "upstream_response_time": "" , "body_bytes_sent": 0 }"#,
            expected: ParsedLine(200, "PUT", requestTime: 0.001)),
        Row(
            name: "json, renamed keys", format: "json", jsonKeys: ["status": "s", "request_time": "rt", "request_method": "m"],
            line: #"{"s":418,"m":"PATCH","rt":"2.5","status":"not read"}"#, expected: ParsedLine(418, "PATCH", requestTime: 2.5)),
        Row(name: "json, null request time", format: "json", line: #"{"status":200,"request_time":null}"#, expected: ParsedLine(200, "other")),
        Row(name: "json, no status", format: "json", line: #"{"request_time":"0.1"}"#, expected: nil),
        Row(name: "json, nested object", format: "json", line: #"{"status":200,"h":{"a":1}}"#, expected: nil),
        Row(name: "json, unterminated string", format: "json", line: #"{"status":"200"#, expected: nil),
        Row(name: "json, not an object", format: "json", line: "200 GET /", expected: nil),
        Row(name: "json, trailing garbage", format: "json", line: #"{"status":200} x"#, expected: nil),
        // haproxy
        Row(
            name: "haproxy httplog", format: "haproxy", vhost: "frontend_name",
            line: #"Feb  6 12:14:14 lb1 haproxy[14389]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 "GET /index.html HTTP/1.1""#,
            expected: ParsedLine(200, "GET", bytes: 2750, requestTime: 0.109, upstreamTime: 0.069, vhost: "http-in", upstream: "static")),
        Row(
            name: "haproxy with captured headers and a server that never answered", format: "haproxy",
            line: #"Dec  6 20:00:00 lb1 haproxy[7]: 10.0.1.2:40000 [06/Dec/2026:20:00:00.000] fe be/app1 0/0/1/-1/30001 504 194 - - sH-- 3/3/2/2/0 0/0 {shop.example} {} "POST /pay HTTP/1.1""#,
            expected: ParsedLine(504, "POST", bytes: 194, requestTime: 30.001, upstream: "be")),
        Row(
            name: "haproxy, aborted before a response: status -1", format: "haproxy",
            line: #"Dec  6 20:00:00 lb1 haproxy[7]: 10.0.1.2:40000 [06/Dec/2026:20:00:00.000] fe be/<NOSRV> -1/-1/-1/-1/+5 -1 0 - - CR-- 1/1/0/0/0 0/0 "<BADREQ>""#,
            expected: ParsedLine(-1, "other", requestTime: 0.005, upstream: "be")),
        Row(
            name: "haproxy, timer garbage", format: "haproxy",
            line: #"Dec  6 20:00:00 lb1 haproxy[7]: 10.0.1.2:40000 [06/Dec/2026:20:00:00.000] fe be/app1 0/0/1/x/3 200 1 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1""#,
            expected: nil),
        // Regression: a 19-digit integer overflowed Int64 while it was read, a trap from one log line.
        Row(
            name: "combined, 18-digit byte count", format: "combined",
            line: #"1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 999999999999999999 "-" "curl""#,
            expected: ParsedLine(200, "GET", bytes: 999_999_999_999_999_999)),
        Row(
            name: "combined, 19-digit byte count is not a line of the format", format: "combined",
            line: #"1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 9999999999999999999 "-" "curl""#,
            expected: nil),
        Row(
            name: "combined_timed, 19-digit request time", format: "combined_timed",
            line: #"1.2.3.4 - - [06/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "curl" 99999999999999999.99 -"#,
            expected: nil),
    ]

    @Test(arguments: rows)
    func parses(_ row: Row) throws {
        let format = try AccessLogFormat.preset(row.format, jsonKeys: row.jsonKeys) ?? AccessLogFormat.compile(row.format)
        let parser = AccessLogLineParser(format: format, vhostVariable: row.vhost)
        #expect(parser.parse(row.line) == row.expected)
    }

    struct BadPattern: Sendable, CustomStringConvertible {
        var pattern: String
        var position: Int
        var message: String
        var description: String { pattern }
    }

    static let badPatterns: [BadPattern] = [
        BadPattern(pattern: "", position: 0, message: "the format is empty"),
        BadPattern(pattern: "$status $", position: 10, message: "expected a variable name after '$'"),
        BadPattern(pattern: "$status $-x", position: 10, message: "expected a variable name after '$'"),
        BadPattern(pattern: "${}$status", position: 3, message: "expected a variable name after '${'"),
        BadPattern(pattern: "${status x", position: 9, message: "expected '}' to close '${status'"),
        BadPattern(
            pattern: "é $status$request_time", position: 10,
            message: "expected literal text between $status and $request_time: nothing would say where $status ends"),
        BadPattern(pattern: "$remote_addr $request", position: 0, message: "expected a $status variable: every request is counted by its status"),
    ]

    @Test(arguments: badPatterns)
    func refusesBadPattern(_ bad: BadPattern) {
        #expect(throws: AccessLogFormatError(position: bad.position, bad.message)) { try AccessLogFormat.compile(bad.pattern) }
    }

    @Test func everyPresetCompilesAndNamesItsVariables() {
        for name in AccessLogFormat.presetNames {
            let format = AccessLogFormat.preset(name)
            #expect(format?.variables.contains("status") == true, "\(name)")
        }
        #expect(AccessLogFormat.preset("apache") == nil)
        #expect(Self.timed.variables.suffix(2) == ["request_time", "upstream_response_time"])
        #expect(Self.haproxy.variables.contains("Ta"))
        #expect(Self.combined.variables.count == 8)
    }
}
