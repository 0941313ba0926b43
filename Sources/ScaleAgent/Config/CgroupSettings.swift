import Yams

/// Options of the `cgroups` and `top_processes` collectors (`collectors.cgroups` and
/// `collectors.top_processes` in agent.yml).
public struct CgroupSettings: Sendable, Equatable {
    /// Slices whose services (and whose sub-slices' services) are reported, relative to the
    /// cgroup root: `system.slice` holds every system service, including templated ones in
    /// `system.slice/system-postgresql.slice/`.
    public var slices: [String] = ["system.slice"]
    /// The most services reported; beyond it, those charged the least memory are left out
    /// and counted in `scalewatch_service_units_omitted`.
    public var maxUnits = 100
    /// How many processes `top_processes` reports, largest resident memory first.
    public var topProcesses = 10

    public init() {}

    static let maxUnitsRange = 1...10_000
    static let topProcessesRange = 1...1_000

    /// Options besides `enabled`, by collector.
    static let options: [String: [String]] = [
        "cgroups": ["slices", "max_units"],
        "top_processes": ["count"],
    ]

    /// Reads one option of either collector; `qualified` is its full key for messages.
    mutating func parse(collector: String, key: String, _ node: Node, _ qualified: String, _ reader: YAMLReader)
        throws(ConfigError)
    {
        switch (collector, key) {
        case ("cgroups", "slices"):
            slices = try Self.slices(node, qualified, reader)
        case ("cgroups", "max_units"):
            maxUnits = try reader.integer(node, qualified, in: Self.maxUnitsRange)
        case ("top_processes", "count"):
            topProcesses = try reader.integer(node, qualified, in: Self.topProcessesRange)
        default:
            preconditionFailure("BUG: option \(qualified) allowed but not handled")
        }
    }

    /// A non-empty list of relative cgroup paths such as `system.slice` or
    /// `machine.slice/app.slice`: no leading `/`, no `.` or `..` component.
    private static func slices(_ node: Node, _ key: String, _ reader: YAMLReader) throws(ConfigError) -> [String] {
        guard case .sequence(let sequence) = node, !sequence.isEmpty else {
            throw reader.error(at: node, "\(key) must be a non-empty list of slices such as [system.slice], got \(reader.describe(node))")
        }
        var slices: [String] = []
        for item in sequence {
            let slice = try reader.string(item, key)
            let components = slice.split(separator: "/", omittingEmptySubsequences: false)
            guard !slice.hasPrefix("/"), components.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
                throw reader.error(
                    at: item, "\(key): '\(slice)' must be a path relative to the cgroup root, such as system.slice")
            }
            if !slices.contains(slice) { slices.append(slice) }
        }
        return slices
    }
}
