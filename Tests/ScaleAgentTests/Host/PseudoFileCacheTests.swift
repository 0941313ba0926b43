#if canImport(Glibc)
import Glibc
import Testing
import TestSupport
@testable import ScaleAgent

/// Against the real /proc and /sys of the machine the tests run on: the point is what the
/// kernel does with a kept descriptor.
@Suite struct PseudoFileCacheTests {
    @Test func aKeptProcfsFileIsGeneratedAnewOnEachRead() throws {
        let cache = PseudoFileCache()
        let first = try cache.string(atPath: "/proc/uptime")
        #expect(cache.count == 1)
        usleep(30_000)  // uptime counts hundredths of a second
        let second = try cache.string(atPath: "/proc/uptime")
        #expect(cache.count == 1)
        #expect(first != second)
        #expect(Double(second.split(separator: " ")[0])! > Double(first.split(separator: " ")[0])!)
    }

    @Test func aKeptFileReadsWhatAFreshOpenReads() throws {
        let cache = PseudoFileCache()
        for path in ["/proc/self/status", "/proc/meminfo", "/sys/class/net/lo/mtu"] {
            _ = try cache.string(atPath: path)
            let kept = try cache.string(atPath: path)
            let fresh = try FileReading.freshString(atPath: path)
            // Lines such as MemFree move between two reads; their names and count do not.
            #expect(kept.split(separator: "\n").map { $0.prefix(while: { $0 != ":" }) } == fresh.split(separator: "\n").map { $0.prefix(while: { $0 != ":" }) })
        }
        #expect(cache.count == 3)
    }

    /// sysfs files are read without the extra read for end-of-file when a read comes back
    /// shorter than a page: small attributes, and a binary attribute of many pages (BTF, where
    /// the kernel has it) read whole all the same, kept or not.
    @Test func sysfsFilesReadWholeWithoutTheEndOfFileRead() throws {
        let cache = PseudoFileCache()
        var paths = ["/sys/class/net/lo/mtu", "/sys/class/net/lo/uevent", "/sys/devices/system/cpu/online"]
        if access("/sys/kernel/btf/vmlinux", R_OK) == 0 { paths.append("/sys/kernel/btf/vmlinux") }
        for path in paths {
            let fresh = try FileReading.freshString(atPath: path)
            #expect(try cache.string(atPath: path) == fresh, "\(path)")
            #expect(try cache.string(atPath: path) == fresh, "\(path), kept")
        }
        #expect(cache.count == paths.count)
    }

    @Test func aOneRecordProcfsFileReadsWhole() throws {
        let cache = PseudoFileCache()
        for _ in 0..<2 {
            let text = try cache.string(atPath: "/proc/self/stat", endingBelow: FileReading.smallestPage)
            let fresh = try FileReading.freshString(atPath: "/proc/self/stat")
            #expect(text.hasSuffix("\n"))
            #expect(text.split(separator: " ").count == fresh.split(separator: " ").count)
            #expect(text.prefix(while: { $0 != ")" }) == fresh.prefix(while: { $0 != ")" }))
        }
        #expect(cache.count == 1)
    }

