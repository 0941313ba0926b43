/// The WAL's files as found in its directory, each kind sorted by number; other names are
/// ignored (a stray editor backup must not stop the agent).
struct WALDirectoryListing {
    var segments: [Int] = []
    var checkpoints: [Int] = []
    var temporaries: [String] = []

    /// An empty listing if the directory does not exist.
    init(fileSystem: any FileSystem, directory: String) throws(FileSystemError) {
        guard fileSystem.exists(directory) else { return }
        for name in try fileSystem.list(directory) {
            if let index = WALFileNames.parseSegment(name) {
                segments.append(index)
            } else if WALFileNames.isTemporary(name) {
                temporaries.append(name)
            } else if let index = WALFileNames.parseCheckpoint(name) {
                checkpoints.append(index)
            }
        }
        segments.sort()
        checkpoints.sort()
    }

    /// The segments replay reads: those after the latest checkpoint.
    var liveSegments: [Int] {
        guard let checkpoint = checkpoints.last else { return segments }
        return segments.filter { $0 > checkpoint }
    }
}
