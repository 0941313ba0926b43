/// The system calls collectors need beyond reading files. The live implementation is
/// `LinuxHostSystem`; tests substitute fixed answers so golden output is deterministic.
public protocol HostSystem: Sendable {
    func uname() throws -> UnameInfo
    func clockAdjustment() throws -> ClockAdjustment
    func filesystemUsage(atPath path: String) throws -> FilesystemUsage
    /// Seconds since the Unix epoch.
    func now() -> Double
    /// The local time zone's abbreviation and its offset from UTC in seconds.
    func timeZone() -> (name: String, offsetSeconds: Int)
}

public struct UnameInfo: Sendable, Equatable {
    public var sysname, nodename, release, version, machine, domainname: String

    public init(sysname: String, nodename: String, release: String, version: String, machine: String, domainname: String) {
        self.sysname = sysname
        self.nodename = nodename
        self.release = release
        self.version = version
        self.machine = machine
        self.domainname = domainname
    }
}

/// statvfs(3) of one mount point, in bytes and inodes.
public struct FilesystemUsage: Sendable, Equatable {
    public var sizeBytes, freeBytes, availableBytes, files, filesFree: Double
    public var readOnly: Bool

    public init(sizeBytes: Double, freeBytes: Double, availableBytes: Double, files: Double, filesFree: Double, readOnly: Bool) {
        self.sizeBytes = sizeBytes
        self.freeBytes = freeBytes
        self.availableBytes = availableBytes
        self.files = files
        self.filesFree = filesFree
        self.readOnly = readOnly
    }
}

/// adjtimex(2) read-only (modes 0), already converted to node_exporter's units.
public struct ClockAdjustment: Sendable, Equatable {
    public var offsetSeconds: Double
    public var frequencyAdjustmentRatio: Double
    public var maxErrorSeconds: Double
    public var estimatedErrorSeconds: Double
    public var status: Double
    public var loopTimeConstant: Double
    public var tickSeconds: Double
    public var ppsFrequencyHertz: Double
    public var ppsJitterSeconds: Double
    public var ppsShiftSeconds: Double
    public var ppsStabilityHertz: Double
    public var ppsJitterTotal: Double
    public var ppsCalibrationTotal: Double
    public var ppsErrorTotal: Double
    public var ppsStabilityExceededTotal: Double
    public var taiOffsetSeconds: Double
    /// The kernel's clock state is not TIME_ERROR: the clock is synchronised.
    public var synchronised: Bool

    public init(
        offsetSeconds: Double = 0, frequencyAdjustmentRatio: Double = 0, maxErrorSeconds: Double = 0,
        estimatedErrorSeconds: Double = 0, status: Double = 0, loopTimeConstant: Double = 0, tickSeconds: Double = 0,
        ppsFrequencyHertz: Double = 0, ppsJitterSeconds: Double = 0, ppsShiftSeconds: Double = 0,
        ppsStabilityHertz: Double = 0, ppsJitterTotal: Double = 0, ppsCalibrationTotal: Double = 0,
        ppsErrorTotal: Double = 0, ppsStabilityExceededTotal: Double = 0, taiOffsetSeconds: Double = 0,
        synchronised: Bool = false
    ) {
        self.offsetSeconds = offsetSeconds
        self.frequencyAdjustmentRatio = frequencyAdjustmentRatio
        self.maxErrorSeconds = maxErrorSeconds
        self.estimatedErrorSeconds = estimatedErrorSeconds
        self.status = status
        self.loopTimeConstant = loopTimeConstant
        self.tickSeconds = tickSeconds
        self.ppsFrequencyHertz = ppsFrequencyHertz
        self.ppsJitterSeconds = ppsJitterSeconds
        self.ppsShiftSeconds = ppsShiftSeconds
        self.ppsStabilityHertz = ppsStabilityHertz
        self.ppsJitterTotal = ppsJitterTotal
        self.ppsCalibrationTotal = ppsCalibrationTotal
        self.ppsErrorTotal = ppsErrorTotal
        self.ppsStabilityExceededTotal = ppsStabilityExceededTotal
        self.taiOffsetSeconds = taiOffsetSeconds
        self.synchronised = synchronised
    }
}
