import MetricStore

extension Array where Element == Sample {
    /// Binary searches over samples in time order.
    func firstIndex(withTimestampAtLeast time: Int64) -> Int {
        firstIndex(from: 0) { $0 >= time }
    }

    func firstIndex(withTimestampAbove time: Int64) -> Int {
        firstIndex(from: 0) { $0 > time }
    }

    private func firstIndex(from start: Int, where isAfter: (Int64) -> Bool) -> Int {
        var low = start
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if isAfter(self[middle].timestamp) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
