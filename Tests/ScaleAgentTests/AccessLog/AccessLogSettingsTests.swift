import Testing

@testable import ScaleAgent

@Suite struct AccessLogSettingsTests {
    private func parse(_ source: String) throws(ConfigError) -> AccessLogSettings {
        let indented = source.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n")
        return try ConfigLoader.parse("collectors:\n  access_logs:\n    sources:\n" + indented, file: "agent.yml").collectors.accessLogs
    }

    @Test func defaultsAndPresets() throws {
        let settings = try parse("""
            - files: [/var/log/nginx/access.log]
            - files: [/var/log/haproxy.log]
              format: haproxy
              vhost: $frontend_name
            - files: [/var/log/nginx/*.json]
              format: json
              json_fields: {status: s}
              vhost: $server_name
              namespace: web
              max_vhosts: 5
              buckets: [0.1, 1, 10]
            """)
        #expect(settings.sources.count == 3)
        #expect(settings.sources[0].namespace == "nginx" && settings.sources[0].formatText == "combined")
        #expect(settings.sources[0].buckets == AccessLogTally.defaultBuckets && settings.sources[0].vhost == nil)
        #expect(settings.sources[1].namespace == "haproxy" && settings.sources[1].vhost == .variable("frontend_name"))
        #expect(settings.sources[2].namespace == "web" && settings.sources[2].maxVhosts == 5 && settings.sources[2].buckets == [0.1, 1, 10])
        #expect(settings.sources[2].format == AccessLogFormat.json(keys: ["status": "s"]))
    }

    struct Bad: Sendable, CustomStringConvertible {
        var yaml: String
        var message: String
        var description: String { message }
    }

    static let bad: [Bad] = [
        Bad(yaml: "- format: combined", message: "collectors.access_logs.sources[0] needs files: the access logs to read"),
        Bad(yaml: "- files: []", message: "collectors.access_logs.sources[0].files must list at least one file"),
        Bad(
            yaml: "- files: [/a.log]\n  format: apache",
            message: "collectors.access_logs.sources[0].format must be one of combined, combined_timed, json, haproxy or a pattern with $variables, got 'apache'"),
        Bad(
            yaml: "- files: [/a.log]\n  format: '$status $'",
            message: "collectors.access_logs.sources[0].format: at character 10: expected a variable name after '$'"),
        Bad(
            yaml: "- files: [/a.log]\n  format: '$request_time'",
            message: "collectors.access_logs.sources[0].format: expected a $status variable: every request is counted by its status"),
        Bad(
            yaml: "- files: [/a.log]\n  vhost: $host",
            message: "collectors.access_logs.sources[0].vhost: the format has no variable $host (it has $remote_addr $remote_user $time_local $request $status $body_bytes_sent $http_referer $http_user_agent)"),
        Bad(yaml: "- files: [/a.log]\n  buckets: [1, 0.5]", message: "collectors.access_logs.sources[0].buckets must be in ascending order: 0.5 follows 1.0"),
        Bad(yaml: "- files: [/a.log]\n  buckets: [-1]", message: "collectors.access_logs.sources[0].buckets must hold positive numbers of seconds, got '-1'"),
        Bad(yaml: "- files: [/a.log]\n  json_fields: {status: s}", message: "collectors.access_logs.sources[0].json_fields applies to format: json only"),
        Bad(yaml: "- files: [/a.log]\n  namespace: 'my-ns'", message: "collectors.access_logs.sources[0].namespace must be a metric name prefix such as nginx, got 'my-ns'"),
        Bad(yaml: "- files: [relative.log]", message: "collectors.access_logs.sources[0].files must hold absolute paths, got 'relative.log'"),
    ]

    @Test(arguments: bad)
    func refuses(_ bad: Bad) {
        do {
            _ = try parse(bad.yaml)
            Issue.record("accepted: \(bad.yaml)")
        } catch {
            #expect(error.message == bad.message)
        }
    }
}
