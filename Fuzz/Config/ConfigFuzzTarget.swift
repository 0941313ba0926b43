import ScaleAgent

/// agent.yml, as `check config`, the agent's start and a reload read it.
struct ConfigFuzzTarget: FuzzTarget {
    let name = "Config"

    func run(_ bytes: [UInt8]) {
        _ = try? ConfigLoader.parse(String(decoding: bytes, as: UTF8.self), file: "agent.yml")
    }
}
