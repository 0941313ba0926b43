import AlertEngine

/// Command-line flags that win over the config file, as Prometheus' flags do. They are
/// applied again on every reload.
public struct ConfigOverrides: Sendable, Equatable {
    public var listenAddress: ListenAddress?
    public var dataDirectory: String?
    /// `--web.enable-lifecycle`: turns the lifecycle endpoints on whatever the file says.
    public var enableLifecycle: Bool
    /// `--query.lookback-delta`: wins over `query.lookback_delta`.
    public var lookbackDelta: Duration?
    /// `--web.config.file`: wins over `web.config_file`.
    public var webConfigFile: String?
    /// `--query.window-start`: wins over `query.window_start`.
    public var windowStart: WindowStart? = nil

    public init(
        listenAddress: ListenAddress? = nil, dataDirectory: String? = nil, enableLifecycle: Bool = false,
        lookbackDelta: Duration? = nil, webConfigFile: String? = nil
    ) {
        self.webConfigFile = webConfigFile
        self.listenAddress = listenAddress
        self.dataDirectory = dataDirectory
        self.enableLifecycle = enableLifecycle
        self.lookbackDelta = lookbackDelta
    }

    public func applied(to config: AgentConfig) -> AgentConfig {
        var config = config
        if let listenAddress { config.listenAddress = listenAddress }
        if let dataDirectory { config.dataDirectory = dataDirectory }
        if enableLifecycle { config.web.enableLifecycle = true }
        if let lookbackDelta { config.query.lookbackDelta = lookbackDelta }
        if let webConfigFile { config.web.configFile = webConfigFile }
        if let windowStart { config.query.windowStart = windowStart }
        return config
    }
}

extension ConfigLoader {
    /// The file's config (or the defaults when there is no file) with the flags applied.
    public static func load(file: String?, overrides: ConfigOverrides) throws(ConfigError) -> AgentConfig {
        let base = try file.map { (path) throws(ConfigError) in try load(file: path) } ?? AgentConfig()
        return overrides.applied(to: base)
    }
}
