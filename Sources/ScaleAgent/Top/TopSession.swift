/// `scalewatch top`'s loop: ask the agent every interval, redraw at once when the terminal is
/// resized, quit on `q` or Ctrl-C with the terminal restored.
public enum TopSession {
    public static func run(agent url: String, intervalMilliseconds interval: Int64, intervalText: String) async throws {
        let terminal = try RawTerminal()
        defer { terminal.leave() }
        // Every query must be answered well within the interval, or the screen would lag behind.
        let client = AgentClient(baseURL: url, timeout: .milliseconds(max(1_000, interval)))
        var snapshot = TopSnapshot()
        var nextFetch = Int64.min
        var drawn: (TerminalSize, Int64)?
        while true {
            let now = UnixTime.nowMilliseconds()
            if now >= nextFetch {
                snapshot = await TopQueries.fetch(from: client, at: now)
                nextFetch = now + interval
            }
            let size = TerminalSize.of(1) ?? TerminalSize(columns: 80, rows: 24)
            if drawn == nil || drawn!.0 != size || drawn!.1 != nextFetch {
                terminal.draw(
                    TopScreen.render(
                        snapshot, columns: size.columns, rows: size.rows, agent: url, now: nextFetch - interval, interval: intervalText))
                drawn = (size, nextFetch)
            }
            let wait = Int(min(200, max(0, nextFetch - UnixTime.nowMilliseconds())))
            if terminal.waitForKey(milliseconds: wait) == .quit { return }
        }
    }
}
