import MetricStore

extension Store: SampleSource {}
