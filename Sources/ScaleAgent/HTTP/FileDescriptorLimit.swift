#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The process' file descriptor budget, and the part of it HTTP connections may use.
///
/// Collections keep files under /proc and /sys open (`PseudoFileCache`, within
/// `keptFilesShare`) and open others, the store keeps its WAL and blocks open,
/// the log followers and PostgreSQL connections hold theirs: if HTTP clients could take every
/// descriptor, each of those would fail with "Too many open files" and the store would get a
/// hole. So HTTP gets the limit less a reserve, whatever `web.max_connections` says.
enum FileDescriptorLimit {
    /// Kept for everything but HTTP connections (or half the limit when that is smaller).
    static let reserve = 256

    /// Raises the soft limit to the hard one (systemd's default soft limit is 1024, its hard
    /// limit far higher) and returns the soft limit in force afterwards.
    @discardableResult
    static func raiseSoftLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)
    }

    /// What collections may keep open (`PseudoFileCache`) once HTTP may hold `httpConnections`:
    /// what is left of the limit beyond those and half the reserve, which stays for the store,
    /// the log followers and PostgreSQL.
    static func keptFilesShare(of softLimit: Int, httpConnections: Int) -> Int {
        max(0, softLimit - httpConnections - reserve / 2)
    }

    /// The most connections HTTP may hold under a soft limit of `softLimit` descriptors.
    static func httpShare(of softLimit: Int) -> Int {
        max(1, softLimit - min(reserve, softLimit / 2))
    }
}
