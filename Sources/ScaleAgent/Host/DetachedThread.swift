#if canImport(Glibc)
import Glibc
#endif

/// A detached POSIX thread for a call that may never return: nothing joins it, and its small
/// stack keeps the cost of one left blocked low.
enum DetachedThread {
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    static func start(stackSize: Int = 256 * 1024, _ run: @escaping @Sendable () -> Void) throws {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        pthread_attr_setstacksize(&attributes, stackSize)
        let body = Unmanaged.passRetained(Body(run))
        var thread = pthread_t()
        let code = pthread_create(
            &thread, &attributes,
            { raw in
                Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue().run()
                return nil
            }, body.toOpaque())
        if code != 0 {
            body.release()
            throw SystemCallError(call: "pthread_create", errno: code)
        }
    }
}
