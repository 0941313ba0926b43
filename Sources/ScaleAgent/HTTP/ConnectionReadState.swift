import NIOCore

/// What one HTTP connection is doing, as far as its time limits and its place under the
/// connection limit go. Pure: the handler feeds it events with the time they happened and asks
/// when to give up on the connection.
///
/// - A request must arrive whole (head and body) within `readTimeout` of its first byte: a
///   client trickling a byte every few seconds (slowloris) is cut, however it spreads them.
/// - A connection with nothing to read and nothing being answered may stay `idleTimeout`
///   (keep-alive between scrapes).
/// - While a fully read request is being answered, neither applies: the query timeouts bound that.
struct ConnectionReadState {
    enum Timeout: Equatable {
        case read, idle
    }

    let readTimeout: TimeAmount
    let idleTimeout: TimeAmount
    /// The first byte of the request being read; nil when no request is partly read.
    private(set) var readingSince: NIODeadline?
    /// When the connection last had nothing to read and nothing to answer.
    private(set) var idleSince: NIODeadline
    /// Heads received minus responses ended (more than one with pipelining).
    private var unanswered = 0
    /// Requests read to their end minus responses ended; above zero, a response is being made.
    private var readNotAnswered = 0

    init(now: NIODeadline, readTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.readTimeout = readTimeout
        self.idleTimeout = idleTimeout
        self.idleSince = now
    }

    /// Raw bytes came in; outside a request they start one.
    mutating func bytesArrived(now: NIODeadline) {
        if readingSince == nil { readingSince = now }
    }

    mutating func headArrived(now: NIODeadline) {
        unanswered += 1
        if readingSince == nil { readingSince = now }
    }

    mutating func requestEnded() {
        readingSince = nil
        readNotAnswered += 1
    }

    mutating func responseEnded(now: NIODeadline) {
        unanswered = max(0, unanswered - 1)
        readNotAnswered = max(0, readNotAnswered - 1)
        if unanswered == 0 { idleSince = now }
    }

    /// Whether the connection may be closed to make room for a new one: nothing that it asked
    /// for is being answered (it is idle, or still sending a request).
    var isEvictable: Bool { readNotAnswered == 0 }

    /// Since when the connection has been waiting on its client; the longest-waiting goes first.
    var waitingSince: NIODeadline { readingSince ?? idleSince }

    /// When to close the connection and why; nil while it is being answered.
    var deadline: (at: NIODeadline, timeout: Timeout)? {
        if let readingSince { return (readingSince + readTimeout, .read) }
        if unanswered == 0 { return (idleSince + idleTimeout, .idle) }
        return nil
    }
}
