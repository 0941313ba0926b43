#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Expands `rule_files` entries such as `/etc/scalewatch/rules/*.yml` with glob(3).
public enum RuleFileGlob {
    public struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
        public let pattern: String
        public let reason: String

        public var description: String { "cannot expand \(pattern): \(reason)" }
    }

    /// The paths matching `pattern`, sorted by their bytes. A pattern without wildcards
    /// matches the file of that name if it exists. No match is an empty list, not an error:
    /// Prometheus only warns about it.
    public static func paths(matching pattern: String) throws(Failure) -> [String] {
        var matches = glob_t()
        defer { globfree(&matches) }
        // No flags: no brace or tilde expansion, which Prometheus' Go glob does not do either.
        let status = glob(pattern, 0, nil, &matches)
        switch status {
        case 0:
            break
        case GLOB_NOMATCH:
            return []
        case GLOB_NOSPACE:
            throw Failure(pattern: pattern, reason: "out of memory")
        case GLOB_ABORTED:
            throw Failure(pattern: pattern, reason: "a directory could not be read")
        default:
            throw Failure(pattern: pattern, reason: "glob failed with status \(status)")
        }
        var paths: [String] = []
        for index in 0..<Int(matches.gl_pathc) {
            if let path = matches.gl_pathv[index] { paths.append(String(cString: path)) }
        }
        // glob(3) sorts by the locale's collation; byte order is the same everywhere.
        return paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Every pattern's matches in pattern order, each file once (the first time it matches),
    /// and the patterns that matched nothing.
    public static func paths(matching patterns: [String]) throws(Failure) -> (paths: [String], unmatched: [String]) {
        var found: [String] = []
        var seen: Set<String> = []
        var unmatched: [String] = []
        for pattern in patterns {
            let matches = try paths(matching: pattern)
            if matches.isEmpty { unmatched.append(pattern) }
            for path in matches where seen.insert(path).inserted { found.append(path) }
        }
        return (found, unmatched)
    }

    /// Whether `pattern` names one file rather than a set: glob(3) treats only `*`, `?` and
    /// `[` as wildcards (and `\\` as their escape).
    public static func isLiteral(_ pattern: String) -> Bool {
        !pattern.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "\\") }
    }

    /// `pattern` joined to `directory` unless it is absolute, tidied as Go's `filepath.Join`
    /// does (`.` parts and `dir/..` pairs removed), so paths read the same as promtool's.
    public static func resolve(_ pattern: String, relativeTo directory: String) -> String {
        pattern.hasPrefix("/") ? clean(pattern) : clean(directory + "/" + pattern)
    }

    /// The directory part of a path, `.` for a bare file name.
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func clean(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else if part == ".." && absolute && parts.isEmpty {
                continue
            } else {
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}
