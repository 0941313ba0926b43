// CPU cost of each collector and of rendering, on this host: the figures behind the issue's
// "CPU per collection cycle plus one render" target. Run a release build:
//   swift build -c release --product collector-benchmark && .build/release/collector-benchmark [iterations]
import Logging
import ScaleAgent

#if canImport(Glibc)
import Glibc
#endif

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

let iterations = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 200 : 200
let collectors = CollectorCatalog.make(settings: CollectorSettings(), paths: HostPaths(), system: LinuxHostSystem())
    + [ProcessSelfCollector()]

var total = 0.0
var families: [MetricFamily] = []
print("collector        CPU µs per collect (\(iterations) iterations, one thread)")
for collector in collectors {
    let start = cpuSeconds()
    for _ in 0..<iterations {
        var metrics = MetricsBuilder()
        try? collector.collect(into: &metrics)
        if collector.name == collectors.last?.name { families = metrics.build() }
    }
    let micros = (cpuSeconds() - start) / Double(iterations) * 1e6
    total += micros
    print(collector.name.padding(16) + String(Int(micros.rounded())))
}
var all = MetricsBuilder()
for collector in collectors { try? collector.collect(into: &all) }
families = all.build()
let renderStart = cpuSeconds()
for _ in 0..<iterations { _ = ExpositionRenderer.render(families, as: .text) }
let render = (cpuSeconds() - renderStart) / Double(iterations) * 1e6
print("render (text)".padding(16) + String(Int(render.rounded())))

let runner = CollectorRunner(collectors: collectors, timeout: .seconds(5), logger: Logger(label: "bench"))
let runnerStart = cpuSeconds()
for _ in 0..<iterations { _ = await runner.collectAll() }
let runnerMicros = (cpuSeconds() - runnerStart) / Double(iterations) * 1e6
_ = await runner.shutdown(within: .seconds(10))
print("sum of collectors".padding(16) + String(Int(total.rounded())))
print("runner, all collectors".padding(16) + " " + String(Int(runnerMicros.rounded())))

extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