    @Test func aRegularFileIsNeverKept() throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let cache = PseudoFileCache()
        let path = try directory.write("os-release", "ID=debian\n")
        #expect(try cache.string(atPath: path) == "ID=debian\n")
        #expect(cache.count == 0)
        let replacement = try directory.write("os-release.new", "ID=ubuntu\n")
        #expect(rename(replacement, path) == 0)
        #expect(try cache.string(atPath: path) == "ID=ubuntu\n")
    }

    @Test func aProcessThatExitedIsReportedAsAFreshOpenReportsIt() throws {
        var pid: pid_t = 0
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("30"), nil]
        defer { arguments.forEach { free($0) } }
        #expect(posix_spawn(&pid, "/bin/sleep", nil, nil, arguments, environ) == 0)
        let cache = PseudoFileCache()
        let path = "/proc/\(pid)/stat"
        #expect(try cache.string(atPath: path).hasPrefix("\(pid) (sleep)"))
        #expect(cache.count == 1)
        kill(pid, SIGKILL)
        var status: Int32 = 0
        #expect(waitpid(pid, &status, 0) == pid)
        let error = #expect(throws: FileReadError.self) { try cache.string(atPath: path) }
        #expect(error?.isNotFound == true)
        #expect(cache.count == 0)
    }

    @Test func descriptorsUnreadForIdleRoundsAreClosed() throws {
        let cache = PseudoFileCache(idleRounds: 2)
        _ = try cache.string(atPath: "/proc/loadavg")
        _ = try cache.string(atPath: "/proc/uptime")
        cache.endRound()
        _ = try cache.string(atPath: "/proc/uptime")
        cache.endRound()
        #expect(cache.count == 2)
        cache.endRound()
        #expect(cache.count == 1)  // loadavg was last read two rounds ago
        cache.endRound()
        cache.endRound()
        #expect(cache.count == 0)
        #expect(try !cache.string(atPath: "/proc/loadavg").isEmpty)
    }

    @Test func atMostCapacityDescriptorsAreKept() throws {
        let cache = PseudoFileCache(capacity: 2)
        for path in ["/proc/loadavg", "/proc/uptime", "/proc/meminfo", "/proc/stat"] {
            #expect(try !cache.string(atPath: path).isEmpty)
        }
        #expect(cache.count == 2)
    }

    @Test func aBudgetClosesTheLeastRecentlyReadAndBoundsTheRest() throws {
        let cache = PseudoFileCache()
        _ = try cache.string(atPath: "/proc/loadavg")
        cache.endRound()
        _ = try cache.string(atPath: "/proc/uptime")
        _ = try cache.string(atPath: "/proc/meminfo")
        cache.setDescriptorBudget(2)
        #expect(cache.count == 2)
        _ = try cache.string(atPath: "/proc/stat")
        #expect(cache.count == 2)
        cache.setDescriptorBudget(0)
        #expect(cache.count == 0)
    }

    @Test func forgetClosesAPrefix() throws {
        let cache = PseudoFileCache()
        _ = try cache.string(atPath: "/sys/class/net/lo/mtu")
        _ = try cache.string(atPath: "/sys/class/net/lo/ifindex")
        _ = try cache.string(atPath: "/proc/loadavg")
        cache.forget(prefix: "/sys/class/net/lo/")
        #expect(cache.count == 1)
    }

    /// Loopback has no link speed: its `speed` refuses every read with EINVAL. The refusal is
    /// the file's answer, not a sign it is gone, so the descriptor stays.
    @Test func aFileThatRefusesReadsIsKeptAndRefusesAgain() throws {
        let cache = PseudoFileCache()
        for _ in 0..<2 {
            let error = #expect(throws: FileReadError.self) { try cache.string(atPath: "/sys/class/net/lo/speed") }
            #expect(error?.errno == EINVAL)
            #expect(cache.count == 1)
        }
    }

    @Test func theSizeLimitHoldsForAKeptDescriptor() throws {
        let cache = PseudoFileCache()
        _ = try cache.string(atPath: "/proc/self/status")
        let error = #expect(throws: FileReadError.self) { try cache.string(atPath: "/proc/self/status", maximumBytes: 10) }
        #expect(error?.errno == EFBIG)
    }

    @Test func concurrentReadersOfOnePathEachGetTheWholeFile() async throws {
        let cache = PseudoFileCache()
        let expectedFields = try FileReading.freshString(atPath: "/proc/self/stat").split(separator: " ").count
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    (0..<200).allSatisfy { _ in
                        (try? cache.string(atPath: "/proc/self/stat"))?.split(separator: " ").count == expectedFields
                    }
                }
            }
            for await whole in group { #expect(whole) }
        }
        #expect(cache.count == 1)
    }

    @Test func aMissingFileIsNotFound() {
        let cache = PseudoFileCache()
        let error = #expect(throws: FileReadError.self) { try cache.string(atPath: "/proc/no-such-file") }
        #expect(error?.isNotFound == true)
        #expect(cache.count == 0)
    }
}
#endif
