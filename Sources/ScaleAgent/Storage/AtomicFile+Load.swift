#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging
import MetricStore

extension AtomicFile {
    /// The saved state `decode` makes of the file, or nil when there is none yet. The agent
    /// starts without state it cannot read (logged); a file that does not decode is also
    /// renamed to `.corrupt`, so it is kept for a look and never read again.
    func loadSettingAsideDamage<State>(
        _ what: String, logger: Logger, decode: ([UInt8]) throws -> State
    ) -> State? {
        let bytes: [UInt8]?
        do {
            bytes = try read()
        } catch {
            logger.error("\(what) unreadable; starting without them", metadata: ["error": "\(error)"])
            return nil
        }
        guard let bytes else { return nil }
        do {
            return try decode(bytes)
        } catch {
            logger.error("\(what) damaged; set aside as .corrupt, starting without them", metadata: ["error": "\(error)"])
            _ = rename(path, path + ".corrupt")
            return nil
        }
    }
}
