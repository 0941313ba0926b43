/// The blocks of a data directory, as their directory names say.
public enum BlockDirectory {
    /// Removes the `<id>.tmp` directories that interrupted block writes left behind, and makes
    /// the removal durable. Returns the names removed. Call before opening any block.
    @discardableResult
    public static func removeIncompleteBlocks(in directory: String, fileSystem: any FileSystem) throws(FileSystemError) -> [String] {
        var removed: [String] = []
        for name in try fileSystem.list(directory) where name.hasSuffix(BlockFileNames.temporarySuffix) {
            guard BlockID(String(name.dropLast(BlockFileNames.temporarySuffix.count))) != nil else { continue }
            try fileSystem.remove(BlockFileNames.join(directory, name))
            removed.append(name)
        }
        if !removed.isEmpty { try fileSystem.syncDirectory(directory) }
        return removed
    }

    /// IDs of the complete blocks in `directory`, oldest first. Other entries (the WAL, the
    /// lock file, `.tmp` directories) are not blocks and are skipped.
    public static func blockIDs(in directory: String, fileSystem: any FileSystem) throws(FileSystemError) -> [BlockID] {
        try fileSystem.list(directory).compactMap { name in
            guard let id = BlockID(name), fileSystem.isDirectory(BlockFileNames.join(directory, name)) else { return nil }
            return id
        }.sorted()
    }
}
