/// Creating directories so that a power loss cannot take them back: a new directory's entry
/// lives in its parent, and is durable only once the parent is synced. A directory created
/// two levels deep (`/data/store` without `/data`) needs both parents synced, or everything
/// later synced inside it can vanish with it.
extension FileSystem {
    /// Creates `path` and any missing ancestors, each made durable in its own parent.
    /// Nothing is synced when the directory exists already.
    public func createDirectoryDurably(_ path: String) throws(FileSystemError) {
        var missing: [String] = []
        var ancestor = path
        while !isDirectory(ancestor), ancestor != "/", ancestor != "." {
            missing.append(ancestor)
            ancestor = FilePath.parent(of: ancestor)
        }
        guard !missing.isEmpty else { return }
        try createDirectory(path)
        for created in missing.reversed() { try syncDirectory(FilePath.parent(of: created)) }
    }
}

/// Path arithmetic the store needs, on plain strings.
public enum FilePath {
    /// The directory holding `path`: "/" for a top-level entry, "." for a bare name.
    public static func parent(of path: String) -> String {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }
}
