@testable import MetricStore
import Testing

@Suite struct FrameCacheTests {
    static func key(_ offset: Int) -> FrameCache.Key { FrameCache.Key(segment: 1, offset: offset) }

    @Test func evictsTheLeastRecentlyUsedFrameToStayWithinItsBytes() {
        var cache = FrameCache(capacity: 30)
        cache.insert([UInt8](repeating: 1, count: 10), for: Self.key(1))
        cache.insert([UInt8](repeating: 2, count: 10), for: Self.key(2))
        cache.insert([UInt8](repeating: 3, count: 10), for: Self.key(3))
        #expect(cache.frame(Self.key(1)) == [UInt8](repeating: 1, count: 10))  // 2 is now the oldest
        cache.insert([UInt8](repeating: 4, count: 10), for: Self.key(4))
        #expect(cache.count == 3)
        #expect(cache.frame(Self.key(2)) == nil)
        #expect(cache.frame(Self.key(3)) != nil)
        #expect(cache.frame(Self.key(1)) != nil)
        #expect(cache.frame(Self.key(4)) != nil)
    }

    @Test func aFrameLargerThanTheCacheIsNotKeptButServesItsNeighbours() {
        var cache = FrameCache(capacity: 5)
        cache.insert([UInt8](repeating: 9, count: 10), for: Self.key(1))
        #expect(cache.count == 0)
        #expect(cache.frame(Self.key(1)) == [UInt8](repeating: 9, count: 10))
        cache.insert([1], for: Self.key(2))
        #expect(cache.frame(Self.key(1)) == nil)
    }
}
