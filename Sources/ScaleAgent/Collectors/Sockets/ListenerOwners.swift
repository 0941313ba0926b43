/// Which process and unit own each listener, kept between collections so that the descriptor
/// scan (`ListenerOwnerScan`) runs only for listeners not seen before: a host has few
/// listeners and they rarely change, so at steady state no collection scans at all.
///
/// Owners are cached by socket inode (a listener re-created on its address, by a restart, is a
/// new inode and is looked for again). An inode a scan did not find (a process the agent may not
/// inspect, a socket passed to another namespace) is not looked for again before `retry`, so
/// that it does not cost a whole scan at every collection. Each address keeps the owner of its
/// last listener after that listener is gone, for as long as the caller remembers the address:
/// a port gone during a deploy still names its unit. Pure: the caller passes the time.
struct ListenerOwners: Sendable {
    let retry: Duration
    private var byInode: [UInt32: ListenerOwner] = [:]
    private var missedAt: [UInt32: Duration] = [:]
    private var byEndpoint: [SocketEndpoint: ListenerOwner] = [:]

    init(retry: Duration) { self.retry = retry }

    /// The inodes to look for now: listening, owner not known, not missed within `retry`.
    func wanted(listening: [SocketEndpoint: UInt32], now: Duration) -> Set<UInt32> {
        var wanted = Set<UInt32>()
        for inode in listening.values where inode != 0 && byInode[inode] == nil {
            if let missed = missedAt[inode], now - missed < retry { continue }
            wanted.insert(inode)
        }
        return wanted
    }

    /// Takes a scan's findings for `scanned` (empty when none ran), forgets inodes no longer
    /// listening, and the last owners of addresses not in `remembered`.
    mutating func update(
        listening: [SocketEndpoint: UInt32], scanned: Set<UInt32>, found: [UInt32: ListenerOwner],
        remembered: Set<SocketEndpoint>, now: Duration
    ) {
        for inode in scanned {
            if let owner = found[inode] {
                byInode[inode] = owner
                missedAt[inode] = nil
            } else {
                missedAt[inode] = now
            }
        }
        let live = Set(listening.values)
        byInode = byInode.filter { live.contains($0.key) }
        missedAt = missedAt.filter { live.contains($0.key) }
        for (endpoint, inode) in listening {
            if let owner = byInode[inode] { byEndpoint[endpoint] = owner }
        }
        byEndpoint = byEndpoint.filter { remembered.contains($0.key) }
    }

    /// The owner of the address's listener, or of its last one.
    func owner(of endpoint: SocketEndpoint) -> ListenerOwner? { byEndpoint[endpoint] }
}
