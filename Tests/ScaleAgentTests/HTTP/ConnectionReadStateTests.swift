import NIOCore
import Testing

@testable import ScaleAgent

/// When a connection is given up on, and whether it may make room for another, after each
/// sequence of events (times in seconds from the connection's start; read timeout 15 s, idle
/// timeout 300 s).
@Suite struct ConnectionReadStateTests {
    enum Event {
        case bytes(Int64), head(Int64), requestEnd, responseEnd(Int64)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let events: [Event]
        /// Seconds from the start, and which timeout; nil: none while being answered.
        let deadline: (Int64, ConnectionReadState.Timeout)?
        let evictable: Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "new connection: idle", events: [], deadline: (300, .idle), evictable: true),
        Case(name: "first byte starts the read timeout", events: [.bytes(10)], deadline: (25, .read), evictable: true),
        Case(
            name: "more bytes of the same head do not move it (slowloris)",
            events: [.bytes(10), .bytes(12), .bytes(14), .bytes(24)], deadline: (25, .read), evictable: true),
        Case(
            name: "a head with a body still arriving keeps the deadline of its first byte",
            events: [.bytes(10), .head(11), .bytes(20)], deadline: (25, .read), evictable: true),
        Case(
            name: "a request read whole is being answered: no deadline, not evictable",
            events: [.bytes(10), .head(10), .requestEnd], deadline: nil, evictable: false),
        Case(
            name: "the response ends: idle from then on",
            events: [.bytes(10), .head(10), .requestEnd, .responseEnd(40)], deadline: (340, .idle), evictable: true),
        Case(
            name: "the next request on the connection starts its own read timeout",
            events: [.bytes(10), .head(10), .requestEnd, .responseEnd(40), .bytes(100)], deadline: (115, .read),
            evictable: true),
        Case(
            name: "answered before its body was read (413): the rest must still arrive in time",
            events: [.bytes(10), .head(10), .responseEnd(11), .bytes(20)], deadline: (25, .read), evictable: true),
        Case(
            name: "pipelined: the second request read while the first is answered",
            events: [.bytes(10), .head(10), .requestEnd, .head(11), .requestEnd, .responseEnd(12)], deadline: nil,
            evictable: false),
        Case(
            name: "pipelined: both answered",
            events: [.bytes(10), .head(10), .requestEnd, .head(11), .requestEnd, .responseEnd(12), .responseEnd(13)],
            deadline: (313, .idle), evictable: true),
    ]

    @Test(arguments: cases) func deadlineAndEviction(_ test: Case) {
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)
        func at(_ seconds: Int64) -> NIODeadline { start + .seconds(seconds) }
        var state = ConnectionReadState(now: start, readTimeout: .seconds(15), idleTimeout: .seconds(300))
        for event in test.events {
            switch event {
            case .bytes(let t): state.bytesArrived(now: at(t))
            case .head(let t): state.headArrived(now: at(t))
            case .requestEnd: state.requestEnded()
            case .responseEnd(let t): state.responseEnded(now: at(t))
            }
        }
        #expect(state.deadline?.at == test.deadline.map { at($0.0) })
        #expect(state.deadline?.timeout == test.deadline?.1)
        #expect(state.isEvictable == test.evictable)
    }
}
