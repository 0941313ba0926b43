/// The release this build belongs to; `scalewatch --version` and `scalewatch_build_info` print it.
public enum ScaleAgentVersion {
    public static let current = "0.1.0"
}
