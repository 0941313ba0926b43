import Testing
@testable import ScaleAgent

@Suite struct ListenerOwnersTests {
    let web = SocketEndpoint(address: "0.0.0.0", port: 80)
    let db = SocketEndpoint(address: "127.0.0.1", port: 5432)
    let nginx = ListenerOwner(pid: 100, process: "nginx", startTicks: 7, unit: "nginx.service")
    let postgres = ListenerOwner(pid: 200, process: "postgres", startTicks: 9, unit: "postgresql@15-main.service")

    @Test func scansOnlyForListenersNotKnownYet() {
        var owners = ListenerOwners(retry: .seconds(600))
        let listening = [web: UInt32(11), db: 12]
        #expect(owners.wanted(listening: listening, now: .seconds(0)) == [11, 12])
        owners.update(listening: listening, scanned: [11, 12], found: [11: nginx, 12: postgres], remembered: [web, db], now: .seconds(0))
        #expect(owners.wanted(listening: listening, now: .seconds(10)).isEmpty)
        #expect(owners.owner(of: web) == nginx)
        #expect(owners.owner(of: db) == postgres)
    }

    @Test func aListenerNotFoundIsLookedForAgainOnlyAfterTheRetry() {
        var owners = ListenerOwners(retry: .seconds(600))
        let listening = [web: UInt32(11)]
        owners.update(listening: listening, scanned: [11], found: [:], remembered: [web], now: .seconds(0))
        #expect(owners.wanted(listening: listening, now: .seconds(599)).isEmpty)
        #expect(owners.owner(of: web) == nil)
        #expect(owners.wanted(listening: listening, now: .seconds(600)) == [11])
    }

    @Test func aRestartedListenerIsANewInodeAndLookedForAtOnce() {
        var owners = ListenerOwners(retry: .seconds(600))
        owners.update(listening: [web: 11], scanned: [11], found: [11: nginx], remembered: [web], now: .seconds(0))
        #expect(owners.wanted(listening: [web: 21], now: .seconds(10)) == [21])
        var restarted = nginx
        restarted.pid = 300
        owners.update(listening: [web: 21], scanned: [21], found: [21: restarted], remembered: [web], now: .seconds(10))
        #expect(owners.owner(of: web) == restarted)
    }

    @Test func aGoneListenerKeepsItsLastOwnerWhileRemembered() {
        var owners = ListenerOwners(retry: .seconds(600))
        owners.update(listening: [web: 11, db: 12], scanned: [11, 12], found: [11: nginx, 12: postgres], remembered: [web, db], now: .seconds(0))
        // Port 80 stops listening; the tracker still reports it (down).
        owners.update(listening: [db: 12], scanned: [], found: [:], remembered: [web, db], now: .seconds(10))
        #expect(owners.owner(of: web) == nginx)
        // Beyond the tracker's hold: forgotten.
        owners.update(listening: [db: 12], scanned: [], found: [:], remembered: [db], now: .seconds(1000))
        #expect(owners.owner(of: web) == nil)
        // Back on the old inode number (reused): looked for, not taken from the old cache.
        #expect(owners.wanted(listening: [web: 11, db: 12], now: .seconds(1001)) == [11])
    }

    @Test func inodeZeroIsNeverLookedFor() {
        let owners = ListenerOwners(retry: .seconds(600))
        #expect(owners.wanted(listening: [web: 0], now: .seconds(0)).isEmpty)
    }
}
