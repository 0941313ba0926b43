import NIOConcurrencyHelpers

/// What the web config file's protections refused, and whether the file in force is the one
/// on disk: `scalewatch_http_auth_failures_total{reason}`,
/// `scalewatch_http_tls_handshake_failures_total{reason}`,
/// `scalewatch_web_config_last_reload_successful` and `…_reload_failures_total`.
public final class WebSecurityCounters: Sendable {
    /// `plain_http`: a client spoke HTTP to the TLS listener; `handshake`: any other failed
    /// handshake (no or an unverifiable client certificate, no common version or cipher).
    public enum TLSFailure: String, Sendable, CaseIterable {
        case plainHTTP = "plain_http"
        case handshake
    }

    private struct Counts {
        var auth: [AuthFailureReason: Int] = [:]
        var tls: [TLSFailure: Int] = [:]
        var reloadFailures = 0
        var lastReloadSuccessful = true
    }
    private let counts = NIOLockedValueBox(Counts())

    public init() {}

    func record(_ reason: AuthFailureReason) { counts.withLockedValue { $0.auth[reason, default: 0] += 1 } }
    func record(_ failure: TLSFailure) { counts.withLockedValue { $0.tls[failure, default: 0] += 1 } }
    func recordReload(success: Bool) {
        counts.withLockedValue {
            $0.lastReloadSuccessful = success
            if !success { $0.reloadFailures += 1 }
        }
    }

    public func authFailures(_ reason: AuthFailureReason) -> Int { counts.withLockedValue { $0.auth[reason] ?? 0 } }
    public func tlsFailures(_ failure: TLSFailure) -> Int { counts.withLockedValue { $0.tls[failure] ?? 0 } }

    /// Every series from the start (zeros included), so that rate() has a beginning.
    public func report(into metrics: inout MetricsBuilder) {
        let counts = self.counts.withLockedValue { $0 }
        for reason in AuthFailureReason.allCases {
            metrics.counter(
                "scalewatch_http_auth_failures_total", "HTTP requests refused by basic authentication, by reason.",
                Double(counts.auth[reason] ?? 0), ["reason": reason.rawValue])
        }
        for failure in TLSFailure.allCases {
            metrics.counter(
                "scalewatch_http_tls_handshake_failures_total", "Connections to the TLS listener whose handshake failed, by reason.",
                Double(counts.tls[failure] ?? 0), ["reason": failure.rawValue])
        }
        metrics.counter(
            "scalewatch_web_config_reload_failures_total",
            "Times a changed web config file was refused; the previous one stays in force.", Double(counts.reloadFailures))
        metrics.gauge(
            "scalewatch_web_config_last_reload_successful", "Whether the web config file on disk is the one in force.",
            counts.lastReloadSuccessful ? 1 : 0)
    }
}
