#!/usr/bin/env bash
# bench_access_log_parser.sh [LINES] - access-log parsing throughput per core, optimised
# (swiftc -O), without a SwiftPM release build of the whole agent: the parser and tally files
# (Sources/ScaleAgent/Collectors/AccessLog/, pure Swift) are compiled with a small harness that
# splits a generated log (fixed seed, per preset) into lines with memchr, as LogFileReader
# does, and counts each into an AccessLogTally. CPU time of the process; the issue's target is
# 200,000 lines/s per core. Benchmarks/AccessLogBenchmark measures the whole path (file
# reading, follower thread) through the collector in a SwiftPM build.
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-1000000}
work=$(mktemp -d /tmp/scalewatch-parser-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
dir=Sources/ScaleAgent/Collectors/AccessLog
cat > "$work/main.swift" <<'EOF'
import Glibc

func cpuSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

struct Seeded {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}

let count = Int(CommandLine.arguments[1])!
let paths = ["/", "/index.html", "/api/v1/orders?page=2", "/static/app.3f9c1.js", "/api/v1/cart", "/login"]
let statuses = [200, 200, 200, 200, 200, 200, 304, 301, 404, 500, 502, 504]
let methods = ["GET", "GET", "GET", "POST", "HEAD"]

func line(_ preset: String, _ r: inout Seeded) -> String {
    let status = statuses[r.next(statuses.count)], method = methods[r.next(methods.count)], path = paths[r.next(paths.count)]
    let time = "\(r.next(3))." + String(1000 + r.next(1000)).dropFirst()
    let up = "0." + String(1000 + r.next(1000)).dropFirst()
    let address = "10.0.\(r.next(255)).\(r.next(255))"
    switch preset {
    case "json":
        return #"{"time":"2026-12-06T20:00:00+00:00","remote_addr":"\#(address)","host":"shop\#(r.next(3)).example","request":"\#(method) \#(path) HTTP/1.1","status":"\#(status)","body_bytes_sent":"\#(r.next(50_000))","request_time":"\#(time)","upstream_response_time":"\#(up)","upstream_addr":"127.0.0.1:808\#(r.next(3))","http_user_agent":"Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"}"#
    case "haproxy":
        return #"Dec  6 20:00:00 lb1 haproxy[7]: \#(address):\#(30000 + r.next(30000)) [06/Dec/2026:20:00:00.123] http-in app/srv\#(r.next(4)) 0/0/1/\#(r.next(900))/\#(r.next(1000)) \#(status) \#(r.next(50_000)) - - ---- 10/10/3/1/0 0/0 "\#(method) \#(path) HTTP/1.1""#
    default:
        return #"\#(address) - - [06/Dec/2026:20:00:00 +0000] "\#(method) \#(path) HTTP/1.1" \#(status) \#(r.next(50_000)) "https://shop.example/" "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0" \#(time) \#(up)"#
    }
}

print("preset           lines      bytes/line  lines/s per core  ns/line")
for (preset, vhost) in [("combined_timed", nil), ("json", "host"), ("haproxy", "frontend_name")] as [(String, String?)] {
    var r = Seeded(state: 42)
    var text = [UInt8]()
    for _ in 0..<count { text += Array(line(preset, &r).utf8); text.append(10) }
    var tally = AccessLogTally(parser: AccessLogLineParser(format: AccessLogFormat.preset(preset)!, vhostVariable: vhost))
    let start = cpuSeconds()
    text.withUnsafeBufferPointer { all in
        var offset = 0
        while offset < all.count {
            let end = memchr(all.baseAddress! + offset, 10, all.count - offset).map { all.baseAddress!.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? all.count
            tally.record(UnsafeBufferPointer(rebasing: all[offset..<end]))
            offset = end + 1
        }
    }
    let cpu = cpuSeconds() - start
    precondition(tally.parseErrors == 0 && tally.lines == Double(count), "\(preset): \(tally.parseErrors) parse errors")
    let name = preset + String(repeating: " ", count: 17 - preset.count)
    print(name + "\(count)      \(text.count / count)         \(Int(Double(count) / cpu))            \(Int(cpu / Double(count) * 1e9))")
}
EOF
swiftc -O -module-name AccessLogBench -o "$work/bench" \
    "$dir"/AccessLogField.swift "$dir"/AccessLogFormat.swift "$dir/AccessLogFormat+Presets.swift" "$dir"/AccessLogFormatError.swift \
    "$dir"/AccessLogEntry.swift "$dir"/AccessLogNumbers.swift "$dir"/AccessLogLineParser.swift "$dir"/AccessLogLabelValues.swift \
    "$dir"/AccessLogHistogram.swift "$dir"/AccessLogTally.swift "$work/main.swift" 2>&1 | grep -v "^$" || true
"$work/bench" "$lines"
