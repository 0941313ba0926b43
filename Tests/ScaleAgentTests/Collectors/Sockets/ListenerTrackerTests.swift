import Testing
@testable import ScaleAgent

@Suite struct ListenerTrackerTests {
    let web4 = SocketEndpoint(address: "0.0.0.0", port: 80)
    let web6 = SocketEndpoint(address: "::", port: 80)
    let db = SocketEndpoint(address: "127.0.0.1", port: 5432)

    private func gone(_ tracker: ListenerTracker) -> [UInt16: Int] {
        Dictionary(uniqueKeysWithValues: tracker.goneTotals.map { ($0.port, $0.count) })
    }

    @Test func firstSightIsNotAnOutage() {
        var tracker = ListenerTracker(hold: .seconds(60))
        let listeners = tracker.update(listening: [web4: 1, web6: 2, db: 3], now: .seconds(0))
        #expect(listeners.map(\.endpoint) == [web6, web4, db].sorted())
        #expect(listeners.allSatisfy { $0.up })
        #expect(gone(tracker) == [80: 0, 5432: 0])
    }

    @Test func aPortThatStopsListeningIsDownForTheHoldThenForgotten() {
        var tracker = ListenerTracker(hold: .seconds(60))
        _ = tracker.update(listening: [web4: 1, web6: 2, db: 3], now: .seconds(0))
        // Both addresses of port 80 go at once: one outage of the port.
        var listeners = tracker.update(listening: [db: 3], now: .seconds(10))
        #expect(listeners.filter { !$0.up }.map(\.endpoint) == [web6, web4].sorted())
        #expect(gone(tracker) == [80: 1, 5432: 0])
        listeners = tracker.update(listening: [db: 3], now: .seconds(69))
        #expect(listeners.count == 3)
        listeners = tracker.update(listening: [db: 3], now: .seconds(70))
        #expect(listeners.map(\.endpoint) == [db])
        #expect(gone(tracker) == [5432: 0])
    }

    @Test func aPortThatComesBackIsUpAndKeepsItsCount() {
        var tracker = ListenerTracker(hold: .seconds(60))
        _ = tracker.update(listening: [web4: 1], now: .seconds(0))
        _ = tracker.update(listening: [:], now: .seconds(10))
        let listeners = tracker.update(listening: [web4: 7], now: .seconds(20))
        #expect(listeners == [.init(endpoint: web4, up: true)])
        #expect(gone(tracker) == [80: 1])
    }

    @Test func aNewSocketBetweenCollectionsIsARestart() {
        var tracker = ListenerTracker(hold: .seconds(60))
        _ = tracker.update(listening: [web4: 1, db: 3], now: .seconds(0))
        _ = tracker.update(listening: [web4: 9, db: 3], now: .seconds(10))
        #expect(gone(tracker) == [80: 1, 5432: 0])
        _ = tracker.update(listening: [web4: 9, db: 3], now: .seconds(20))
        #expect(gone(tracker) == [80: 1, 5432: 0])
        #expect(tracker.remembers(web4))
        #expect(!tracker.remembers(web6))
    }
}
