extension Duration {
    /// The duration as fractional seconds, for metrics and for APIs that take a Double.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
