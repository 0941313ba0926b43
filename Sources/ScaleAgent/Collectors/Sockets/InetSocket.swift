/// One TCP socket as the kernel describes it, from sock_diag or /proc/net/tcp{,6}.
///
/// For a listener, `receiveQueue` is the accept queue (connections the handshake finished
/// and `accept()` has not taken yet) and `sendQueue` its limit, the backlog given to
/// `listen()` capped by net.core.somaxconn; /proc/net/tcp does not show the backlog, so
/// there `sendQueue` is nil for listeners.
public struct InetSocket: Sendable, Equatable {
    public var state: TCPState
    public var local: SocketEndpoint
    public var remote: SocketEndpoint
    public var receiveQueue: UInt32
    public var sendQueue: UInt32?
    /// The socket's inode: a listener re-created on the same address gets a new one.
    public var inode: UInt32
    /// The smoothed round-trip time (`tcp_info.tcpi_rtt`), from sock_diag only.
    public var rttMicroseconds: UInt32?

    public init(
        state: TCPState, local: SocketEndpoint, remote: SocketEndpoint, receiveQueue: UInt32, sendQueue: UInt32?,
        inode: UInt32, rttMicroseconds: UInt32? = nil
    ) {
        self.state = state
        self.local = local
        self.remote = remote
        self.receiveQueue = receiveQueue
        self.sendQueue = sendQueue
        self.inode = inode
        self.rttMicroseconds = rttMicroseconds
    }
}
