import MetricStore

/// Which data directory a command at a terminal reads when the user names none: the
/// `data_dir` of the config given with `--config`, else of the installed config, else the
/// agent's default — the directory the agent on this host writes, as the user expects.
public enum DataDirectoryResolution {
    /// Where `make install` puts the config and the systemd unit reads it.
    public static let installedConfigFile = "/etc/scalewatch/agent.yml"

    public static func resolve(
        dataDirectory: String?, configFile: String?, installedConfigFile: String = installedConfigFile
    ) throws(ConfigError) -> String {
        if let dataDirectory { return dataDirectory }
        if let configFile { return try ConfigLoader.load(file: configFile).dataDirectory }
        if PosixFileSystem().exists(installedConfigFile) {
            return try ConfigLoader.load(file: installedConfigFile).dataDirectory
        }
        return AgentConfig().dataDirectory
    }
}
