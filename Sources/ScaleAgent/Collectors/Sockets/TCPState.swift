/// The kernel's TCP states (include/net/tcp_states.h), with the raw values it reports in
/// sock_diag messages and /proc/net/tcp. The names are node_exporter's tcpstat label values.
public enum TCPState: UInt8, Sendable, CaseIterable {
    case established = 1
    case synSent = 2
    case synReceived = 3
    case finWait1 = 4
    case finWait2 = 5
    case timeWait = 6
    case close = 7
    case closeWait = 8
    case lastAck = 9
    case listen = 10
    case closing = 11
    case newSynReceived = 12

    public var label: String {
        switch self {
        case .established: "established"
        case .synSent: "syn_sent"
        case .synReceived: "syn_recv"
        case .finWait1: "fin_wait1"
        case .finWait2: "fin_wait2"
        case .timeWait: "time_wait"
        case .close: "close"
        case .closeWait: "close_wait"
        case .lastAck: "last_ack"
        case .listen: "listen"
        case .closing: "closing"
        case .newSynReceived: "new_syn_recv"
        }
    }
}
