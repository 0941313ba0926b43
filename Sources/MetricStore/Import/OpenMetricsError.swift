/// Input that is not the OpenMetrics text `scalewatch import openmetrics` accepts: which file,
/// which 1-based line and column, and what was expected there.
public typealias OpenMetricsError = LocatedError
