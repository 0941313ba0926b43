/// The kernel clock discipline from adjtimex(2), under node_exporter's `timex` names, so that
/// an unsynchronised clock (`node_timex_sync_status 0`) or a large offset is visible.
public struct TimexCollector: Collector {
    public let name = "timex"
    private let system: any HostSystem

    public init(system: any HostSystem) { self.system = system }

    public func collect(into metrics: inout MetricsBuilder) throws {
        Self.emit(try system.clockAdjustment(), into: &metrics)
    }

    static func emit(_ clock: ClockAdjustment, into metrics: inout MetricsBuilder) {
        metrics.gauge("node_timex_sync_status", "Is clock synchronized to a reliable server (1 = yes, 0 = no).", clock.synchronised ? 1 : 0)
        metrics.gauge("node_timex_offset_seconds", "Time offset in between local system and reference clock.", clock.offsetSeconds)
        metrics.gauge("node_timex_frequency_adjustment_ratio", "Local clock frequency adjustment.", clock.frequencyAdjustmentRatio)
        metrics.gauge("node_timex_maxerror_seconds", "Maximum error in seconds.", clock.maxErrorSeconds)
        metrics.gauge("node_timex_estimated_error_seconds", "Estimated error in seconds.", clock.estimatedErrorSeconds)
        metrics.gauge("node_timex_status", "Value of the status array bits.", clock.status)
        metrics.gauge("node_timex_loop_time_constant", "Phase-locked loop time constant.", clock.loopTimeConstant)
        metrics.gauge("node_timex_tick_seconds", "Seconds between clock ticks.", clock.tickSeconds)
        metrics.gauge("node_timex_pps_frequency_hertz", "Pulse per second frequency.", clock.ppsFrequencyHertz)
        metrics.gauge("node_timex_pps_jitter_seconds", "Pulse per second jitter.", clock.ppsJitterSeconds)
        metrics.gauge("node_timex_pps_shift_seconds", "Pulse per second interval duration.", clock.ppsShiftSeconds)
        metrics.gauge(
            "node_timex_pps_stability_hertz", "Pulse per second stability, average of recent frequency changes.",
            clock.ppsStabilityHertz)
        metrics.counter(
            "node_timex_pps_jitter_total", "Pulse per second count of jitter limit exceeded events.", clock.ppsJitterTotal)
        metrics.counter(
            "node_timex_pps_calibration_total", "Pulse per second count of calibration intervals.", clock.ppsCalibrationTotal)
        metrics.counter("node_timex_pps_error_total", "Pulse per second count of calibration errors.", clock.ppsErrorTotal)
        metrics.counter(
            "node_timex_pps_stability_exceeded_total", "Pulse per second count of stability limit exceeded events.",
            clock.ppsStabilityExceededTotal)
        metrics.gauge("node_timex_tai_offset_seconds", "International Atomic Time (TAI) offset.", clock.taiOffsetSeconds)
    }
}
