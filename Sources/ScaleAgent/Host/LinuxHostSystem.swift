#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A system call that failed, with what it was called on and the system's reason.
public struct SystemCallError: Error, Equatable, CustomStringConvertible {
    public let call: String
    public let argument: String
    public let errno: Int32

    public init(call: String, argument: String = "", errno: Int32) {
        self.call = call
        self.argument = argument
        self.errno = errno
    }

    public var description: String {
        let reason = errno == 0 ? "not supported here" : String(cString: strerror(errno))
        return argument.isEmpty ? "\(call): \(reason)" : "\(call)(\(argument)): \(reason)"
    }
}

#if canImport(Glibc)
/// The live `HostSystem`: plain Glibc calls, no Foundation.
public struct LinuxHostSystem: HostSystem {
    public init() {}

    public func uname() throws -> UnameInfo {
        var names = utsname()
        guard Glibc.uname(&names) == 0 else { throw SystemCallError(call: "uname", errno: errno) }
        return UnameInfo(
            sysname: Self.string(names.sysname), nodename: Self.string(names.nodename),
            release: Self.string(names.release), version: Self.string(names.version),
            machine: Self.string(names.machine), domainname: Self.string(names.__domainname))
    }

    public func clockAdjustment() throws -> ClockAdjustment {
        let (state, timex) = try KernelTimex.read()
        return timex.converted(state: state)
    }

    public func filesystemUsage(atPath path: String) throws -> FilesystemUsage {
        var stats = statvfs()
        while statvfs(path, &stats) != 0 {
            if errno == EINTR { continue }
            throw SystemCallError(call: "statvfs", argument: path, errno: errno)
        }
        // f_blocks, f_bfree and f_bavail count fragments (f_frsize), not f_bsize, which is
        // only the preferred I/O size; the two differ on some file systems.
        let unit = Double(stats.f_frsize)
        return FilesystemUsage(
            sizeBytes: Double(stats.f_blocks) * unit, freeBytes: Double(stats.f_bfree) * unit,
            availableBytes: Double(stats.f_bavail) * unit, files: Double(stats.f_files),
            filesFree: Double(stats.f_ffree), readOnly: stats.f_flag & UInt(ST_RDONLY) != 0)
    }

    public func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    public func timeZone() -> (name: String, offsetSeconds: Int) {
        var now = time(nil)
        var local = tm()
        tzset()
        guard localtime_r(&now, &local) != nil else { return ("UTC", 0) }
        let name = local.tm_zone.map { String(cString: $0) } ?? ""
        return (name, local.tm_gmtoff)
    }

    private static func string<T>(_ field: T) -> String {
        withUnsafeBytes(of: field) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}

/// adjtimex(2) with modes 0 (read only). Glibc's module map leaves out <sys/timex.h>, and a C
/// shim would need its own target, so the function is looked up with dlsym and `struct timex`
/// is read at its fixed LP64 byte offsets (include/uapi/linux/timex.h; unmarked fields are
/// `long`):
///
/// ```
///   0 modes u32 │   8 offset │  16 freq │  24 maxerror │  32 esterror │  40 status i32
///  48 constant  │  56 precision │ 64 tolerance │ 72 time (timeval, 16) │ 88 tick
///  96 ppsfreq   │ 104 jitter │ 112 shift i32 │ 120 stabil │ 128 jitcnt │ 136 calcnt
/// 144 errcnt    │ 152 stbcnt │ 160 tai i32 │ 164…207 reserved
/// ```
struct KernelTimex: Equatable {
    var offset = 0, frequency = 0, maxError = 0, estimatedError = 0
    var status: Int32 = 0
    var constant = 0, tick = 0, ppsFrequency = 0, jitter = 0
    var shift: Int32 = 0
    var stability = 0, jitterCount = 0, calibrationCount = 0, errorCount = 0, stabilityCount = 0
    var tai: Int32 = 0

    /// The clock state the kernel returns when the clock is not synchronised.
    static let timeError: Int32 = 5
    /// Status bit: offset and jitter are in nanoseconds rather than microseconds.
    static let statusNano: Int32 = 0x2000
    /// Frequencies are in parts per million with a 16-bit binary fraction.
    static let scaledPPM = 1_000_000.0 * 65536.0

    private typealias Adjtimex = @convention(c) (UnsafeMutableRawPointer) -> Int32
    private static let size = 208

    // dlopen(NULL) is the program's global namespace, which includes libc; the handle is never
    // closed, so the function pointer stays valid.
    private static let function: Adjtimex? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "adjtimex") else { return nil }
        return unsafeBitCast(symbol, to: Adjtimex.self)
    }()

    /// The kernel's clock state and its `struct timex`.
    static func read() throws -> (state: Int32, timex: KernelTimex) {
        guard MemoryLayout<Int>.size == 8, let adjtimex = function else {
            throw SystemCallError(call: "adjtimex", errno: 0)
        }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: size)  // modes = 0
        let state = adjtimex(buffer)
        if state < 0 { throw SystemCallError(call: "adjtimex", errno: errno) }
        func long(_ offset: Int) -> Int { buffer.load(fromByteOffset: offset, as: Int.self) }
        func int(_ offset: Int) -> Int32 { buffer.load(fromByteOffset: offset, as: Int32.self) }
        let timex = KernelTimex(
            offset: long(8), frequency: long(16), maxError: long(24), estimatedError: long(32),
            status: int(40), constant: long(48), tick: long(88), ppsFrequency: long(96),
            jitter: long(104), shift: int(112), stability: long(120), jitterCount: long(128),
            calibrationCount: long(136), errorCount: long(144), stabilityCount: long(152),
            tai: int(160))
        return (state, timex)
    }

    /// In node_exporter's units: seconds, hertz and a frequency ratio around 1.
    func converted(state: Int32) -> ClockAdjustment {
        let subsecond = status & Self.statusNano != 0 ? 1e9 : 1e6
        return ClockAdjustment(
            offsetSeconds: Double(offset) / subsecond,
            frequencyAdjustmentRatio: 1 + Double(frequency) / Self.scaledPPM,
            maxErrorSeconds: Double(maxError) / 1e6,
            estimatedErrorSeconds: Double(estimatedError) / 1e6,
            status: Double(status),
            loopTimeConstant: Double(constant),
            tickSeconds: Double(tick) / 1e6,
            ppsFrequencyHertz: Double(ppsFrequency) / Self.scaledPPM,
            ppsJitterSeconds: Double(jitter) / subsecond,
            ppsShiftSeconds: Double(shift),
            ppsStabilityHertz: Double(stability) / Self.scaledPPM,
            ppsJitterTotal: Double(jitterCount),
            ppsCalibrationTotal: Double(calibrationCount),
            ppsErrorTotal: Double(errorCount),
            ppsStabilityExceededTotal: Double(stabilityCount),
            taiOffsetSeconds: Double(tai),
            synchronised: state != Self.timeError)
    }
}
#endif
