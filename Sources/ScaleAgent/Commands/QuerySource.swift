import MetricStore

/// Where `scalewatch query`, `series` and `labels` read: a running agent's Prometheus API, or
/// a data directory opened read-only.
public enum QuerySource: Sendable, Equatable {
    case agent(url: String)
    case dataDirectory(String)

    public struct Conflict: Error, CustomStringConvertible {
        public let description: String
    }

    /// The precedence, most explicit first: `--url`; else `--data-dir`; else the `data_dir` of
    /// `--config` (a config named on the command line has always meant its store); else the
    /// agent at the `listen_address` of the installed config, or at the default address. The
    /// agent is the default because it answers with what it holds in memory too, and because
    /// its data directory is usually readable by its own user only.
    public static func resolve(
        url: String?, dataDirectory: String?, configFile: String?,
        installedConfigFile: String = DataDirectoryResolution.installedConfigFile
    ) throws -> QuerySource {
        if let url {
            guard dataDirectory == nil, configFile == nil else {
                throw Conflict(description: "--url reads a running agent; --data-dir and --config read a store: give one of them")
            }
            return .agent(url: try AlertsCommands.agentURL(url: url, configFile: nil))
        }
        if dataDirectory != nil || configFile != nil {
            return .dataDirectory(try DataDirectoryResolution.resolve(dataDirectory: dataDirectory, configFile: configFile))
        }
        let installed = PosixFileSystem().exists(installedConfigFile) ? installedConfigFile : nil
        return .agent(url: try AlertsCommands.agentURL(url: nil, configFile: installed))
    }
}
