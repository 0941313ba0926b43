import MetricStore

#if canImport(Glibc)
import Glibc
#endif

/// The benchmark dataset as the agent would have collected it: one series' samples per
/// entry, in time order.
struct Dataset {
    var series: [(labels: Labels, samples: [Sample])]

    var sampleCount: Int { series.reduce(0) { $0 + $1.samples.count } }

    static func load(openMetricsFile path: String) throws -> Dataset {
        let bytes = try readFile(path)
        var parser = OpenMetricsParser(bytes: bytes, file: path)
        var samplesBySeries: [[Sample]] = []
        while let sample = try parser.next() {
            guard let timestamp = sample.timestamp else {
                throw BenchmarkError("\(path):\(parser.currentLine): the dataset needs a timestamp on every sample")
            }
            if sample.series == samplesBySeries.count { samplesBySeries.append([]) }
            samplesBySeries[sample.series].append(Sample(timestamp: timestamp, value: sample.value))
        }
        return Dataset(series: zip(parser.series, samplesBySeries).map { ($0, $1) })
    }

    /// Collection rounds: round `r` holds the `r`-th sample of every series, as one scrape of
    /// every exporter would deliver them to the store.
    func rounds() -> [[(labels: Labels, sample: Sample)]] {
        let count = series.map(\.samples.count).max() ?? 0
        var rounds: [[(labels: Labels, sample: Sample)]] = []
        rounds.reserveCapacity(count)
        for index in 0..<count {
            var round: [(labels: Labels, sample: Sample)] = []
            round.reserveCapacity(series.count)
            for entry in series where index < entry.samples.count {
                round.append((entry.labels, entry.samples[index]))
            }
            rounds.append(round)
        }
        return rounds
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func readFile(_ path: String) throws -> [UInt8] {
    guard let file = fopen(path, "rb") else { throw BenchmarkError("cannot open \(path): errno \(errno)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count == 0 { break }
        bytes.append(contentsOf: buffer[0..<count])
    }
    return bytes
}

/// Bytes of every regular file under `path` (what `du -sb` counts, minus directories).
func bytesOnDisk(_ path: String, excluding excluded: Set<String> = []) -> Int {
    guard let directory = opendir(path) else { return 0 }
    defer { closedir(directory) }
    var total = 0
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        if name == "." || name == ".." || excluded.contains(name) { continue }
        let child = path + "/" + name
        var info = stat()
        guard lstat(child, &info) == 0 else { continue }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            total += bytesOnDisk(child, excluding: excluded)
        } else {
            total += Int(info.st_size)
        }
    }
    return total
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
