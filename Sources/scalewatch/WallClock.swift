#if canImport(Glibc)
import Glibc
#endif

/// Now, in Unix milliseconds: what an absent --time or --end means.
func nowMilliseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
}
