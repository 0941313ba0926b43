#if canImport(Glibc)
import Glibc
import Testing
@testable import ScaleAgent

/// Against the machine the tests run on: only facts that hold on any Linux host.
@Suite struct LinuxHostSystemTests {
    let system = LinuxHostSystem()

    @Test func unameIsLinux() throws {
        let info = try system.uname()
        #expect(info.sysname == "Linux")
        #expect(!info.nodename.isEmpty)
        #expect(!info.release.isEmpty)
        #expect(!info.machine.isEmpty)
    }

    @Test func statvfsOfRoot() throws {
        let usage = try system.filesystemUsage(atPath: "/")
        #expect(usage.sizeBytes > 0)
        #expect(usage.freeBytes <= usage.sizeBytes)
        #expect(usage.availableBytes <= usage.freeBytes)
        #expect(usage.files >= usage.filesFree)
    }

    @Test func statvfsOfAMissingPathThrowsWithErrno() {
        let error = #expect(throws: SystemCallError.self) {
            try system.filesystemUsage(atPath: "/nonexistent/scalewatch-test")
        }
        #expect(error?.errno == ENOENT)
        #expect(error?.description.contains("statvfs(/nonexistent/scalewatch-test)") == true)
    }

    @Test func clockAdjustmentIsReadable() throws {
        let clock = try system.clockAdjustment()
        // USER_HZ ticks: 10 ms at HZ 100, 1 ms at HZ 1000, never zero.
        #expect(clock.tickSeconds > 0 && clock.tickSeconds <= 0.01)
        #expect(abs(clock.frequencyAdjustmentRatio - 1) < 0.001)  // the kernel caps at ±500 ppm
        #expect(clock.maxErrorSeconds >= 0)
    }

    @Test func nowAndTimeZone() {
        let now = system.now()
        #expect(now > 1_700_000_000)
        #expect(abs(now - Double(time(nil))) < 5)
        let zone = system.timeZone()
        #expect(!zone.name.isEmpty)
        #expect(abs(zone.offsetSeconds) <= 14 * 3600)
    }
}
#endif
