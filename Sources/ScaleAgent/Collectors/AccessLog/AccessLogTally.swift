/// The counters of one access-log source, updated line by line by the follower's thread and
/// copied out (copy-on-write) when the collector renders them. Pure: no I/O, no clock.
///
/// Series are keyed by small integers (vhost and upstream indexes, method, status); label
/// strings are made once per new value, never per line. `vhost` and `upstream` values are
/// bounded: past `maxVhosts` / `maxUpstreams` distinct values, lines count under `other`.
struct AccessLogTally: Equatable, Sendable {
    struct Settings: Equatable, Sendable {
        var buckets: [Double] = AccessLogTally.defaultBuckets
        var maxVhosts = 20
        var maxUpstreams = 20
        /// A fixed `vhost` label for every line of the source.
        var fixedVhost: String?
    }

    /// Prometheus client libraries' defaults: 5 ms to 10 s.
    static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    struct SeriesKey: Hashable, Sendable {
        /// Index into `vhosts`; -1 for none.
        var vhost: Int32
        /// Index into `upstreams`; -1 for none.
        var upstream: Int32
        var method: AccessLogMethod
        var status: Int16
    }

    struct Series: Equatable, Sendable {
        var key: SeriesKey
        var count: Double = 0
        var bytes: Double = 0
        var responseTime: AccessLogHistogram
        var upstreamTime: AccessLogHistogram
    }

    let parser: AccessLogLineParser
    let settings: Settings
    private(set) var lines: Double = 0
    private(set) var parseErrors: Double = 0
    private(set) var series: [Series] = []
    private(set) var vhosts: AccessLogLabelValues
    private(set) var upstreams: AccessLogLabelValues
    private var indexByKey: [SeriesKey: Int] = [:]

    init(parser: AccessLogLineParser, settings: Settings = Settings()) {
        self.parser = parser
        self.settings = settings
        vhosts = AccessLogLabelValues(limit: settings.maxVhosts, fixed: settings.fixedVhost)
        upstreams = AccessLogLabelValues(limit: settings.maxUpstreams)
    }

    /// Counts one line (without its newline): a request, or a parse error.
    mutating func record(_ line: UnsafeBufferPointer<UInt8>) {
        lines += 1
        var entry = AccessLogEntry()
        guard parser.parse(line, into: &entry) else {
            parseErrors += 1
            return
        }
        let vhost: Int32
        if settings.fixedVhost != nil {
            vhost = 0
        } else if let range = entry.vhost {
            vhost = vhosts.index(of: line, range)
        } else {
            vhost = -1
        }
        let upstream = entry.upstream.map { upstreams.index(of: line, $0) } ?? -1
        let key = SeriesKey(vhost: vhost, upstream: upstream, method: entry.method, status: Int16(entry.status))
        let index: Int
        if let known = indexByKey[key] {
            index = known
        } else {
            index = series.count
            let histogram = AccessLogHistogram(boundCount: settings.buckets.count)
            series.append(Series(key: key, responseTime: histogram, upstreamTime: histogram))
            indexByKey[key] = index
        }
        series[index].count += 1
        series[index].bytes += entry.bytesSent
        if let time = entry.requestTime { series[index].responseTime.observe(time, bounds: settings.buckets) }
        if let time = entry.upstreamTime { series[index].upstreamTime.observe(time, bounds: settings.buckets) }
    }
}
