// Access-log throughput, the issue's "at least 200,000 lines per second per core": the whole
// path a line takes in the agent (read from the file, split into lines, parsed, counted into
// the histograms) through the public collector, per preset. The lines are generated with a
// fixed seed; CPU time is the process's, so it includes the reader thread and the polling.
// Run a release build:
//   swift build -c release --product accesslog-benchmark && .build/release/accesslog-benchmark [lines]
import Logging
import ScaleAgent

#if canImport(Glibc)
import Glibc
#endif

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func wallSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// A fixed-seed generator (SplitMix64), so every run parses the same lines.
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

let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 1_000_000 : 1_000_000
let paths = ["/", "/index.html", "/api/v1/orders?page=2", "/static/app.3f9c1.js", "/api/v1/cart", "/login", "/favicon.ico"]
let statuses = [200, 200, 200, 200, 200, 200, 304, 301, 404, 500, 502, 504]
let methods = ["GET", "GET", "GET", "POST", "HEAD"]
let agents = ["Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0", "curl/8.5.0", "wrk"]

func line(_ preset: String, _ random: inout Seeded, _ index: Int) -> String {
    let status = statuses[random.next(statuses.count)]
    let method = methods[random.next(methods.count)]
    let path = paths[random.next(paths.count)]
    let time = "\(random.next(3))." + String(1000 + random.next(1000)).dropFirst()
    let upstream = "0." + String(1000 + random.next(1000)).dropFirst()
    let address = "10.0.\(random.next(255)).\(random.next(255))"
    let stamp = "06/Dec/2026:20:\(10 + index / 60_000 % 50):\(10 + index / 1000 % 50) +0000"
    switch preset {
    case "json":
        return #"{"time":"2026-12-06T20:00:00+00:00","remote_addr":"\#(address)","host":"shop.example","request":"\#(method) \#(path) HTTP/1.1","status":"\#(status)","body_bytes_sent":"\#(random.next(50_000))","request_time":"\#(time)","upstream_response_time":"\#(upstream)","upstream_addr":"127.0.0.1:8080","http_user_agent":"\#(agents[random.next(agents.count)])"}"#
    case "haproxy":
        return #"Dec  6 20:00:00 lb1 haproxy[7]: \#(address):\#(30000 + random.next(30000)) [06/Dec/2026:20:00:00.123] http-in app/srv\#(random.next(4)) 0/0/1/\#(random.next(900))/\#(random.next(1000)) \#(status) \#(random.next(50_000)) - - ---- 10/10/3/1/0 0/0 "\#(method) \#(path) HTTP/1.1""#
    default:
        return #"\#(address) - - [\#(stamp)] "\#(method) \#(path) HTTP/1.1" \#(status) \#(random.next(50_000)) "https://shop.example/" "\#(agents[random.next(agents.count)])" \#(time) \#(upstream)"#
    }
}

func write(_ path: String, _ text: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    precondition(fd >= 0, "cannot create \(path)")
    var text = text
    text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            precondition(written > 0, "cannot write \(path)")
            offset += written
        }
    }
    close(fd)
}

func linesRead(_ collector: AccessLogCollector) -> Double {
    var metrics = MetricsBuilder()
    try? collector.collect(into: &metrics)
    return metrics.build().first { $0.name == "scalewatch_access_log_lines_total" }?.samples.first?.value ?? 0
}

var template = Array("/tmp/scalewatch-accesslog-bench-XXXXXX".utf8CString)
guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else { fatalError("mkdtemp failed") }
let directory = String(cString: made)
defer { _ = system("rm -rf '\(directory)'") }

print("preset           lines      bytes/line  CPU s   lines/s per core  ns/line")
for preset in ["combined_timed", "json", "haproxy"] {
    var random = Seeded(state: 42)
    var text = ""
    text.reserveCapacity(count * 220)
    for index in 0..<count {
        text += line(preset, &random, index)
        text += "\n"
    }
    let log = "\(directory)/\(preset).log"
    let yaml = """
        collectors:
          access_logs:
            sources:
              - files: [\(log)]
                format: \(preset)
                vhost: \(preset == "haproxy" ? "$frontend_name" : preset == "json" ? "$host" : "shop")
        """
    let settings = try ConfigLoader.parse(yaml, file: "bench.yml").collectors.accessLogs
    let registry = LogFollowerRegistry()
    let collector = AccessLogCollector(
        settings: settings, dataDirectory: nil, logger: Logger(label: "bench"), registry: registry)
    // The file appears after the follower started: it is read from its start.
    _ = linesRead(collector)
    let startCPU = cpuSeconds()
    let startWall = wallSeconds()
    write(log, text)
    let writeCPU = cpuSeconds() - startCPU
    while linesRead(collector) < Double(count) { usleep(20_000) }
    let cpu = cpuSeconds() - startCPU - writeCPU
    let wall = wallSeconds() - startWall
    var metrics = MetricsBuilder()
    try? collector.collect(into: &metrics)
    let errors = metrics.build().first { $0.name.hasSuffix("_parse_errors_total") }?.samples.first?.value ?? -1
    precondition(errors == 0, "\(preset): \(errors) parse errors")
    let perCore = Double(count) / cpu
    print(
        preset.padding(17) + String(count).padding(11) + String(text.utf8.count / count).padding(12)
            + String(format3(cpu)).padding(8) + String(Int(perCore)).padding(18) + String(Int(cpu / Double(count) * 1e9))
            + "   (wall \(format3(wall)) s)")
}

func format3(_ value: Double) -> String { String(Double(Int(value * 1000)) / 1000) }

extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
