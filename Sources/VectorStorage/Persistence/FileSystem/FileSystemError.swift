#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a failed system call into the store's error: `ENOSPC`/`EDQUOT` become
/// ``VectorStoreError/diskFull(path:)``, anything else a
/// ``VectorStoreError/persistenceFailure(path:operation:errno:reason:)`` naming the call and the file.
func fileSystemError(_ code: Int32, operation: String, path: String) -> VectorStoreError {
    if code == ENOSPC || code == EDQUOT { return .diskFull(path: path) }
    return .persistenceFailure(path: path, operation: operation, errno: code, reason: String(cString: strerror(code)))
}

/// The `errno` of the last failed call.
var lastErrno: Int32 { errno }
