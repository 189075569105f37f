#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A point-in-time copy of a persistence directory in a private temporary directory, taken
/// without the directory's lock and without writing anything to it, so that read-only tools
/// (``ReadOnlyCollection``, ``CollectionVerifier``, a repair's dry run) can run the normal
/// recovery code over it even while a store has the directory open.
///
/// Why a copy is consistent without the lock: checkpoint files are only ever replaced whole by
/// a rename (so a hard link, or a copy, pins one version), log segments are only appended to
/// (a copy may end in an append still in flight: a torn tail, which recovery cuts), and a
/// checkpoint announces its files in the log before it renames them. What a copy can catch is a
/// checkpoint publishing or a segment appearing or vanishing *between* two files: the copy
/// compares every file's identity and the list of segments before and after, and starts over
/// (up to ``maxAttempts`` times) until nothing changed meanwhile.
///
/// Checkpoint files are hard-linked when the file system allows it (no bytes copied), else
/// copied; log segments are always copied (an open cuts a torn tail in place). Temporary files
/// of a checkpoint in progress, the lock file and files set aside are not copied.
struct DirectorySnapshot {
    /// The directory copied.
    let source: Directory
    /// The private copy.
    let copy: Directory
    /// Whether another store held the directory's lock when the copy was taken.
    let inUse: Bool
    /// What the lock file says about its holder (`pid 123 since ...`), when in use.
    let lockHolder: String?
    /// Entries of the source that are not regular files, by name, with their kind; recovery
    /// refuses them, so they are reported rather than copied.
    let irregularEntries: [String: String]
    /// Every name in the source when the copy was taken.
    let sourceNames: [String]
    /// `false` when the directory kept changing through every attempt (the copy is the last one).
    let settled: Bool

    static let maxAttempts = 8

    /// Copies the directory at `path`.
    ///
    /// - Throws: ``VectorStoreError/persistenceFailure(path:operation:errno:reason:)`` when the
    ///   directory cannot be listed or a file cannot be read.
    static func take(of path: String) throws -> DirectorySnapshot {
        let source = Directory(path)
        guard let type = Directory.fileType(source.path) else {
            throw VectorStoreError.persistenceFailure(
                path: source.path, operation: "open", errno: ENOENT, reason: "no such directory")
        }
        var isDirectory = type == S_IFDIR
        if type == S_IFLNK {
            var target = stat()
            isDirectory = stat(source.path, &target) == 0 && target.st_mode & S_IFMT == S_IFDIR
        }
        guard isDirectory else {
            throw VectorStoreError.persistenceFailure(
                path: source.path, operation: "open", errno: ENOTDIR, reason: "it is \(fileTypeName(type)), not a directory")
        }
        let (inUse, holder) = probeLock(source)
        var attempt = 0
        while true {
            attempt += 1
            let before = try Identity.read(source)
            let copy = try makeTemporaryDirectory()
            var vanished = false
            for name in before.names where before.irregular[name] == nil {
                do {
                    if CheckpointFiles.all.contains(name) {
                        try linkOrCopy(source.file(name), to: copy.file(name))
                    } else if WALFormat.firstLSN(ofSegment: name) != nil {
                        try copyFile(source.file(name), to: copy.file(name))
                    }
                } catch {
                    // A file that vanished between listing and copying: a checkpoint ran; start over.
                    guard attempt < maxAttempts, Directory.fileType(source.file(name)) == nil else {
                        removeTree(copy.path)
                        throw error
                    }
                    vanished = true
                    break
                }
            }
            if vanished {
                removeTree(copy.path)
                continue
            }
            let after = try Identity.read(source)
            let settled = after.stableSince(before)
            if settled || attempt >= maxAttempts {
                return DirectorySnapshot(
                    source: source, copy: copy, inUse: inUse, lockHolder: holder,
                    irregularEntries: before.irregular, sourceNames: before.names.sorted(), settled: settled)
            }
            removeTree(copy.path)
            usleep(20_000)
        }
    }

    /// Removes the copy.
    func remove() { Self.removeTree(copy.path) }

    // MARK: - The lock

    /// Whether a store holds the directory's lock: a non-blocking *shared* `flock` on `LOCK`,
    /// released at once (never waited for, never held while reading), on a read-only descriptor
    /// (a missing lock file is not created: then nobody holds it).
    static func probeLock(_ directory: Directory) -> (inUse: Bool, holder: String?) {
        let path = directory.file(DirectoryLock.fileName)
        guard Directory.fileType(path) == S_IFREG else { return (false, nil) }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return (false, nil) }
        defer { close(fd) }
        var locked = false
        while flock(fd, LOCK_SH | LOCK_NB) != 0 {
            let code = lastErrno
            if code == EINTR { continue }
            locked = code == EWOULDBLOCK || code == EAGAIN
            break
        }
        if !locked {
            _ = flock(fd, LOCK_UN)
            return (false, nil)
        }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        let note = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
        return (true, note.isEmpty ? nil : note)
    }

    // MARK: - Identity of a directory's contents

    /// The names in a directory and the identity (inode, size, modification time) of each file
    /// the copy depends on.
    private struct Identity {
        var names: [String] = []
        var irregular: [String: String] = [:]
        var files: [String: [Int64]] = [:]

        static func read(_ directory: Directory) throws -> Identity {
            var identity = Identity()
            for name in try directory.entries() where !Directory.isTemporary(name) {
                identity.names.append(name)
                let checkpointFile = CheckpointFiles.all.contains(name)
                let segment = WALFormat.firstLSN(ofSegment: name) != nil
                guard checkpointFile || segment || name == DirectoryLock.fileName else { continue }
                var info = stat()
                guard lstat(directory.file(name), &info) == 0 else { continue }
                let type = info.st_mode & S_IFMT
                if type != S_IFREG {
                    identity.irregular[name] = fileTypeName(type)
                    continue
                }
                // A segment's size grows with appends, which the copy tolerates: only its inode counts.
                identity.files[name] = segment
                    ? [Int64(info.st_ino)]
                    : [Int64(info.st_ino), Int64(info.st_size), Int64(info.st_mtimeSpec.tv_sec), Int64(info.st_mtimeSpec.tv_nsec)]
            }
            return identity
        }

        /// Nothing the copy depends on changed: same checkpoint files, same segments.
        func stableSince(_ earlier: Identity) -> Bool {
            files.filter { $0.key != DirectoryLock.fileName } == earlier.files.filter { $0.key != DirectoryLock.fileName }
        }
    }

    // MARK: - File operations (on the copy only; the source is only read)

    private static func makeTemporaryDirectory() throws -> Directory {
        var template = Array((NSTemporaryDirectory() + "/vectorstorage-snapshot-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else {
            throw fileSystemError(lastErrno, operation: "create a temporary directory in", path: NSTemporaryDirectory())
        }
        let path = template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return Directory(String(decoding: path, as: UTF8.self))
    }

    private static func linkOrCopy(_ from: String, to: String) throws {
        if link(from, to) == 0 { return }
        try copyFile(from, to: to)
    }

    private static func copyFile(_ from: String, to: String) throws {
        let bytes = try PosixFile.openForReading(from).readAll()
        let file = try PosixFile.openForWriting(to, create: true, truncate: true)
        defer { file.close() }
        try bytes.withUnsafeBytes { try file.write($0, at: 0) }
    }

    static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}

#if canImport(Darwin)
private extension stat {
    var st_mtimeSpec: timespec { st_mtimespec }
}
#else
private extension stat {
    var st_mtimeSpec: timespec { st_mtim }
}
#endif
