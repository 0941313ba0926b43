import AsyncHTTPClient
import Foundation
import MetricStore
import NIOCore
import NIOPosix

/// `scalewatch alerts`: a running agent's pending, firing, silenced and inhibited alerts, read
/// over its HTTP API and printed as a table or JSON.
public enum AlertsCommands {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The agent to ask: `--url`, else the listen address of `--config` or the installed config,
    /// else the default address.
    public static func agentURL(url: String?, configFile: String?) throws -> String {
        if let url {
            var trimmed = url
            while trimmed.hasSuffix("/") { trimmed.removeLast() }
            return trimmed
        }
        var address = AgentConfig().listenAddress
        if let configFile {
            address = try ConfigLoader.load(file: configFile).listenAddress
        } else if PosixFileSystem().exists(DataDirectoryResolution.installedConfigFile) {
            address = try ConfigLoader.load(file: DataDirectoryResolution.installedConfigFile).listenAddress
        }
        // An agent listening on every address answers on loopback.
        let host = ["", "0.0.0.0", "::", "[::]"].contains(address.host) ? "127.0.0.1" : address.host
        return "http://\(host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host):\(address.port)"
    }

    /// Both answers, joined. AsyncHTTPClient retries a refused connection until `timeout`, so an
    /// agent that is not running is reported after it.
    public static func fetch(from url: String, timeout: TimeAmount = .seconds(10)) async throws -> [ListedAlert] {
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        do {
            let rules = try await get(url + "/api/v1/alerts", client, timeout)
            let notified = try await get(url + "/api/v2/alerts", client, timeout)
            try await client.shutdown()
            return try ListedAlert.parse(rulesAlerts: rules, notifiedAlerts: notified)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private static func get(_ url: String, _ client: HTTPClient, _ timeout: TimeAmount) async throws -> [UInt8] {
        let response: HTTPClientResponse
        do {
            response = try await client.execute(HTTPClientRequest(url: url), timeout: timeout)
        } catch {
            throw Failure(description: "cannot reach the agent at \(url): \(error)")
        }
        let body = try await response.body.collect(upTo: 64 << 20)
        guard response.status == .ok else {
            throw Failure(description: "\(url) answered \(response.status.code): \(String(buffer: body).prefix(200))")
        }
        return Array(buffer: body)
    }

    /// The table (ages counted from now) or the JSON.
    public static func render(_ alerts: [ListedAlert], json asJSON: Bool) -> String {
        asJSON ? json(alerts) : table(alerts, now: UnixTime.nowMilliseconds())
    }

    /// One line per alert, oldest first: AGE STATE SEVERITY STAGE ALERT SUMMARY.
    public static func table(_ alerts: [ListedAlert], now: Int64) -> String {
        guard !alerts.isEmpty else { return "No alerts: nothing is pending or firing.\n" }
        var rows = [["AGE", "STATE", "SEVERITY", "STAGE", "ALERT", "SUMMARY"]]
        for alert in alerts {
            rows.append([
                alert.activeAt.map { age(milliseconds: now - $0) } ?? "-", alert.displayState, alert.labels["severity"] ?? "-",
                alert.labels["stage"] ?? "-", alert.labels["alertname"] ?? "-",
                (alert.annotations["summary"] ?? "").replacingOccurrences(of: "\n", with: " "),
            ])
        }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            (0..<5).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") + "  " + row[5]
        }.map { $0.trimmingTrailingSpaces() }.joined(separator: "\n") + "\n"
    }

    /// `--output json`: the same alerts with their state, for machines.
    public static func json(_ alerts: [ListedAlert]) -> String {
        var json = JSONWriter()
        json.beginArray()
        for alert in alerts {
            json.beginObject()
            json.key("labels")
            object(alert.labels, &json)
            json.key("annotations")
            object(alert.annotations, &json)
            json.key("state")
            json.string(alert.displayState)
            if let activeAt = alert.activeAt {
                json.key("activeAt")
                json.string(RFC3339Format.string(milliseconds: activeAt))
            }
            json.key("silencedBy")
            json.beginArray()
            for id in alert.silencedBy { json.string(id) }
            json.endArray()
            json.key("inhibitedBy")
            json.beginArray()
            for id in alert.inhibitedBy { json.string(id) }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        return json.text + "\n"
    }

    private static func object(_ values: [String: String], _ json: inout JSONWriter) {
        json.beginObject()
        for key in values.keys.sorted() {
            json.key(key)
            json.string(values[key]!)
        }
        json.endObject()
    }

    /// `45s`, `12m`, `3h5m`, `2d4h`.
    static func age(milliseconds: Int64) -> String {
        let seconds = max(0, milliseconds / 1000)
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" }
        if seconds < 86400 { return "\(seconds / 3600)h\(seconds % 3600 / 60 > 0 ? "\(seconds % 3600 / 60)m" : "")" }
        return "\(seconds / 86400)d\(seconds % 86400 / 3600 > 0 ? "\(seconds % 86400 / 3600)h" : "")"
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
