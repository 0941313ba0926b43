import MetricStore
import Testing

@testable import AlertEngine

@Suite struct AlertFingerprintTests {
    /// Values from Alertmanager's template tests (template/template_test.go).
    @Test(arguments: [
        (["severity": "warning", "job": "foo"], "9266ef3da838ad95"),
        (["severity": "critical", "job": "foo"], "3b15fd163d36582e"),
        ([:], "cbf29ce484222325"),
    ])
    func matchesAlertmanager(_ labels: [String: String], _ expected: String) {
        let fingerprint = AlertFingerprint(Labels(labels.map { Label($0.key, $0.value) }))
        #expect(fingerprint.description == expected)
        #expect(AlertFingerprint(hex: expected) == fingerprint)
    }

    @Test func hexMustBeSixteenDigits() {
        #expect(AlertFingerprint(hex: "123") == nil)
        #expect(AlertFingerprint(hex: "zzzzzzzzzzzzzzzz") == nil)
    }
}
