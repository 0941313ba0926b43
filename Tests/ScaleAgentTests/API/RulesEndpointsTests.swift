import AlertEngine
import Testing

@testable import ScaleAgent

/// `/api/v1/alerts` and `/api/v1/rules` over HTTP, from a real scheduler evaluating a rule file
/// against the test store (`up{job="b"}` is 0 throughout): Prometheus' exact JSON, its filters
/// and its refusals.
@Suite struct RulesEndpointsTests {
    static let rules = """
        groups:
          - name: availability
            interval: 15s
            rules:
              - record: job:up:sum
                expr: sum by (job) (up)
              - alert: TargetDown
                expr: up == 0
                for: 1m
                labels:
                  severity: page
                annotations:
                  summary: "{{ $labels.job }} is down"
              - alert: TargetFlapping
                expr: changes(up[5m]) > 2
                keep_firing_for: 5m
          - name: broken
            interval: 15s
            rules:
              - record: broken:sum
                expr: up + on() up
        """

    /// 22:13:20 (the start), 22:13:35 and 22:13:50: TargetDown pending, since the start.
    static let pendingAt: [Int64] = [0, 15_000, 30_000].map { APIServerUnderTest.start + $0 }
    /// Five evaluations up to 22:14:20: TargetDown's minute is over.
    static let firingAt: [Int64] = [0, 15_000, 30_000, 45_000, 60_000].map { APIServerUnderTest.start + $0 }

    private static func load(_ server: APIServerUnderTest, evaluatingAt times: [Int64]) throws -> String {
        let file = try server.directory.write("rules.yml", rules)
        server.rules.apply(try RuleCompiler.load(paths: [file], defaultInterval: 15_000), externalLabels: [:])
        for time in times { server.rules.evaluateDue(at: time) }
        return file
    }

