import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// A connection error as a person reads it ("Connection refused", "DNS: …"), instead of NIO's
/// nested descriptions of every address tried.
enum NetworkErrorText {
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as IOError:
            return strerror(error.errnoCode).map { String(cString: $0) } ?? "errno \(error.errnoCode)"
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return describe(first.error) }
            if let dns = error.dnsAError ?? error.dnsAAAAError { return "DNS: \(dns)" }
            return "\(error)"
        case ChannelError.connectTimeout(let timeout):
            return "no answer to the connection within \(timeout.nanoseconds / 1_000_000) ms"
        default:
            return "\(error)"
        }
    }
}
