import Hummingbird

/// What the lifecycle endpoints do, given by the agent: the reload that SIGHUP also triggers,
/// and the graceful shutdown that SIGTERM also triggers.
public struct LifecycleActions: Sendable {
    /// Applies the config file again; the failure says why the running config was kept.
    let reload: @Sendable () async -> Result<Void, any Error>
    /// Starts the agent's graceful shutdown and returns at once (the answer is still sent:
    /// the HTTP service waits for requests in flight).
    let quit: @Sendable () -> Void

    public init(reload: @escaping @Sendable () async -> Result<Void, any Error>, quit: @escaping @Sendable () -> Void) {
        self.reload = reload
        self.quit = quit
    }
}

/// Prometheus' lifecycle API, `POST|PUT /-/reload` and `POST|PUT /-/quit`, with its answers:
/// 403 "Lifecycle API is not enabled." unless `web.enable_lifecycle` (or
/// `--web.enable-lifecycle`) is on; a failed reload is 500 with the reason.
struct LifecycleEndpoints: Sendable {
    let enabled: Bool
    let actions: LifecycleActions

    func reload() async throws -> Response {
        try checkEnabled()
        switch await actions.reload() {
        case .success: return .text(.ok, "")
        case .failure(let error): throw HTTPError(.internalServerError, message: "failed to reload config: \(error)")
        }
    }

    func quit() throws -> Response {
        try checkEnabled()
        actions.quit()
        return .text(.ok, "Requesting termination... Goodbye!\n")
    }

    private func checkEnabled() throws {
        guard enabled else { throw HTTPError(.forbidden, message: "Lifecycle API is not enabled.") }
    }
}
