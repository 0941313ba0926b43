import MetricStore

/// What a range function can keep up to date as samples enter and leave one series' window,
/// instead of rescanning the window at every step. With 1 s samples, `[5m]` and a 15 s step,
/// every sample sits in 20 windows; kept up to date, it is looked at about twice.
///
/// Both summaries give exactly the rescan's result: the counter-reset count only tells
/// `rate` that the window has no reset (then `last - first` is the whole sum, as in the
/// rescan), and the extremum picks the same sample the rescan would.
struct SlidingWindow {
    enum Summary {
        /// Nothing kept: the function scans its window.
        case none
        /// Drops between neighbouring samples (`rate`, `increase`).
        case counterResets
        /// max_over_time / min_over_time.
        case maximum, minimum
    }

    let summary: Summary
    /// Neighbouring pairs inside the window whose second value is below the first.
    private(set) var counterResets = 0
    /// Extremum candidates, as sample indices in `candidates[head..<tail]`: oldest first, each
    /// strictly better than every later one, NaN never; `candidates[head]` is the window's
    /// extremum. A plain buffer: an array's uniqueness checks cost as much as the comparisons.
    private var candidates: UnsafeMutableBufferPointer<Int>
    private var head = 0
    private var tail = 0

    /// Call `deallocate()` when done.
    init(for function: RangeFunction) {
        switch function {
        case .rate, .increase: summary = .counterResets
        case .maxOverTime: summary = .maximum
        case .minOverTime: summary = .minimum
        default: summary = .none
        }
        candidates = .allocate(capacity: 0)
    }

    func deallocate() { candidates.deallocate() }

    /// Before the next series, of `count` samples: an extremum may need a candidate per sample.
    mutating func clear(forSeriesOf count: Int) {
        counterResets = 0
        head = 0
        tail = 0
        guard summary == .maximum || summary == .minimum, count > candidates.count else { return }
        let capacity = max(count, candidates.count * 2)
        candidates.deallocate()
        candidates = .allocate(capacity: capacity)
    }

    /// `samples[index]` joins the window, whose oldest sample is `samples[lower]`.
    @inline(__always)
    mutating func enter(_ index: Int, lower: Int, _ samples: [Sample]) {
        switch summary {
        case .none:
            return
        case .counterResets:
            if index > lower, samples[index].value < samples[index - 1].value { counterResets += 1 }
        case .maximum, .minimum:
            let value = samples[index].value
            guard !value.isNaN else { return }
            // Only a strictly better value displaces older candidates: the rescan keeps the
            // first of equal values (which tells -0 from +0).
            while tail > head, isStrictlyBetter(value, than: samples[candidates[tail - 1]].value) { tail -= 1 }
            candidates[tail] = index
            tail += 1
        }
    }

    /// `samples[index]`, the window's oldest, leaves it; `samples[upper]` is the first after it.
    @inline(__always)
    mutating func leave(_ index: Int, upper: Int, _ samples: [Sample]) {
        switch summary {
        case .none:
            return
        case .counterResets:
            if index + 1 < upper, samples[index + 1].value < samples[index].value { counterResets -= 1 }
        case .maximum, .minimum:
            if tail > head, candidates[head] == index { head += 1 }
        }
    }

    @inline(__always)
    private func isStrictlyBetter(_ value: Double, than other: Double) -> Bool {
        summary == .maximum ? value > other : value < other
    }

    /// The window's extremum; NaN when every value in it is NaN.
    func extremum(_ samples: [Sample]) -> Double {
        head < tail ? samples[candidates[head]].value : .nan
    }
}
