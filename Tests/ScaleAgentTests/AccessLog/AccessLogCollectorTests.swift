import Logging
import MetricStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import ScaleAgent
import TestSupport

/// The collector on real files: requests counted once through both kinds of rotation, with
/// lines written while the rotation happens, and across a restart of the agent.
@Suite struct AccessLogCollectorTests {
    static func request(_ status: Int, _ time: String = "0.020", path: String = "/") -> String {
        #"127.0.0.1 - - [06/Dec/2026:20:00:00 +0000] "GET \#(path) HTTP/1.1" \#(status) 10 "-" "test" \#(time) \#(time)"# + "\n"
    }

    private func settings(_ log: String) throws -> AccessLogSettings {
        let yaml = """
            collectors:
              access_logs:
                sources:
                  - files: [\(log)]
                    format: combined_timed
                    vhost: shop
            """
        return try ConfigLoader.parse(yaml, file: "agent.yml").collectors.accessLogs
    }

    /// Collects after the follower has read everything (a rotated file is let go after a
    /// couple of quiet passes, hence the repeated waits). Async: a blocking wait of seconds
    /// would hold one of the few threads every other test's awaits resume on.
    private func collect(_ collector: AccessLogCollector) async throws -> [String: Double] {
        for _ in 0..<4 { #expect(await collector.runningFollower(0).caughtUp(timeout: .seconds(20))) }
        var builder = MetricsBuilder()
        try collector.collect(into: &builder)
        var values: [String: Double] = [:]
        for family in builder.build() {
            for sample in family.samples {
                let labels = sample.labels.pairs.filter { $0.name != "vhost" && $0.name != "method" }
                    .map { "\($0.name)=\($0.value)" }.joined(separator: ",")
                values["\(sample.name(in: family)){\(labels)}"] = sample.value
            }
        }
        return values
    }

    private func count(_ values: [String: Double], _ status: Int) -> Double {
        values["nginx_http_response_count_total{status=\(status)}"] ?? 0
    }

    @Test func countsEveryRequestOnceThroughRotationsAndARestart() async throws {
        let directory = TestDirectory(prefix: "scalewatch-accesslog")
        defer { directory.remove() }
        let log = directory.file("access.log")
        let data = directory.file("data")
        writeFile(log, Self.request(200))  // before the first run: not counted
        let settings = try settings(log)
        var registry = LogFollowerRegistry()
        var collector = AccessLogCollector(settings: settings, dataDirectory: data, logger: Logger(label: "test"), registry: registry)
        var values = try await collect(collector)
        #expect(count(values, 200) == 0)

        writeFile(log, Self.request(200) + Self.request(200) + Self.request(504, "60.001") + "garbage\n", append: true)
        values = try await collect(collector)
        #expect(count(values, 200) == 2)
        #expect(count(values, 504) == 1)
        #expect(values["nginx_parse_errors_total{}"] == 1)
        #expect(values["nginx_http_response_time_seconds_hist_bucket{le=0.025,status=200}"] == 2)
        #expect(values["nginx_http_upstream_time_seconds_hist_bucket{le=+Inf,status=504}"] == 1)
        #expect(values["nginx_http_upstream_time_seconds_hist_bucket{le=10,status=504}"] == 0)

        // Rename (logrotate's default, then `nginx -s reopen`); nginx writes to the old file
        // until it reopens.
        writeFile(log, Self.request(201), append: true)
        #expect(rename(log, log + ".1") == 0)
        writeFile(log + ".1", Self.request(201), append: true)
        writeFile(log, Self.request(201))
        values = try await collect(collector)
        #expect(count(values, 201) == 3)
        #expect(values["scalewatch_access_log_rotations_total{file=\(log),kind=rename}"] == 1)

        // Copy-truncate: the lines written since the last read are only in the copy.
        writeFile(log, Self.request(202), append: true)
        writeFile(log + "-20261206", (try? FileReading.string(atPath: log)) ?? "")
        #expect(truncate(log, 0) == 0)
        writeFile(log, Self.request(202), append: true)
        values = try await collect(collector)
        #expect(count(values, 202) == 2)
        #expect(values["scalewatch_access_log_rotations_total{file=\(log),kind=truncate}"] == 1)

        // A restart: what was rendered is not counted again, what was not is counted by the
        // next process.
        writeFile(log, Self.request(203), append: true)
        values = try await collect(collector)
        #expect(count(values, 203) == 1)
        writeFile(log, Self.request(204) + Self.request(204), append: true)
        #expect(await collector.runningFollower(0).caughtUp(timeout: .seconds(20)))
        #expect(await registry.stopAll(within: .seconds(10)).isEmpty)
        registry = LogFollowerRegistry()
        collector = AccessLogCollector(settings: settings, dataDirectory: data, logger: Logger(label: "test"), registry: registry)
        writeFile(log, Self.request(205), append: true)
        values = try await collect(collector)
        #expect(count(values, 203) == 0)
        #expect(count(values, 204) == 2)
        #expect(count(values, 205) == 1)
        #expect(count(values, 200) == 0)
        #expect(await registry.stopAll(within: .seconds(10)).isEmpty)
    }

    @Test func aMissingFileIsNotAnErrorAndIsReadFromItsStartOnceItAppears() async throws {
        let directory = TestDirectory(prefix: "scalewatch-accesslog")
        defer { directory.remove() }
        let log = directory.file("later.log")
        let registry = LogFollowerRegistry()
        defer { registry.stopAll(timeout: .seconds(10)) }
        let collector = AccessLogCollector(
            settings: try settings(log), dataDirectory: directory.file("data"), logger: Logger(label: "test"), registry: registry)
        #expect(count(try await collect(collector), 200) == 0)
        writeFile(log, Self.request(200) + Self.request(200))
        #expect(count(try await collect(collector), 200) == 2)
    }
}
