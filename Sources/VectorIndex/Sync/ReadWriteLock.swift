#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A reader-writer lock over `pthread_rwlock_t`: any number of readers, or one writer.
///
/// On Linux the lock prefers writers, so a stream of overlapping searches cannot starve a writer
/// that waits. Not recursive: a thread that holds the lock (in either mode) must not take it again.
package final class ReadWriteLock: @unchecked Sendable {
    private let handle: UnsafeMutablePointer<pthread_rwlock_t>

    package init() {
        handle = .allocate(capacity: 1)
        handle.initialize(to: pthread_rwlock_t())
        #if canImport(Glibc)
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        let status = pthread_rwlock_init(handle, &attributes)
        pthread_rwlockattr_destroy(&attributes)
        #else
        let status = pthread_rwlock_init(handle, nil)
        #endif
        precondition(status == 0, "pthread_rwlock_init failed: \(status)")
    }

    deinit {
        pthread_rwlock_destroy(handle)
        handle.deallocate()
    }

    @inline(__always)
    package func lockShared() { pthread_rwlock_rdlock(handle) }

    @inline(__always)
    package func lockExclusive() { pthread_rwlock_wrlock(handle) }

    @inline(__always)
    package func unlock() { pthread_rwlock_unlock(handle) }

    /// Runs `body` holding the lock in shared (reader) mode.
    @inline(__always)
    package func withShared<R>(_ body: () throws -> R) rethrows -> R {
        pthread_rwlock_rdlock(handle)
        defer { pthread_rwlock_unlock(handle) }
        return try body()
    }

    /// Runs `body` holding the lock in exclusive (writer) mode.
    @inline(__always)
    package func withExclusive<R>(_ body: () throws -> R) rethrows -> R {
        pthread_rwlock_wrlock(handle)
        defer { pthread_rwlock_unlock(handle) }
        return try body()
    }
}
