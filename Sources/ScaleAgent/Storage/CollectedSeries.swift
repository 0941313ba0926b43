import MetricStore

/// The series of the previous collection, for the next one's stale markers and series refs.
/// Collections list their series in the same order every time, so the steady case is settled
/// by comparing labels position by position; only a change of series hashes them.
struct CollectedSeries: Sendable {
    /// In batch order, without stale markers.
    private var previous: [Labels] = []
    var refs = SeriesRefCache()

    /// The collection's samples at its timestamp, then stale markers for the series the
    /// previous collection had and this one has not, as Prometheus writes for a target's
    /// vanished series, so that queries stop returning them at once instead of five minutes
    /// later.
    mutating func batch(for snapshot: MetricsSnapshot) -> [(labels: Labels, sample: Sample)] {
        let timestamp = snapshot.timestampMilliseconds
        var batch: [(labels: Labels, sample: Sample)] = []
        var current: [Labels] = []
        current.reserveCapacity(previous.count)
        for family in snapshot.families {
            for sample in family.samples {
                let labels = sample.labels.adding(Label.metricName, sample.name(in: family))
                current.append(labels)
                batch.append((labels, Sample(timestamp: timestamp, value: sample.value)))
            }
        }
        if current != previous {
            let vanished = Set(previous).subtracting(current)
            for labels in vanished.sorted() {
                batch.append((labels, Sample(timestamp: timestamp, value: StaleMarker.value)))
            }
        }
        previous = current
        return batch
    }
}
