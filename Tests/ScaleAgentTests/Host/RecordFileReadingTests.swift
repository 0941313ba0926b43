import Glibc
import Testing

@testable import ScaleAgent

/// `longestRecord` ends a read of a procfs record file at a read shorter than a page by more
/// than a record, on this machine's kernel.
@Suite struct RecordFileReadingTests {
    /// UDP sockets on loopback, closed at the end: their ports.
    private func withUDPSockets(_ count: Int, _ body: ([UInt16]) throws -> Void) throws {
        var sockets: [Int32] = []
        defer { for fd in sockets { close(fd) } }
        var ports: [UInt16] = []
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            try #require(fd >= 0)
            sockets.append(fd)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
            }
            try #require(bound)
            ports.append(UInt16(bigEndian: address.sin_port))
        }
        try body(ports)
    }

    /// 31 lines of /proc/net/udp fill the first read to 3968 bytes, short of a page: a file of
    /// more pages must still be read to its end.
    @Test(arguments: [3, 100])
    func everySocketOfProcNetUDPIsRead(sockets: Int) throws {
        try withUDPSockets(sockets) { ports in
            let text = try FileReading.string(atPath: "/proc/net/udp", longestRecord: UDPQueuesCollector.longestLine)
            let listed = Set(text.split(separator: "\n").dropFirst().compactMap { line -> UInt16? in
                let local = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first
                return local?.split(separator: ":").last.flatMap { UInt16($0, radix: 16) }
            })
            #expect(Set(ports).isSubset(of: listed), "\(Set(ports).subtracting(listed).count) of \(ports.count) missing")
            // Read again through the kept descriptor.
            let again = try FileReading.string(atPath: "/proc/net/udp", longestRecord: UDPQueuesCollector.longestLine)
            #expect(again.split(separator: "\n").count >= ports.count + 1)
        }
    }
}
