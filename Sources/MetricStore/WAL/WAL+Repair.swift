/// The explicit repair step for damage replay reported: what follows the damage in that
/// segment is cut off, after being kept aside for inspection if the caller wants it.
extension WAL {
    /// Truncates the damaged segment at the corruption's offset. With `quarantineDirectory`,
    /// the discarded bytes are first written (and synced) to a file there named after the
    /// WAL directory, segment and offset. A missing segment has nothing to repair.
    ///
    /// The records after the damage were not replayed; they are lost either way. Repairing
    /// stops the same damage from being reported at every start.
    public func repair(_ corruption: WALCorruptionError, quarantineDirectory: String? = nil) throws {
        if corruption.reason == .missingSegment { return }
        let path = corruption.path
        guard fileSystem.exists(path) else { return }
        let size = try fileSystem.size(of: path)
        guard corruption.offset < size else { return }
        if let quarantineDirectory {
            let damaged = try fileSystem.read(path, offset: corruption.offset, length: size - corruption.offset)
            try fileSystem.createDirectory(quarantineDirectory)
            let name = WALFileNames.quarantined(
                directory: corruption.directory, segment: corruption.segment, offset: corruption.offset)
            let file = try fileSystem.create(quarantineDirectory + "/" + name)
            try file.write(damaged)
            try file.sync()
            try file.close()
            try fileSystem.syncDirectory(quarantineDirectory)
        }
        try Self.truncateDurably(path, to: corruption.offset, fileSystem: fileSystem)
    }
}
