/// The `method` label values of `node_nfs_requests_total` and `node_nfsd_requests_total`, in
/// the order of the counts on the `proc2`, `proc3`, `proc4` and `proc4ops` lines (the kernel's
/// procedure numbers, RFC 1094, RFC 1813, RFC 7530). The spellings are node_exporter's.
enum NFSProcedures {
    static let version2 = [
        "Null", "GetAttr", "SetAttr", "Root", "Lookup", "ReadLink", "Read", "WrCache", "Write", "Create", "Remove",
        "Rename", "Link", "SymLink", "MkDir", "RmDir", "ReadDir", "FsStat",
    ]

    static let version3 = [
        "Null", "GetAttr", "SetAttr", "Lookup", "Access", "ReadLink", "Read", "Write", "Create", "MkDir", "SymLink",
        "MkNod", "Remove", "RmDir", "Rename", "Link", "ReadDir", "ReadDirPlus", "FsStat", "FsInfo", "PathConf", "Commit",
    ]

    /// The client's NFSv4 calls (fs/nfs/nfs4xdr.c's order). Older kernels report fewer: the
    /// rest count 0; newer ones report more, which are not read.
    static let clientVersion4 = [
        "Null", "Read", "Write", "Commit", "Open", "OpenConfirm", "OpenNoattr", "OpenDowngrade", "Close", "Setattr",
        "FsInfo", "Renew", "SetClientID", "SetClientIDConfirm", "Lock", "Lockt", "Locku", "Access", "Getattr", "Lookup",
        "LookupRoot", "Remove", "Rename", "Link", "Symlink", "Create", "Pathconf", "StatFs", "ReadLink", "ReadDir",
        "ServerCaps", "DelegReturn", "GetACL", "SetACL", "FsLocations", "ReleaseLockowner", "Secinfo", "FsidPresent",
        "ExchangeID", "CreateSession", "DestroySession", "Sequence", "GetLeaseTime", "ReclaimComplete", "LayoutGet",
        "GetDeviceInfo", "LayoutCommit", "LayoutReturn", "SecinfoNoName", "TestStateID", "FreeStateID", "GetDeviceList",
        "BindConnToSession", "DestroyClientID", "Seek", "Allocate", "DeAllocate", "LayoutStats", "Clone",
    ]

    /// The server's NFSv4 operations that node_exporter 1.5 reports, with their operation
    /// number (RFC 7530 §16; the position on the `proc4ops` line). node_exporter 1.5's procfs
    /// read Verify, Write and RelLockOwner two positions early (SETCLIENTID's,
    /// SETCLIENTID_CONFIRM's and VERIFY's counts), which procfs fixed later: these are the
    /// right positions. Kernels before 2.6 stop at 38: RelLockOwner (39) then counts 0.
    static let serverVersion4: [(method: String, operation: Int)] = [
        ("Access", 3), ("Close", 4), ("Commit", 5), ("Create", 6), ("DelegPurge", 7), ("DelegReturn", 8),
        ("GetAttr", 9), ("GetFH", 10), ("Link", 11), ("Lock", 12), ("Lockt", 13), ("Locku", 14), ("Lookup", 15),
        ("LookupRoot", 16), ("Nverify", 17), ("Open", 18), ("OpenAttr", 19), ("OpenConfirm", 20), ("OpenDgrd", 21),
        ("PutFH", 22), ("Read", 25), ("ReadDir", 26), ("ReadLink", 27), ("Remove", 28), ("Rename", 29), ("Renew", 30),
        ("RestoreFH", 31), ("SaveFH", 32), ("SecInfo", 33), ("SetAttr", 34), ("Verify", 37), ("Write", 38),
        ("RelLockOwner", 39),
    ]

    /// Counts aligned with `names`: missing ones (an older kernel, a line absent) are 0.
    static func aligned(_ counts: [UInt64], to names: [String]) -> [UInt64] {
        (0..<names.count).map { $0 < counts.count ? counts[$0] : 0 }
    }
}
