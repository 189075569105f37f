#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// An open file descriptor of a regular file, with the few operations persistence needs, each
/// retrying on `EINTR`, looping on short reads and writes, and throwing typed errors that name the
/// file. Never follows a symbolic link, never blocks on a FIFO: opening anything but a regular file
/// is an error.
final class PosixFile {
    let path: String
    private(set) var descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        if descriptor >= 0 { _ = Glibc_close(descriptor) }
    }

    /// Opens an existing regular file for reading.
    static func openForReading(_ path: String) throws -> PosixFile {
        try open(path, flags: O_RDONLY)
    }

    /// Opens (creating if needed) a regular file for reading and writing.
    static func openForWriting(_ path: String, create: Bool = true, truncate: Bool = false) throws -> PosixFile {
        var flags = O_RDWR
        if create { flags |= O_CREAT }
        if truncate { flags |= O_TRUNC }
        return try open(path, flags: flags)
    }

    private static func open(_ path: String, flags: Int32) throws -> PosixFile {
        let fd = path.withCString { Glibc_open($0, flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o644) }
        if fd < 0 {
            let code = lastErrno
            if code == ELOOP {
                throw VectorStoreError.corruptFile(path: path, reason: "it is a symbolic link, not a regular file")
            }
            throw fileSystemError(code, operation: "open", path: path)
        }
        let file = PosixFile(path: path, descriptor: fd)
        var info = stat()
        if fstat(fd, &info) != 0 { throw fileSystemError(lastErrno, operation: "stat", path: path) }
        let type = info.st_mode & S_IFMT
        if type != S_IFREG {
            throw VectorStoreError.corruptFile(path: path, reason: "it is \(fileTypeName(type)), not a regular file")
        }
        // Regular files never block; clear O_NONBLOCK so the flag cannot surprise later calls.
        let current = fcntl(fd, F_GETFL)
        if current >= 0 { _ = fcntl(fd, F_SETFL, current & ~O_NONBLOCK) }
        return file
    }

    /// The file's size in bytes.
    func size() throws -> Int64 {
        var info = stat()
        if fstat(descriptor, &info) != 0 { throw fileSystemError(lastErrno, operation: "stat", path: path) }
        return Int64(info.st_size)
    }

    /// Reads the whole file.
    func readAll() throws -> [UInt8] {
        let total = try size()
        guard total > 0 else { return [] }
        guard total < Int64(Int.max / 2) else {
            throw VectorStoreError.corruptFile(path: path, reason: "it is too large (\(total) bytes)")
        }
        // Uninitialised storage: the read fills it, so no time is spent zeroing it first.
        var failure: (any Error)?
        let bytes = [UInt8](unsafeUninitializedCapacity: Int(total)) { buffer, initialized in
            do {
                initialized = try read(into: UnsafeMutableRawBufferPointer(buffer), at: 0)
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Reads up to `buffer.count` bytes at `offset`; returns how many were read (fewer only at end of file).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if lastErrno == EINTR { continue }
                throw fileSystemError(lastErrno, operation: "read", path: path)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Writes every byte of `bytes` at `offset` (looping on short writes).
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws {
        guard bytes.count > 0 else { return }
        do {
            _ = try FileDescriptor(rawValue: descriptor).writeAll(toAbsoluteOffset: offset, bytes)
        } catch let error as Errno {
            throw fileSystemError(error.rawValue, operation: "write", path: path)
        }
    }

    /// Flushes the file's data (and the metadata needed to read it) to the device.
    /// On Apple platforms this is `F_FULLFSYNC`, since `fsync` there does not reach the platters.
    func sync() throws {
        #if canImport(Darwin)
        if fcntl(descriptor, F_FULLFSYNC) == 0 { return }
        #endif
        while fsync(descriptor) != 0 {
            if lastErrno == EINTR { continue }
            throw fileSystemError(lastErrno, operation: "fsync", path: path)
        }
    }

    /// Flushes the file's data and the metadata needed to read it back (its size), but not its
    /// timestamps: `fdatasync` on Linux, `F_FULLFSYNC` on Apple platforms. Enough for appends.
    func syncData() throws {
        #if canImport(Darwin)
        try sync()
        #else
        while fdatasync(descriptor) != 0 {
            if lastErrno == EINTR { continue }
            throw fileSystemError(lastErrno, operation: "fdatasync", path: path)
        }
        #endif
    }

    /// Cuts the file to `length` bytes.
    func truncate(to length: Int64) throws {
        while ftruncate(descriptor, off_t(length)) != 0 {
            if lastErrno == EINTR { continue }
            throw fileSystemError(lastErrno, operation: "truncate", path: path)
        }
    }

    /// Closes the descriptor (also done on deinit).
    func close() {
        if descriptor >= 0 {
            _ = Glibc_close(descriptor)
            descriptor = -1
        }
    }
}

func fileTypeName(_ type: mode_t) -> String {
    switch type {
    case S_IFDIR: return "a directory"
    case S_IFIFO: return "a FIFO"
    case S_IFLNK: return "a symbolic link"
    case S_IFSOCK: return "a socket"
    case S_IFCHR: return "a character device"
    case S_IFBLK: return "a block device"
    default: return "not a regular file"
    }
}

// Module-qualified names for the C functions our methods shadow.
@inline(__always) func Glibc_open(_ path: UnsafePointer<CChar>, _ flags: Int32, _ mode: mode_t) -> Int32 {
    open(path, flags, mode)
}

@inline(__always) func Glibc_close(_ fd: Int32) -> Int32 { close(fd) }
