/// Files of the repository itself (the example config, the golden file), found from this
/// file's path.
enum RepositoryPaths {
    static let root: String = {
        var path = Substring(Fixtures.directory)
        for _ in 0..<3 { path = path[..<path.lastIndex(of: "/")!] }
        return String(path)
    }()

    static func file(_ relative: String) -> String { root + "/" + relative }
}
