import Testing

@testable import ScaleAgent

/// `--since`, `--start`, `--end` and `--step` of a range query resolved against a fixed now.
@Suite struct QueryWindowTests {
    static let now: Int64 = 1_700_000_000_000

    @Test(arguments: [
        // since, start, end, step → start, end, step
        ((3_600_000 as Int64?, nil as Int64?, nil as Int64?, nil as Int64?), QueryWindow(start: now - 3_600_000, end: now, step: 15_000)),
        ((nil, nil, nil, 60_000), QueryWindow(start: now - 3_600_000, end: now, step: 60_000)),
        ((300_000, nil, now - 1_000, nil), QueryWindow(start: now - 301_000, end: now - 1_000, step: 2_000)),
        ((nil, now - 10_000, nil, nil), QueryWindow(start: now - 10_000, end: now, step: 1_000)),
        ((nil, now, now, nil), QueryWindow(start: now, end: now, step: 1_000)),
        ((86_400_000, nil, nil, nil), QueryWindow(start: now - 86_400_000, end: now, step: 360_000)),
    ])
    func resolves(_ given: (Int64?, Int64?, Int64?, Int64?), _ expected: QueryWindow) throws {
        #expect(try QueryWindow.resolve(since: given.0, start: given.1, end: given.2, step: given.3, now: Self.now) == expected)
    }

    @Test(arguments: [
        (3_600_000 as Int64?, now as Int64?, nil as Int64?, nil as Int64?),
        (nil, now, now - 1, nil),
        (0, nil, nil, nil),
        (nil, nil, nil, -1),
        (Int64.max, nil, Int64.min + 5, nil),
    ])
    func refuses(_ since: Int64?, _ start: Int64?, _ end: Int64?, _ step: Int64?) {
        #expect(throws: QueryWindow.Invalid.self) { try QueryWindow.resolve(since: since, start: start, end: end, step: step, now: Self.now) }
    }
}
