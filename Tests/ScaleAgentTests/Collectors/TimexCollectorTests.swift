import Testing
@testable import ScaleAgent

@Suite struct TimexCollectorTests {
    @Test func reportsTheClockAdjustment() throws {
        var builder = MetricsBuilder()
        try TimexCollector(system: FixtureHostSystem()).collect(into: &builder)
        let families = builder.build()
        #expect(families.map(\.name) == [
            "node_timex_sync_status", "node_timex_offset_seconds", "node_timex_frequency_adjustment_ratio",
            "node_timex_maxerror_seconds", "node_timex_estimated_error_seconds", "node_timex_status",
            "node_timex_loop_time_constant", "node_timex_tick_seconds", "node_timex_pps_frequency_hertz",
            "node_timex_pps_jitter_seconds", "node_timex_pps_shift_seconds", "node_timex_pps_stability_hertz",
            "node_timex_pps_jitter_total", "node_timex_pps_calibration_total", "node_timex_pps_error_total",
            "node_timex_pps_stability_exceeded_total", "node_timex_tai_offset_seconds",
        ])
        #expect(families.allSatisfy { $0.type == ($0.name.hasSuffix("_total") ? .counter : .gauge) })
        #expect(families.value("node_timex_sync_status") == 0)
        #expect(families.value("node_timex_offset_seconds") == 0.0025)
        #expect(families.value("node_timex_frequency_adjustment_ratio") == 1.0000123)
        #expect(families.value("node_timex_maxerror_seconds") == 16)
        #expect(families.value("node_timex_status") == 0x2040)
        #expect(families.value("node_timex_tick_seconds") == 0.01)
        #expect(families.value("node_timex_tai_offset_seconds") == 37)
        #expect(families.first?.help == "Is clock synchronized to a reliable server (1 = yes, 0 = no).")
    }

    @Test func synchronisedClockReportsOne() {
        var builder = MetricsBuilder()
        TimexCollector.emit(ClockAdjustment(synchronised: true), into: &builder)
        #expect(builder.build().value("node_timex_sync_status") == 1)
    }

    @Test func convertsKernelUnitsAsNodeExporter() {
        var micro = KernelTimex()
        micro.offset = -1500  // µs
        micro.frequency = 655_360  // 10 ppm, 16-bit fraction
        micro.maxError = 16_000_000
        micro.estimatedError = 250
        micro.status = 0x40
        micro.constant = 2
        micro.tick = 10_000
        micro.ppsFrequency = 65536
        micro.jitter = 20
        micro.shift = 4
        micro.stability = 131_072
        micro.jitterCount = 1
        micro.calibrationCount = 2
        micro.errorCount = 3
        micro.stabilityCount = 4
        micro.tai = 37
        let clock = micro.converted(state: 0)
        #expect(clock.offsetSeconds == -0.0015)
        #expect(abs(clock.frequencyAdjustmentRatio - 1.00001) < 1e-12)
        #expect(clock.maxErrorSeconds == 16)
        #expect(clock.estimatedErrorSeconds == 0.00025)
        #expect(clock.status == 64)
        #expect(clock.loopTimeConstant == 2)
        #expect(clock.tickSeconds == 0.01)
        #expect(clock.ppsFrequencyHertz == 0.000001)
        #expect(clock.ppsJitterSeconds == 0.00002)
        #expect(clock.ppsShiftSeconds == 4)
        #expect(clock.ppsStabilityHertz == 0.000002)
        #expect([clock.ppsJitterTotal, clock.ppsCalibrationTotal, clock.ppsErrorTotal, clock.ppsStabilityExceededTotal] == [1, 2, 3, 4])
        #expect(clock.taiOffsetSeconds == 37)
        #expect(clock.synchronised)

        var nano = micro
        nano.status = 0x2000 | 0x40
        let nanoClock = nano.converted(state: KernelTimex.timeError)
        #expect(nanoClock.offsetSeconds == -0.0000015)
        #expect(nanoClock.ppsJitterSeconds == 0.00000002)
        #expect(nanoClock.maxErrorSeconds == 16)  // always microseconds
        #expect(!nanoClock.synchronised)
    }
}

extension [MetricFamily] {
    fileprivate func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        first { $0.name == name }?.samples.first { sample in
            sample.labels.count == labels.count && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }?.value
    }
}
