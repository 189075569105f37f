#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A large byte buffer for reading whole files at open: aligned to 2 MiB and, on Linux, backed by
/// transparent huge pages when the system allows it, so filling 100 MB costs a few dozen page
/// faults instead of tens of thousands (the dominant cost of reading a big file into fresh memory).
final class LargeBuffer: @unchecked Sendable {
    let count: Int
    private let base: UnsafeMutableRawPointer

    init(count: Int) {
        self.count = count
        let alignment = 2 << 20
        var raw: UnsafeMutableRawPointer?
        let status = posix_memalign(&raw, alignment, max(count, 1))
        guard status == 0, let block = raw else { fatalError("out of memory allocating \(count) bytes") }
        base = block
        #if os(Linux)
        if count >= 4 << 20 { _ = madvise(block, count, 14 /* MADV_HUGEPAGE */) }
        #endif
    }

    deinit { free(base) }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
    var mutableBytes: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(start: base, count: count) }
}

/// Floats in a ``LargeBuffer``: a checkpoint's copy of the vectors (made quickly: huge pages, no
/// zeroing before the copy).
final class FloatBuffer: @unchecked Sendable {
    let count: Int
    private let storage: LargeBuffer

    init(count: Int) {
        self.count = count
        storage = LargeBuffer(count: count * MemoryLayout<Float>.stride)
    }

    var pointer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(
            start: storage.mutableBytes.baseAddress?.assumingMemoryBound(to: Float.self), count: count)
    }

    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(pointer))
    }
}

extension PosixFile {
    /// Reads the whole file into a ``LargeBuffer`` (for files of many megabytes).
    func readAllLarge() throws -> LargeBuffer {
        let total = try size()
        guard total < Int64(Int.max / 2) else {
            throw VectorStoreError.corruptFile(path: path, reason: "it is too large (\(total) bytes)")
        }
        let buffer = LargeBuffer(count: Int(total))
        let got = try read(into: buffer.mutableBytes, at: 0)
        guard got == buffer.count else {
            throw VectorStoreError.persistenceFailure(
                path: path, operation: "read", errno: nil, reason: "the file shrank while being read")
        }
        return buffer
    }
}
