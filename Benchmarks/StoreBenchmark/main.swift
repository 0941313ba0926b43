import MetricStore

#if canImport(Glibc)
import Glibc
#endif

// store-benchmark live DATASET.om DIR [BLOCK_RANGE_MINUTES]
// store-benchmark decode DIR [REPETITIONS]
// store-benchmark import DATASET.om DIR   (the library call `scalewatch import` makes, for profiling)
let arguments = CommandLine.arguments
func usage() -> Never {
    print("usage: store-benchmark live DATASET.om DIR [BLOCK_RANGE_MINUTES] | decode DIR [REPETITIONS] | import DATASET.om DIR")
    exit(2)
}
do {
    switch arguments.count > 1 ? arguments[1] : "" {
    case "live" where arguments.count >= 4:
        let dataset = try Dataset.load(openMetricsFile: arguments[2])
        let minutes = arguments.count > 4 ? Int64(arguments[4]) ?? 5 : 5
        try LiveAppendBenchmark(dataset: dataset, directory: arguments[3], blockRangeMinutes: minutes).run()
    case "decode" where arguments.count >= 3:
        let repetitions = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5
        try DecodeBenchmark(directory: arguments[2], repetitions: repetitions).run()
    case "import" where arguments.count >= 4:
        let store = try Store.open(directory: arguments[3])
        let start = cpuSeconds()
        let summary = try store.importOpenMetrics(file: arguments[2])
        store.close()
        print("imported \(summary.samples) samples in \(format(cpuSeconds() - start)) s cpu")
    default:
        usage()
    }
} catch {
    print("store-benchmark: \(error)")
    exit(1)
}
