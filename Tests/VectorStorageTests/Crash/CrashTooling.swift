#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// Locates the `vstorture` executable: next to the test bundle in `.build/<config>/` (where
/// `swift build --build-tests` puts every product), or at `$VSTORTURE`.
enum CrashTool {
    static let vstorture: String? = {
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["VSTORTURE"] { candidates.append(explicit) }
        let argv0 = CommandLine.arguments.first ?? ""
        candidates.append((argv0 as NSString).deletingLastPathComponent + "/vstorture")
        for bundle in [Bundle.main] + Bundle.allBundles {
            let path = bundle.bundlePath
            candidates.append((path as NSString).deletingLastPathComponent + "/vstorture")
            candidates.append(path + "/vstorture")
        }
        for candidate in candidates where !candidate.isEmpty {
            let resolved = (candidate as NSString).standardizingPath
            if FileManager.default.isExecutableFile(atPath: resolved) { return resolved }
        }
        return nil
    }()

    /// The executable or a failure message naming where it was looked for.
    static func require() throws -> String {
        guard let path = vstorture else {
            throw CrashFailure("vstorture not found next to the test bundle (\(CommandLine.arguments.first ?? "?")); "
                + "build it with `swift build -c release -Xswiftc -enable-testing --build-tests` or set VSTORTURE")
        }
        return path
    }

    /// The full path of a command on `PATH`, or `nil`.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin:/usr/sbin:/sbin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static var isRoot: Bool { geteuid() == 0 }
}

/// A test failure with a message (thrown out of helpers, recorded by the test).
struct CrashFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A child process whose standard output is read line by line as it arrives (by a dedicated
/// thread), with its standard error collected in a file. Lines written before a `kill -9` are
/// never lost: they are in the pipe.
final class CrashChild: @unchecked Sendable {
    let process = Process()
    let label: String
    private let stdoutPipe = Pipe()
    private let stdinPipe: Pipe?
    private let stderrPath: String
    private let condition = NSCondition()
    private var lines: [String] = []
    private var eof = false
    private let stderrHandle: FileHandle?

    /// - Parameters:
    ///   - executable: the program; `arguments` its arguments.
    ///   - environment: added to (and overriding) the test's environment.
    ///   - interactive: give the child a pipe on standard input (see ``send(_:)``).
    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], interactive: Bool = false,
         label: String? = nil) throws {
        self.label = label ?? ((executable as NSString).lastPathComponent + " " + arguments.prefix(1).joined())
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "VS_KILL_AT")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = stdoutPipe
        stderrPath = NSTemporaryDirectory() + "/crash-stderr-\(UUID().uuidString.prefix(8)).txt"
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        stderrHandle = FileHandle(forWritingAtPath: stderrPath)
        process.standardError = stderrHandle
        if interactive {
            let pipe = Pipe()
            stdinPipe = pipe
            process.standardInput = pipe
        } else {
            stdinPipe = nil
            process.standardInput = FileHandle.nullDevice
        }
        try CrashChild.spawnLock.withLock { try process.run() }
        // Our copies of the child's ends: only the child may hold them (else no end of file).
        try? stderrHandle?.close()
        try? (process.standardInput as? Pipe)?.fileHandleForReading.close()
        let fd = stdoutPipe.fileHandleForReading.fileDescriptor
        // The thread holds this object until the output ends (no cycle: nothing holds the thread).
        let thread = Thread { [self] in readLoop(fd) }
        thread.name = "crash-child-reader"
        thread.start()
    }

    /// Foundation's `Process.run()` is not safe to call from several threads at once on Linux
    /// (it walks the process's descriptors while others open and close theirs): one at a time.
    private static let spawnLock = NSLock()

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? stdinPipe?.fileHandleForWriting.close()
        try? FileManager.default.removeItem(atPath: stderrPath)
    }

    private func readLoop(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var partial: [UInt8] = []
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            var complete: [String] = []
            for byte in buffer[0..<n] {
                if byte == UInt8(ascii: "\n") {
                    complete.append(String(decoding: partial, as: UTF8.self))
                    partial.removeAll(keepingCapacity: true)
                } else {
                    partial.append(byte)
                }
            }
            if !complete.isEmpty {
                condition.lock()
                lines.append(contentsOf: complete)
                condition.broadcast()
                condition.unlock()
            }
        }
        try? stdoutPipe.fileHandleForReading.close()
        condition.lock()
        // A final line without its newline was cut by the kill: it is not a complete oracle line.
        if !partial.isEmpty { lines.append("PARTIAL " + String(decoding: partial, as: UTF8.self)) }
        eof = true
        condition.broadcast()
        condition.unlock()
    }

    var pid: Int32 { process.processIdentifier }

    /// Every complete line read so far.
    var output: [String] {
        condition.lock()
        defer { condition.unlock() }
        return lines
    }

    /// Waits until `predicate` holds for the lines read so far (or output ends, or time runs out).
    @discardableResult
    func wait(timeout: Double, until predicate: ([String]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !predicate(lines) {
            if eof { return false }
            if !condition.wait(until: deadline) { return predicate(lines) }
        }
        return true
    }

    /// Sends a command and waits for the first line starting with `prefix` that arrives after it.
    func request(_ command: String, expect prefix: String, timeout: Double = 60) -> String? {
        let before = output.count
        send(command)
        var found: String?
        wait(timeout: timeout) { lines in
            found = lines.dropFirst(before).first { $0.hasPrefix(prefix) }
            return found != nil
        }
        return found
    }

    /// Waits for the first line starting with `prefix` and returns it.
    func waitForLine(prefix: String, timeout: Double) -> String? {
        var found: String?
        wait(timeout: timeout) { lines in
            found = lines.last { $0.hasPrefix(prefix) }
            return found != nil
        }
        return found
    }

    /// Writes a command line to the child's standard input.
    func send(_ line: String) {
        stdinPipe?.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    /// Closes the child's standard input.
    func closeInput() {
        try? stdinPipe?.fileHandleForWriting.close()
    }

    func kill9() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits for the child to exit and its output to end; on timeout kills it and returns `false`
    /// (a hang).
    @discardableResult
    func waitForExit(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                kill9()
                process.waitUntilExit()
                return false
            }
            usleep(2000)
        }
        process.waitUntilExit()
        condition.lock()
        while !eof { _ = condition.wait(until: Date().addingTimeInterval(5)); if Date() > deadline.addingTimeInterval(10) { break } }
        condition.unlock()
        return true
    }

    /// Whether the child died from `SIGKILL`.
    var wasKilled: Bool {
        !process.isRunning && process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
    }

    var exitDescription: String {
        if process.isRunning { return "running" }
        return process.terminationReason == .uncaughtSignal
            ? "signal \(process.terminationStatus)" : "exit \(process.terminationStatus)"
    }

    /// The last lines of standard error, for failure messages.
    var stderrTail: String {
        let text = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }

    /// Runs a child to completion (with a hang timeout) and returns it.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                    timeout: Double = 60) throws -> CrashChild {
        let child = try CrashChild(executable, arguments, environment: environment)
        if !child.waitForExit(timeout: timeout) {
            throw CrashFailure("\(child.label) \(arguments.joined(separator: " ")) hung for \(timeout) s and was killed; "
                + "output: \(child.output.suffix(5)); stderr: \(child.stderrTail)")
        }
        return child
    }
}

