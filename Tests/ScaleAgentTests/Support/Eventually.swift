import Testing

/// Polls `condition` every 10 ms until it holds or `timeout` passes; records an issue then.
/// For conditions another thread makes true, never for timing assertions.
func eventually(
    _ what: String, timeout: Duration = .seconds(20), sourceLocation: Testing.SourceLocation = #_sourceLocation,
    _ condition: () throws -> Bool
) async rethrows {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return }
        try? await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("timed out waiting until \(what)", sourceLocation: sourceLocation)
}
