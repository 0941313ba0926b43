import NIOConcurrencyHelpers
import NIOCore

/// The families of one complete collection, immutable once made. Rendered bodies are made on
/// first request and kept, so concurrent scrapes of one snapshot share one render and one gzip.
public final class MetricsSnapshot: Sendable {
    public let families: [MetricFamily]
    /// When the collection finished, on the monotonic clock (freshness) and the wall clock
    /// (sample timestamps).
    public let collectedAt: ContinuousClock.Instant
    public let timestampMilliseconds: Int64

    private struct BodyKey: Hashable {
        let format: ExpositionFormat
        let gzip: Bool
    }
    private let bodies = NIOLockedValueBox<[BodyKey: RenderedBody]>([:])
    /// The agent makes one snapshot after another of the same families.
    private static let order = FamilyOrder()

    public init(families: [MetricFamily], collectedAt: ContinuousClock.Instant, timestampMilliseconds: Int64) {
        self.families = Self.order.sorted(families)
        self.collectedAt = collectedAt
        self.timestampMilliseconds = timestampMilliseconds
    }

    public func age(now: ContinuousClock.Instant = .now) -> Duration { now - collectedAt }

    /// The body in `format`, gzip-compressed when asked and zlib succeeds.
    public func body(format: ExpositionFormat, gzip: Bool) -> RenderedBody {
        let key = BodyKey(format: format, gzip: gzip)
        if let cached = bodies.withLockedValue({ $0[key] }) { return cached }
        // Rendering happens outside the lock; two racing first requests may both render, which
        // is cheaper than making every reader wait.
        let plain = ExpositionRenderer.render(families, as: format)
        var body = RenderedBody(bytes: ByteBuffer(bytes: plain), isGzipped: false)
        if gzip, let compressed = try? Gzip.compress(plain) {
            body = RenderedBody(bytes: ByteBuffer(bytes: compressed), isGzipped: true)
        }
        bodies.withLockedValue { $0[key] = body }
        return body
    }
}

public struct RenderedBody: Sendable {
    public let bytes: ByteBuffer
    public let isGzipped: Bool
}
