import MetricStore

/// Room for the store on `data_dir`'s file system. A full disk stops persistence (the agent
/// keeps collecting and alerting, but history gets a hole), so the doctor looks ahead:
///
/// - FAIL when the free space is below what the store's next write needs: a block cut from
///   the WAL takes at most the WAL's size, a compaction at most the two largest blocks it
///   merges, and at least one WAL segment is always needed; or the file system is read-only;
///   or fewer than 100 inodes are free.
/// - WARN under 10% free bytes or inodes, or when the retention limit (`retention_size`, and
///   `retention_fraction` of the file system, whichever is smaller) is more than the store
///   could grow to: then the disk fills before retention deletes anything.
enum StoreSpaceCheck {
    static let name = "store.space"

    struct Facts: Sendable, Equatable {
        var dataDirectory: String
        /// The directory statvfs was asked about: `data_dir` or, before the first start, its
        /// nearest existing parent.
        var statPath: String
        var usage: FilesystemUsage
        var storeBytes: Double = 0
        var walBytes: Double = 0
        var blockBytes: [Double] = []
        var retentionSize: Int?
        var retentionFraction: Double?
    }

    static func check(_ facts: Facts) -> DoctorCheck {
        let subject = facts.dataDirectory
        let usage = facts.usage
        let largest = facts.blockBytes.sorted(by: >).prefix(2).reduce(0, +)
        let needed = max(facts.walBytes, largest, Double(WALOptions.defaultSegmentSize))
        let freeShare = usage.sizeBytes > 0 ? usage.availableBytes / usage.sizeBytes : 0
        let inodeShare = usage.files > 0 ? usage.filesFree / usage.files : 1
        let b = PostgresMemoryCheck.bytes
        var evidence = "\(b(usage.availableBytes.rounded())) of \(b(usage.sizeBytes.rounded())) free (\(percent(freeShare)))"
        if usage.files > 0 { evidence += ", \(Int(usage.filesFree)) of \(Int(usage.files)) inodes free (\(percent(inodeShare)))" }
        evidence += facts.statPath == facts.dataDirectory
            ? "; store \(b(facts.storeBytes)) (WAL \(b(facts.walBytes)), \(facts.blockBytes.count) blocks)"
            : "; \(facts.dataDirectory) does not exist yet (measured at \(facts.statPath))"
        let move = "free space on that file system, or move data_dir to a larger one"
        if usage.readOnly {
            return .fail(name, subject, evidence + ": the file system is read-only", fix: "remount it read-write, or point data_dir at a writable file system")
        }
        if usage.availableBytes < needed {
            return .fail(name, subject, evidence + "; the next block or compaction needs \(b(needed.rounded()))", fix: move)
        }
        if usage.files > 0 && usage.filesFree < 100 {
            return .fail(name, subject, evidence + ": no inodes left for new block files", fix: move)
        }
        if freeShare < 0.1 || inodeShare < 0.1 {
            return .warn(name, subject, evidence + ": under 10% free", fix: move + ", or lower storage.retention_size")
        }
        let limits = [facts.retentionSize.map(Double.init), facts.retentionFraction.map { $0 * usage.sizeBytes }].compactMap { $0 }
        if let limit = limits.min(), limit > facts.storeBytes + usage.availableBytes {
            return .warn(
                name, subject, evidence + "; retention lets the store grow to \(b(limit.rounded())), more than the disk has",
                fix: "storage.retention_size below \(b(((facts.storeBytes + usage.availableBytes) * 0.8 / 1_048_576).rounded(.down) * 1_048_576))")
        }
        return .pass(name, subject, evidence + (limits.min().map { "; retention limit \(b($0.rounded()))" } ?? ""))
    }

    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded(.down)))%" }

    /// Reads sizes under `dataDirectory` and the usage of its file system.
    static func gather(dataDirectory: String, storage: StorageSettings, host: any HostSystem) throws -> Facts {
        let files = PosixFileSystem()
        var statPath = dataDirectory
        while !files.isDirectory(statPath), statPath != "/" {
            let parent = statPath.split(separator: "/").dropLast().joined(separator: "/")
            statPath = "/" + parent
        }
        var facts = Facts(
            dataDirectory: dataDirectory, statPath: statPath, usage: try host.filesystemUsage(atPath: statPath),
            retentionSize: storage.retentionSize, retentionFraction: storage.retentionFileSystemFraction)
        guard statPath == dataDirectory else { return facts }
        for entry in (try? files.list(dataDirectory)) ?? [] {
            let path = "\(dataDirectory)/\(entry)"
            let size = treeSize(path, files)
            facts.storeBytes += size
            if entry == StoreFileNames.wal {
                facts.walBytes = size
            } else if files.exists("\(path)/\(BlockFileNames.meta)") {
                facts.blockBytes.append(size)
            }
        }
        return facts
    }

    private static func treeSize(_ path: String, _ files: PosixFileSystem) -> Double {
        if files.isDirectory(path) {
            return ((try? files.list(path)) ?? []).reduce(0) { $0 + treeSize("\(path)/\($1)", files) }
        }
        return Double((try? files.size(of: path)) ?? 0)
    }
}
