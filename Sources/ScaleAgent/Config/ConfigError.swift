import MetricStore

/// A config file the agent refuses: where (file, 1-based line and column) and what was
/// expected there. Printed as `file:line:column: message`, the form editors jump to.
public typealias ConfigError = LocatedError
