#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The directory operations persistence needs: create, flush, list, rename, remove — each with a
/// typed error naming the path.
struct Directory: Sendable {
    /// The directory's path (absolute or relative to the working directory).
    let path: String

    init(_ path: String) {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// The path of an entry of this directory.
    func file(_ name: String) -> String { path + "/" + name }

    /// Creates the directory and its missing parents, flushing each parent that gained an entry.
    func create() throws {
        var components: [String] = []
        var current = path
        while !current.isEmpty, current != "/", current != ".", Self.fileType(current) == nil {
            components.append(current)
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current { break }
            current = parent
        }
        for dir in components.reversed() {
            if mkdir(dir, 0o755) != 0 && lastErrno != EEXIST {
                throw fileSystemError(lastErrno, operation: "create directory", path: dir)
            }
            let parent = (dir as NSString).deletingLastPathComponent
            try? Directory(parent.isEmpty ? "." : parent).sync()
        }
        if let type = Self.fileType(path), type != S_IFDIR {
            // A symbolic link to a directory is that directory (a data directory linked to another
            // disk); the lock file inside it makes every spelling of it one store.
            var target = stat()
            if type == S_IFLNK, stat(path, &target) == 0, target.st_mode & S_IFMT == S_IFDIR { return }
            throw VectorStoreError.corruptFile(path: path, reason: "it is \(fileTypeName(type)), not a directory")
        }
    }

    /// Flushes the directory's entries (new, renamed and removed names) to the device.
    func sync() throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw fileSystemError(lastErrno, operation: "open directory", path: path) }
        defer { close(fd) }
        while fsync(fd) != 0 {
            if lastErrno == EINTR { continue }
            // Some file systems cannot fsync a directory; that is not a durability failure there.
            if lastErrno == EINVAL || lastErrno == ENOTSUP { return }
            throw fileSystemError(lastErrno, operation: "fsync directory", path: path)
        }
    }

    /// The names of the directory's entries (without `.` and `..`).
    func entries() throws -> [String] {
        guard let dir = opendir(path) else {
            throw fileSystemError(lastErrno, operation: "list directory", path: path)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Renames an entry, replacing any entry `to` (atomic on POSIX file systems).
    func rename(_ from: String, to: String) throws {
        if Glibc_rename(file(from), file(to)) != 0 {
            throw fileSystemError(lastErrno, operation: "rename \(from) to", path: file(to))
        }
    }

    /// Removes a file entry; a missing entry is not an error.
    func remove(_ name: String) throws {
        if unlink(file(name)) != 0 && lastErrno != ENOENT {
            throw fileSystemError(lastErrno, operation: "remove", path: file(name))
        }
    }

    /// The type (`S_IFREG`, `S_IFDIR`, ...) of an entry, without following links; `nil` if absent.
    func type(of name: String) -> mode_t? { Self.fileType(file(name)) }

    static func fileType(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    /// Writes a file atomically: into a temporary file in this directory, written completely,
    /// flushed, renamed over `name`, then the directory flushed. A crash at any instant leaves
    /// either the old file or the new one, never a mix.
    ///
    /// - Parameter write: writes the content through the file it is given.
    func writeAtomically(_ name: String, _ write: (PosixFile) throws -> Void) throws {
        let temporary = Self.temporaryName(for: name)
        do {
            let file = try PosixFile.openForWriting(self.file(temporary), create: true, truncate: true)
            try write(file)
            try file.sync()
            file.close()
            try rename(temporary, to: name)
        } catch {
            try? remove(temporary)
            throw error
        }
        try sync()
    }

    /// The temporary name used while `name` is being written. Leftovers are removed at open.
    static func temporaryName(for name: String) -> String { "." + name + ".vstmp" }

    /// Whether an entry is one of our temporary files.
    static func isTemporary(_ name: String) -> Bool { name.hasPrefix(".") && name.hasSuffix(".vstmp") }

    /// Moves a damaged file aside as `<name>.corrupt-<UTC timestamp>` (never overwriting anything)
    /// and returns the new name.
    @discardableResult
    func moveAside(_ name: String, suffix: String = "corrupt") throws -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let stamp = formatter.string(from: Date())
        var candidate = "\(name).\(suffix)-\(stamp)"
        var n = 1
        while type(of: candidate) != nil {
            n += 1
            candidate = "\(name).\(suffix)-\(stamp)-\(n)"
        }
        // link + unlink never replaces an existing entry (rename would).
        if link(file(name), file(candidate)) == 0 {
            try remove(name)
        } else {
            try rename(name, to: candidate)
        }
        try sync()
        return candidate
    }
}

@inline(__always) func Glibc_rename(_ from: String, _ to: String) -> Int32 { rename(from, to) }
