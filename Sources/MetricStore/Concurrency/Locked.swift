import Synchronization

/// The lock around every piece of state our threads share.
///
/// Normally the standard library's `Mutex`. ThreadSanitizer builds (`make sanitize-thread`,
/// which defines `SCALEWATCH_TSAN`) swap in `PthreadLocked`: on Linux `Mutex` takes its futex
/// inside the uninstrumented standard library, so TSan sees neither its acquire nor its release
/// and reports every access under it as a race (a two-thread counter under `Mutex` gives nine
/// warnings; the same under a pthread mutex none). With the swap, what TSan still reports is
/// ours to look at.
#if SCALEWATCH_TSAN
public typealias Locked<Value> = PthreadLocked<Value>
#else
public typealias Locked<Value> = Mutex<Value>
#endif