    /// Durations are measured, so they are replaced before a comparison.
    private static func withoutDurations(_ text: String) -> String {
        text.replacing(/"evaluationTime":[0-9.e+-]+/, with: #""evaluationTime":T"#)
    }

    static let firingAlert =
        #"{"labels":{"alertname":"TargetDown","instance":"h:2","job":"b","severity":"page"},"#
        + #""annotations":{"summary":"b is down"},"state":"firing","activeAt":"2023-11-14T22:13:20Z","value":"0e+00"}"#

    @Test func alertsListsPendingAndFiring() async throws {
        try await APIServerUnderTest.with { server in
            #expect(try await server.get("/api/v1/alerts").text == #"{"status":"success","data":{"alerts":[]}}"#)
            _ = try Self.load(server, evaluatingAt: Self.pendingAt)
            let pending = try await server.get("/api/v1/alerts")
            #expect(pending.status == .ok)
            #expect(pending.headers.first(name: "Content-Type") == "application/json")
            #expect(
                pending.text == #"{"status":"success","data":{"alerts":["#
                    + Self.firingAlert.replacing(#""state":"firing""#, with: #""state":"pending""#) + "]}}")
            server.rules.evaluateDue(at: Self.firingAt[3])
            server.rules.evaluateDue(at: Self.firingAt[4])
            #expect(try await server.get("/api/v1/alerts").text == #"{"status":"success","data":{"alerts":["# + Self.firingAlert + "]}}")
        }
    }

    @Test func rulesInPrometheusShape() async throws {
        try await APIServerUnderTest.with { server in
            #expect(try await server.get("/api/v1/rules").text == #"{"status":"success","data":{"groups":[]}}"#)
            let file = try Self.load(server, evaluatingAt: Self.firingAt)
            let last = #""lastEvaluation":"2023-11-14T22:14:20Z""#
            let expected =
                #"{"status":"success","data":{"groups":[{"name":"availability","file":"\#(file)","rules":["#
                + #"{"name":"job:up:sum","query":"sum by (job) (up)","health":"ok","evaluationTime":T,\#(last),"type":"recording"},"#
                + #"{"state":"firing","name":"TargetDown","query":"up == 0","duration":60,"keepFiringFor":0,"#
                + #""labels":{"severity":"page"},"annotations":{"summary":"{{ $labels.job }} is down"},"#
                + #""alerts":[\#(Self.firingAlert)],"health":"ok","evaluationTime":T,\#(last),"type":"alerting"},"#
                + #"{"state":"inactive","name":"TargetFlapping","query":"changes(up[5m]) > 2","duration":0,"keepFiringFor":300,"#
                + #""labels":{},"annotations":{},"alerts":[],"health":"ok","evaluationTime":T,\#(last),"type":"alerting"}],"#
                + #""interval":15,"limit":0,"evaluationTime":T,\#(last)},"#
                + #"{"name":"broken","file":"\#(file)","rules":["#
                + #"{"name":"broken:sum","query":"up + on() up","health":"err","lastError":"#
            let text = Self.withoutDurations(try await server.get("/api/v1/rules").text)
            #expect(text.hasPrefix(expected), "\(text)")
            #expect(text.hasSuffix(#","evaluationTime":T,\#(last),"type":"recording"}],"interval":15,"limit":0,"evaluationTime":T,\#(last)}]}}"#))
        }
    }

    @Test func rulesBeforeTheFirstEvaluation() async throws {
        try await APIServerUnderTest.with { server in
            _ = try Self.load(server, evaluatingAt: [])
            let text = try await server.get("/api/v1/rules?rule_name[]=job:up:sum").text
            #expect(
                Self.withoutDurations(text).hasSuffix(
                    #"{"name":"job:up:sum","query":"sum by (job) (up)","health":"unknown","evaluationTime":T,"#
                        + #""lastEvaluation":"0001-01-01T00:00:00Z","type":"recording"}],"interval":15,"limit":0,"#
                        + #""evaluationTime":T,"lastEvaluation":"0001-01-01T00:00:00Z"}]}}"#))
        }
    }

    /// Which rules each filter keeps, by name; a group left without rules is left out.
    @Test(arguments: [
        ("", ["job:up:sum", "TargetDown", "TargetFlapping", "broken:sum"]),
        ("?type=alert", ["TargetDown", "TargetFlapping"]),
        ("?type=RECORD", ["job:up:sum", "broken:sum"]),
        ("?rule_name[]=TargetDown&rule_name[]=broken:sum", ["TargetDown", "broken:sum"]),
        ("?rule_group[]=broken", ["broken:sum"]),
        ("?type=alert&rule_group[]=broken", []),
        ("?file[]=/nowhere.yml", []),
    ])
    func filters(_ query: String, _ names: [String]) async throws {
        try await APIServerUnderTest.with { server in
            _ = try Self.load(server, evaluatingAt: Self.pendingAt)
            let text = try await server.get("/api/v1/rules" + query).text
            let found = text.matches(of: /\{(?:"state":"\w+",)?"name":"([^"]+)","query"/).map { String($0.output.1) }
            #expect(found == names)
            #expect(text.contains(#""groups":[]"#) == names.isEmpty)
        }
    }

    @Test func excludeAlertsLeavesTheListsEmpty() async throws {
        try await APIServerUnderTest.with { server in
            _ = try Self.load(server, evaluatingAt: Self.firingAt)
            let text = try await server.get("/api/v1/rules?type=alert&exclude_alerts=true").text
            #expect(text.contains(#""state":"firing","name":"TargetDown""#))
            #expect(!text.contains(#""alerts":[{"#))
        }
    }

    @Test(arguments: [
        ("/api/v1/rules?type=alerts", #"invalid parameter \"type\": not supported value \"alerts\""#),
        (
            "/api/v1/rules?exclude_alerts=maybe",
            #"invalid parameter \"exclude_alerts\": error converting exclude_alerts: strconv.ParseBool: parsing \"maybe\": invalid syntax"#
        ),
    ])
    func refusals(_ uri: String, _ message: String) async throws {
        try await APIServerUnderTest.with { server in
            let response = try await server.get(uri)
            #expect(response.status == .badRequest)
            #expect(response.text == #"{"status":"error","errorType":"bad_data","error":"\#(message)"}"#)
        }
    }

    @Test(arguments: [(0.0, "0e+00"), (1, "1e+00"), (42.5, "4.25e+01"), (0.001, "1e-03"), (.nan, "NaN"), (-.infinity, "-Inf")])
    func alertValuesInGoExponentForm(_ value: Double, _ text: String) {
        #expect(RulesEndpoints.exponentForm(value) == text)
    }
}
