#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging
import MetricStore
import NIOConcurrencyHelpers

/// node_exporter's textfile collector: the `*.prom` files of one directory, in the text
/// format, merged into /metrics and stored, for what only a batch job knows (a backup's last
/// success, a cron job's duration). A file that cannot be read or parsed is left out whole,
/// so its series go stale, and reported by `node_textfile_scrape_error 1` and one log line
/// with file and line (again only when its error changes); the other files still count.
/// `node_textfile_mtime_seconds{file}` tells a job that stopped writing from one that runs.
///
/// Jobs must write a temporary file and rename it into place: a half-written file would
/// otherwise be read as malformed, or worse, as complete.
public struct TextfileCollector: Collector {
    public let name = "textfile"
    private let directory: String?
    private let logger: Logger
    /// The error last logged per file, so that a file broken for hours is logged once.
    private let logged = NIOLockedValueBox<[String: String]>([:])

    public init(directory: String?, logger: Logger = Logger(label: "scalewatch.collector.textfile")) {
        self.directory = directory
        self.logger = logger
    }

    public func collect(into metrics: inout MetricsBuilder) throws {
        var errors: [String: String] = [:]
        var accepted = Accepted()
        if let directory {
            do throws(FileReadError) {
                let names = try FileReading.directoryEntries(atPath: directory)
                guard let names else { throw FileReadError(path: directory, errno: ENOENT) }
                for name in names where name.hasSuffix(".prom") {
                    let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
                    do {
                        try accepted.add(file: path, Self.read(path))
                    } catch {
                        errors[path] = String(describing: error)
                    }
                }
            } catch {
                errors[directory] = "cannot read the textfile directory: \(error)"
            }
        }
        accepted.report(into: &metrics)
        metrics.gauge(
            "node_textfile_scrape_error", "1 if there was an error opening or reading a file, 0 otherwise", errors.isEmpty ? 0 : 1)
        logChanges(errors)
    }

    /// A file's families and modification time; stat after parsing, so that a file that
    /// failed never looks fresh.
    static func read(_ path: String) throws -> (families: [TextFormatParser.Family], mtime: Double) {
        let families = try TextFormatParser.parse(FileReading.string(atPath: path), file: path)
        var info = stat()
        guard stat(path, &info) == 0 else { throw FileReadError(path: path, errno: errno) }
        return (families, Double(info.st_mtim.tv_sec))
    }

    private func logChanges(_ errors: [String: String]) {
        let changed = logged.withLockedValue { logged -> [(String, String)] in
            let new = errors.filter { logged[$0.key] != $0.value }.sorted { $0.key < $1.key }
            logged = errors
            return new
        }
        for (_, error) in changed {
            logger.warning("textfile left out", metadata: ["error": "\(error)"])
        }
    }

    /// The families of the files read so far, merged by name across files.
    struct Accepted {
        private(set) var families: [TextFormatParser.Family] = []
        private var indexByName: [String: Int] = [:]
        private var files: [String: [String]] = [:]
        private var series: Set<String> = []
        private var sampleTypes: [String: MetricType] = [:]
        private(set) var mtimes: [(file: String, seconds: Double)] = []

        /// Takes a whole file or nothing: a family declared with another type than in an
        /// earlier file, or a series an earlier file has, leaves the file out.
        mutating func add(file: String, _ parsed: (families: [TextFormatParser.Family], mtime: Double)) throws(ParseError) {
            var keys: [String] = []
            var types: [String: MetricType] = [:]
            for family in parsed.families {
                if let index = indexByName[family.name], families[index].type != family.type {
                    throw ParseError(
                        file: file, line: 0,
                        "\(family.name) is a \(family.type.rawValue) here but a \(families[index].type.rawValue) in \(files[family.name]?.first ?? "another file")")
                }
                for sample in family.samples {
                    // `x_count` of a histogram and an untyped `x_count` family are the same
                    // name in /metrics, so it must keep one type.
                    let type = Self.exposedType(family.type)
                    if let other = types[sample.name] ?? sampleTypes[sample.name], other != type {
                        throw ParseError(file: file, line: 0, "\(sample.name) is reported both as \(type.rawValue) and as \(other.rawValue)")
                    }
                    types[sample.name] = type
                    let key = sample.name + "\u{0}" + sample.labels.sorted().map { $0.name + "=" + $0.value }.joined(separator: "\u{0}")
                    if series.contains(key) {
                        throw ParseError(file: file, line: 0, "a series of \(sample.name) is already in \(files[family.name]?.joined(separator: ", ") ?? "another file")")
                    }
                    keys.append(key)
                }
            }
            series.formUnion(keys)
            sampleTypes.merge(types) { $1 }
            for family in parsed.families {
                files[family.name, default: []].append(file)
                if let index = indexByName[family.name] {
                    families[index].samples += family.samples
                    if families[index].help == nil { families[index].help = family.help }
                } else {
                    indexByName[family.name] = families.count
                    families.append(family)
                }
            }
            mtimes.append((file, parsed.mtime))
        }

        static func exposedType(_ declared: TextFormatParser.DeclaredType) -> MetricType {
            switch declared {
            case .counter: .counter
            case .gauge: .gauge
            case .untyped, .histogram, .summary: .untyped
            }
        }

        /// Histograms and summaries become untyped families per sample name: the exposition
        /// here has no histogram type, and the stored series are the same.
        func report(into metrics: inout MetricsBuilder) {
            for family in families {
                let help = family.help ?? "Metric read from \(files[family.name]?.joined(separator: ", ") ?? "")"
                for sample in family.samples {
                    metrics.add(sample.name, help, Self.exposedType(family.type), sample.value, labels: Labels(sample.labels))
                }
            }
            for (file, seconds) in mtimes.sorted(by: { $0.file < $1.file }) {
                metrics.gauge("node_textfile_mtime_seconds", "Unixtime mtime of textfiles successfully read.", seconds, ["file": file])
            }
        }
    }
}
