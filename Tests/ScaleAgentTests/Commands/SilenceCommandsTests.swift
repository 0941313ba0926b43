import Testing

@testable import ScaleAgent

/// `scalewatch silence add|query|expire` against the test server's real silence API.
@Suite struct SilenceCommandsTests {
    @Test func addQueryExpire() async throws {
        try await APIServerUnderTest.with { server in
            let url = "http://127.0.0.1:\(server.port)"
            #expect(try await SilenceCommands.query(url: url, matchers: [], expired: false) == "No silences.\n")
            let id = try await SilenceCommands.add(
                url: url, matchers: ["alertname=TargetDown", #"job=~"b|c""#], comment: "deploy", author: "ops", duration: "2h")
            let table = try await SilenceCommands.query(url: url, matchers: ["alertname=TargetDown"], expired: false)
            let lines = table.split(separator: "\n")
            #expect(lines.count == 2)
            #expect(lines.first?.hasPrefix("ID ") == true)
            #expect(lines.last?.hasPrefix("\(id)  alertname=\"TargetDown\" job=~\"b|c\"  ") == true)
            #expect(lines.last?.hasSuffix("  ops         deploy") == true)
            #expect(try await SilenceCommands.query(url: url, matchers: ["alertname=Other"], expired: false) == "No silences.\n")
            try await SilenceCommands.expire(url: url, ids: [id])
            #expect(try await SilenceCommands.query(url: url, matchers: [], expired: false) == "No silences.\n")
            #expect(try await SilenceCommands.query(url: url, matchers: [], expired: true).contains(id))
            await #expect(throws: AlertsCommands.Failure.self) { try await SilenceCommands.expire(url: url, ids: [id]) }
            await #expect(throws: AlertsCommands.Failure.self) {
                _ = try await SilenceCommands.add(url: url, matchers: ["job=~\".*\""], comment: "c", author: "a", duration: "1h")
            }
            await #expect(throws: AlertsCommands.Failure.self) {
                _ = try await SilenceCommands.add(url: url, matchers: ["alertname=X"], comment: "c", author: "a", duration: "soon")
            }
        }
    }
}
