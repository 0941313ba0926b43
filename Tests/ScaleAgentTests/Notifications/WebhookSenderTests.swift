import Testing
import TestSupport

@testable import ScaleAgent

/// The sender against a real HTTP server that answers as each case says.
@Suite(.serialized) struct WebhookSenderTests {
    static func webhook(_ url: String, timeout: Duration = .seconds(2)) -> WebhookSettings {
        var webhook = WebhookSettings(url: url)
        webhook.timeout = timeout
        return webhook
    }

    @Test(arguments: [
        (TestHTTPReceiver.Answer.status(200), DeliveryOutcome.delivered),
        (.status(204), .delivered),
        (.status(503), .retryable(reason: .serverError, retryAfter: nil)),
        (.status(500), .retryable(reason: .serverError, retryAfter: nil)),
        (.status(429, headers: ["Retry-After": "7"]), .retryable(reason: .clientError, retryAfter: .seconds(7))),
        (.status(400), .refused(reason: .clientError)),
        (.status(404), .refused(reason: .clientError)),
        (.status(301, headers: ["Location": "http://127.0.0.1:1/"]), .refused(reason: .other)),
    ])
    func classifiesTheAnswer(_ answer: TestHTTPReceiver.Answer, _ expected: DeliveryOutcome) async throws {
        let receiver = TestHTTPReceiver()
        try await receiver.start()
        receiver.answer([answer])
        let sender = WebhookSender()
        let (outcome, _) = await sender.send(body: #"{"a":1}"#, idempotencyKey: "k1", to: Self.webhook(receiver.url))
        #expect(outcome == expected)
        let request = try #require(receiver.requests.first)
        #expect(request.method == "POST" && request.uri == "/alerts" && request.body == #"{"a":1}"#)
        #expect(request.header("Idempotency-Key") == "k1")
        #expect(request.header("Content-Type") == "application/json")
        await sender.shutdown()
        await receiver.stop()
    }

    @Test func aHangIsATimeoutAndRetried() async throws {
        let receiver = TestHTTPReceiver()
        try await receiver.start()
        receiver.answer([.hang])
        let sender = WebhookSender()
        let started = ContinuousClock.now
        let (outcome, detail) = await sender.send(body: "{}", idempotencyKey: "k", to: Self.webhook(receiver.url, timeout: .milliseconds(300)))
        #expect(outcome == .retryable(reason: .other, retryAfter: nil))
        #expect(detail == "timeout")
        // Cut by the 300 ms timeout, not hung; the bound leaves room for a busy test run.
        #expect(ContinuousClock.now - started < .seconds(60))
        await sender.shutdown()
        await receiver.stop()
    }

    @Test func aReceiverThatIsDownIsRetried() async throws {
        let receiver = TestHTTPReceiver()
        let port = try await receiver.start()
        await receiver.stop()
        let sender = WebhookSender()
        let (outcome, _) = await sender.send(body: "{}", idempotencyKey: "k", to: Self.webhook("http://127.0.0.1:\(port)/"))
        #expect(outcome == .retryable(reason: .other, retryAfter: nil))
        await sender.shutdown()
    }

    @Test func credentialsComeFromTheirFiles() async throws {
        let directory = TestDirectory(prefix: "webhook-sender")
        defer { directory.remove() }
        let token = try directory.write("token", "s3cret\n")
        let password = try directory.write("password", "pa55")
        let receiver = TestHTTPReceiver()
        try await receiver.start()
        let sender = WebhookSender()
        var bearer = Self.webhook(receiver.url)
        bearer.http.authentication = .authorization(type: "Bearer", credentialsFile: token)
        _ = await sender.send(body: "{}", idempotencyKey: "k", to: bearer)
        var basic = Self.webhook(receiver.url)
        basic.http.authentication = .basic(username: "alice", passwordFile: password)
        _ = await sender.send(body: "{}", idempotencyKey: "k", to: basic)
        #expect(receiver.requests.map { $0.header("Authorization") } == ["Bearer s3cret", "Basic YWxpY2U6cGE1NQ=="])

        var missing = Self.webhook(receiver.url)
        missing.http.authentication = .authorization(type: "Bearer", credentialsFile: directory.file("absent"))
        let (outcome, detail) = await sender.send(body: "{}", idempotencyKey: "k", to: missing)
        #expect(outcome == .retryable(reason: .other, retryAfter: nil))
        #expect(detail?.contains("credentials_file") == true && detail?.contains("absent") == true)
        #expect(receiver.requests.count == 2, "nothing is sent without the credentials")
        await sender.shutdown()
        await receiver.stop()
    }

    @Test(arguments: [
        ("7", Duration.seconds(7)), (" 0 ", .zero), ("Sun, 06 Dec 2026 18:40:30 GMT", .seconds(30)),
        ("Sun, 06 Dec 2026 18:39:00 GMT", .zero),
    ])
    func readsBothFormsOfRetryAfter(_ text: String, _ expected: Duration) {
        #expect(WebhookSender.retryAfter(text, now: 1_796_582_400) == expected)
    }

    @Test(arguments: ["-1", "soon", "Sunday, 06-Dec-26 18:40:30 GMT"])
    func ignoresOtherRetryAfters(_ text: String) {
        #expect(WebhookSender.retryAfter(text, now: 1_796_582_400) == nil)
    }
}
