#if canImport(Glibc)
import Glibc
#endif
import MetricStore

/// The agent's state directory. Created on start (like `mkdir -p`) so that a first run works,
/// and checked for write access so that a wrong owner fails at start, not hours later.
public enum DataDirectory {
    public struct Unusable: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "data directory \(EchoedValue(path)): \(reason)" }
    }

    public static func prepare(_ path: String) throws(Unusable) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o750) != 0 && errno != EEXIST {
                throw Unusable(path: path, reason: "cannot create \(EchoedValue(prefix)): \(String(cString: strerror(errno)))")
            }
        }
        if access(path, W_OK | X_OK) != 0 {
            throw Unusable(path: path, reason: "not writable: \(String(cString: strerror(errno)))")
        }
    }
}