/// A fresh directory under the temporary directory, removed when released.
final class CrashTempDir: @unchecked Sendable {
    let path: String

    /// - Parameter memory: put it on `/dev/shm` (a tmpfs, where `fsync` costs nothing) when
    ///   available: for tests about recovery logic rather than about the device.
    init(_ label: String = "crash", memory: Bool = false) {
        let base = memory && access("/dev/shm", W_OK) == 0 ? "/dev/shm" : NSTemporaryDirectory()
        path = base.appending("/vs-\(label)-\(UUID().uuidString.prefix(8))")
            .replacingOccurrences(of: "//", with: "/")
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit {
        // Make everything removable again (permission tests change modes).
        _ = try? CrashFiles.shell("chmod -R u+rwx '\(path)' 2>/dev/null; rm -rf '\(path)'")
    }
}

/// File helpers for the damage tests.
enum CrashFiles {
    static func read(_ path: String) -> [UInt8] {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
    }

    static func write(_ path: String, _ bytes: [UInt8]) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }

    static func size(_ path: String) -> Int {
        var info = stat()
        return lstat(path, &info) == 0 ? Int(info.st_size) : -1
    }

    /// The names in a directory, sorted.
    static func entries(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    /// The log segments of a store directory, oldest first.
    static func segments(_ dir: String) -> [String] {
        entries(dir).filter { $0.hasPrefix("wal-") && $0.hasSuffix(".log") }
    }

    /// Every regular file of a directory with its bytes (a snapshot to restore later).
    static func snapshot(_ dir: String) -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for name in entries(dir) {
            var info = stat()
            if lstat(dir + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFREG { files[name] = read(dir + "/" + name) }
        }
        return files
    }

    /// Makes `dir` hold exactly `files`.
    static func restore(_ dir: String, _ files: [String: [UInt8]]) {
        try? FileManager.default.removeItem(atPath: dir)
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, bytes) in files { write(dir + "/" + name, bytes) }
    }

    /// Runs a shell command; returns its exit status.
    @discardableResult
    static func shell(_ command: String) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}
