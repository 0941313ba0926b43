#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers
import Testing

@testable import ScaleAgent

@Suite struct ReusableThreadTests {
    /// Runs a job through the slot and waits for it; returns the kernel thread id it ran on.
    private static func runAndWait(_ slot: ReusableThreadSlot) throws -> pid_t? {
        let ran = ConditionLock<pid_t>(value: 0)
        try slot.run {
            ran.lock()
            ran.unlock(withValue: Self.threadID())
        }
        return waitForNonZero(ran)
    }

    /// The lock's value once it is not 0, or nil after 10 s.
    private static func waitForNonZero(_ lock: ConditionLock<pid_t>) -> pid_t? {
        for _ in 0..<1000 {
            let value = lock.value
            if value != 0 { return value }
            usleep(10_000)
        }
        return nil
    }

    /// The point of the thread: many jobs, and no new thread for each.
    @Test func jobsRunOneAfterAnotherOnOneThread() throws {
        let slot = ReusableThreadSlot()
        let threads = try (0..<50).map { _ in try Self.runAndWait(slot) }
        #expect(threads.allSatisfy { $0 != nil })
        #expect(Set(threads).count == 1)
        #expect(threads.first! != Self.threadID())
    }

    @Test func anIdleThreadExitsAndTheSlotStartsAnother() throws {
        let slot = ReusableThreadSlot(idleExit: .milliseconds(20))
        let first = try Self.runAndWait(slot)
        usleep(200_000)
        let second = try Self.runAndWait(slot)
        #expect(first != nil && second != nil)
        #expect(first != second)
    }

    /// A job that never returns holds its thread; once retired, the next job runs elsewhere,
    /// and the blocked thread exits when its job finally returns.
    @Test func aRetiredThreadLeavesTheNextJobToAnother() throws {
        let slot = ReusableThreadSlot()
        let release = ConditionLock(value: false)
        let blocked = ConditionLock<pid_t>(value: 0)
        try slot.run {
            blocked.lock()
            blocked.unlock(withValue: Self.threadID())
            release.lock(whenValue: true)
            release.unlock()
        }
        let stuckThread = Self.waitForNonZero(blocked)
        #expect(stuckThread != nil)
        slot.retireCurrent()
        let next = try Self.runAndWait(slot)
        #expect(next != nil)
        #expect(next != stuckThread)
        release.lock()
        release.unlock(withValue: true)
    }

    /// The kernel's id of the calling thread (Glibc's module has no `gettid`).
    private static func threadID() -> pid_t {
        // "PID/task/TID"
        var target = [CChar](repeating: 0, count: 64)
        let count = readlink("/proc/thread-self", &target, target.count - 1)
        guard count > 0 else { return -1 }
        let link = String(decoding: target[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return pid_t(link.split(separator: "/").last ?? "") ?? -1
    }
}
