#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An exclusive advisory lock on a persistence directory: `flock(LOCK_EX | LOCK_NB)` on the file
/// `LOCK` in it, held until ``release()`` (or the process's death: the kernel frees it at once, so
/// a `kill -9` never leaves a stale lock).
///
/// `flock` locks belong to an open file description, so a second open in the same process is
/// refused just like one from another process (unlike `fcntl` record locks).
final class DirectoryLock {
    static let fileName = "LOCK"
    let path: String
    private var descriptor: Int32

    /// Takes the lock or throws ``VectorStoreError/directoryLocked(path:)`` at once.
    init(directory: Directory) throws {
        path = directory.file(Self.fileName)
        if let type = Directory.fileType(path), type != S_IFREG {
            throw VectorStoreError.corruptFile(path: path, reason: "it is \(fileTypeName(type)), not a regular file")
        }
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o644)
        if descriptor < 0 { throw fileSystemError(lastErrno, operation: "open lock file", path: path) }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = lastErrno
            if code == EINTR { continue }
            close(descriptor)
            descriptor = -1
            if code == EWOULDBLOCK || code == EAGAIN { throw VectorStoreError.directoryLocked(path: directory.path) }
            throw fileSystemError(code, operation: "lock", path: path)
        }
        // Informational only: who holds it.
        let note = "pid \(getpid()) since \(ISO8601DateFormatter().string(from: Date()))\n"
        _ = ftruncate(descriptor, 0)
        _ = note.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    /// Releases the lock.
    func release() {
        guard descriptor >= 0 else { return }
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
