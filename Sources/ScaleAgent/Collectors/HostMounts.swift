#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import MetricStore

extension HostPaths {
    /// The host's mount table and the file it came from. /proc/1/mounts is the host's view
    /// when the agent runs in its own mount namespace; with `hidepid` it is hidden, and the
    /// agent's own view is the best there is.
    func readHostMounts() throws -> (text: String, file: String) {
        let initMounts = proc("1/mounts")
        let text: String
        do {
            text = try FileReading.string(atPath: initMounts)
        } catch {
            guard error.isNotFound || error.errno == EACCES || error.errno == EPERM else { throw error }
            let ownMounts = proc("self/mounts")
            return (try FileReading.string(atPath: ownMounts), ownMounts)
        }
        return (text, initMounts)
    }
}
