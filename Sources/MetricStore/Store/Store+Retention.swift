extension Store {
    /// Deletes the blocks the policy no longer keeps, oldest first; returns their metas.
    /// A block is removed from the readers before its directory goes, so a query never sees
    /// half a deletion.
    @discardableResult
    public func applyRetention(_ policy: RetentionPolicy, now: Int64) throws(StoreError) -> [BlockMeta] {
        var blocks = self.blocks.sorted { $0.meta.minTime < $1.meta.minTime }
        var doomed: [BlockReader] = []
        while let oldest = blocks.first, oldest.meta.maxTime < now - policy.time {
            doomed.append(blocks.removeFirst())
        }
        let capacity = try? fileSystem.capacity(of: directory)
        if let limit = policy.sizeLimit(fileSystemBytes: capacity?.total) {
            var sizes: [BlockID: Int] = [:]
            for block in blocks { sizes[block.meta.id] = (try? treeBytes(block.directory)) ?? 0 }
            var total = sizes.values.reduce(0, +)
            // The newest block stays whatever its size: deleting it would leave nothing.
            while total > limit, blocks.count > 1 {
                let oldest = blocks.removeFirst()
                total -= sizes[oldest.meta.id] ?? 0
                doomed.append(oldest)
            }
        }
        guard !doomed.isEmpty else { return [] }
        try deleteBlocks(doomed)
        for block in doomed { events(.blockDeleted(block.meta)) }
        return doomed.map(\.meta)
    }

    func treeBytes(_ path: String) throws(FileSystemError) -> Int {
        guard fileSystem.isDirectory(path) else { return try fileSystem.size(of: path) }
        var total = 0
        for name in try fileSystem.list(path) { total += try treeBytes(path + "/" + name) }
        return total
    }
}
