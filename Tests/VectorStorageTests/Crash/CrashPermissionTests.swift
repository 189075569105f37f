import Foundation
import Testing

/// F8/F9 as an unprivileged user (as root `chmod` is bypassed and these would pass vacuously):
/// the child runs under `setpriv --reuid=65534 --regid=65534 --clear-groups`. An unreadable
/// checkpoint file or log segment, a store directory that cannot be written or entered, and a
/// parent in which the directory cannot be created all give a typed error — never an empty
/// collection — and change nothing; a read-only directory whose log is still writable opens,
/// takes writes into the log (its checkpoints fail with a typed error) and loses nothing.
@Suite(.serialized) struct CrashPermissionTests {
    /// How to run `vstorture` as an unprivileged user: the command prefix and the executable
    /// (copied to a world-readable directory if uid 65534 cannot reach the built one).
    static func unprivileged(_ holder: CrashTempDir) throws -> (prefix: [String], tool: String) {
        let tool = try CrashTool.require()
        guard CrashTool.isRoot else { return ([], tool) }  // already unprivileged: run it directly
        guard let setpriv = CrashTool.which("setpriv") else {
            try CrashHarness.skip("running as root, where chmod is bypassed, and setpriv (util-linux) is not installed")
        }
        let prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
        func works(_ executable: String) throws -> Bool {
            let probe = try CrashChild.run(prefix[0], Array(prefix.dropFirst()) + [executable], timeout: 30)
            return probe.process.terminationReason == .exit && probe.process.terminationStatus == 2
        }
        if try works(tool) { return (prefix, tool) }
        let copy = holder.file("bin/vstorture")
        try FileManager.default.createDirectory(atPath: holder.file("bin"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: tool, toPath: copy)
        chmod(holder.path, 0o755)
        chmod(holder.file("bin"), 0o755)
        chmod(copy, 0o755)
        guard try works(copy) else {
            throw CrashFailure("uid 65534 cannot run vstorture (\(tool), nor a copy at \(copy)); check the path permissions")
        }
        return (prefix, copy)
    }

    static func dumpAs(_ who: (prefix: [String], tool: String), _ directory: String) throws -> CrashDump {
        let arguments = Array(who.prefix.dropFirst()) + [who.tool, "dump", "--dir", directory]
        let child = try CrashChild.run(who.prefix.first ?? who.tool, who.prefix.isEmpty ? ["dump", "--dir", directory] : arguments, timeout: 60)
        guard let line = child.output.last(where: { $0.hasPrefix("STATE ") || $0.hasPrefix("OPENFAIL ") }) else {
            throw CrashFailure("unprivileged dump printed nothing (\(child.exitDescription)): \(child.stderrTail)")
        }
        return try CrashDump(line: line)
    }

    static func chown(_ path: String, recursive: Bool = true, to owner: String = "65534:65534") throws {
        #expect(try CrashFiles.shell("chown \(recursive ? "-R" : "") \(owner) '\(path)'") == 0)
    }

    @Test func unreadableFilesGiveTypedErrorsNeverEmpty() throws {
        let dir = CrashTempDir("perm")
        chmod(dir.path, 0o755)
        let who = try Self.unprivileged(dir)
        let store = dir.file("store")
        let expected = try CrashHarness.populate(try CrashTool.require(), directory: store)
        try #require(!expected.isEmpty)
        if CrashTool.isRoot { try Self.chown(store) }
        let segments = CrashFiles.segments(store)
        for target in ["payloads.json", "ann_vectors.bin", "ann_index.faiss", "ann_metadata.json", segments.last!] {
            let path = store + "/" + target
            let before = CrashFiles.snapshot(store)
            chmod(path, 0o000)
            let dump = try Self.dumpAs(who, store)
            #expect(!dump.ok, "\(target) unreadable: opened with \(dump.state.count) vectors instead of refusing")
            #expect(dump.code == "persistenceFailure" && (dump.fields["errno"] as? String) == String(EACCES)
                    && (dump.fields["path"] as? String) == path, "\(target) unreadable: \(dump.raw)")
            chmod(path, 0o644)
            #expect(CrashFiles.snapshot(store).filter { $0.key != "LOCK" } == before.filter { $0.key != "LOCK" },
                    "\(target) unreadable: the refused open changed the directory")
            let again = try Self.dumpAs(who, store)
            #expect(again.ok && again.state == expected, "\(target) readable again: \(again.raw.prefix(200))")
        }
    }

    @Test func directoriesThatCannotBeWrittenOrEntered() throws {
        let dir = CrashTempDir("permdir")
        chmod(dir.path, 0o755)
        let who = try Self.unprivileged(dir)
        let tool = try CrashTool.require()
        let store = dir.file("store")
        let expected = try CrashHarness.populate(tool, directory: store)
        let before = CrashFiles.snapshot(store)

        // Someone else's store (owned by root, not writable): a typed error, not an empty store.
        if CrashTool.isRoot {
            try Self.chown(store, to: "0:0")
            let foreign = try Self.dumpAs(who, store)
            #expect(!foreign.ok && foreign.code == "persistenceFailure", "root's store opened by uid 65534: \(foreign.raw.prefix(300))")
            try Self.chown(store)
        }
        // A directory that cannot be entered.
        chmod(store, 0o000)
        let closed = try Self.dumpAs(who, store)
        #expect(!closed.ok && closed.code == "persistenceFailure", "unsearchable directory: \(closed.raw.prefix(300))")
        chmod(store, 0o755)
        // A store that does not exist yet, in a parent the user cannot write: a typed error.
        let parent = dir.file("locked-parent")
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: false)
        chmod(parent, 0o555)
        let missing = try Self.dumpAs(who, parent + "/store")
        #expect(!missing.ok && missing.code == "persistenceFailure", "cannot create the directory: \(missing.raw.prefix(300))")
        #expect(CrashFiles.entries(parent).isEmpty)
        #expect(CrashFiles.snapshot(store).filter { $0.key != "LOCK" } == before.filter { $0.key != "LOCK" })

        // The user's own store, its directory made read-only (files still writable): it opens
        // with everything, the log takes writes, a checkpoint fails with a typed error, and
        // nothing acknowledged is lost.
        chmod(store, 0o555)
        let arguments = ["serve", "--dir", store, "--seed", "21"]
        let child = try CrashChild(who.prefix.first ?? who.tool,
                                   who.prefix.isEmpty ? arguments : Array(who.prefix.dropFirst()) + [who.tool] + arguments,
                                   interactive: true, label: "serve as uid 65534")
        try #require(child.waitForLine(prefix: "READY", timeout: 60) != nil, "read-only directory: \(child.output) \(child.stderrTail)")
        let state = try CrashDump(line: try #require(child.request("dump", expect: "STATE ")))
        #expect(state.ok && state.state == expected, "read-only directory: opened with different contents")
        #expect(child.request("insert 3", expect: "DONE") != nil)
        let checkpoint = child.request("ckpt", expect: "DONE")
        #expect(checkpoint == "DONE fail", "a checkpoint in a read-only directory must fail: \(child.output.suffix(4))")
        #expect(child.request("read", expect: "READ ")?.hasPrefix("READ ok") == true)
        #expect(child.request("close", expect: "CLOSED") != nil)
        child.closeInput()
        #expect(child.waitForExit(timeout: 60))
        let oracle = CrashOracle(lines: child.output)
        #expect(oracle.ops.contains { if case .checkpoint = $0.kind { return true } else { return false } })
        chmod(store, 0o755)
        #expect(CrashHarness.leftovers(store).isEmpty)
        _ = try CrashHarness.verify(tool, directory: store, oracle: oracle, base: expected,
                                    allowedFailures: ["persistenceFailure", "diskFull"], context: "read-only directory")
    }
}
