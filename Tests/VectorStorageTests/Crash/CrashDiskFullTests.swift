import Foundation
import Testing

/// F1/F2: the store on a small tmpfs (mounted in a private mount namespace: `unshare -m` as
/// root, `unshare -rm` in an unprivileged user namespace), filled with a ballast. Appends fail
/// with a definite `diskFull` (the log trimmed back, nothing applied), checkpoints fail cleanly,
/// reads keep working; as space returns (a small reserve first: room for the log but not for
/// a checkpoint; then all of it) writes and checkpoints resume without reopening; the reopened
/// directory holds exactly the acknowledged operations.
@Suite(.serialized) struct CrashDiskFullTests {
    @Test func diskFullIsDefiniteAndWritesResumeWhenSpaceReturns() throws {
        let tool = try CrashTool.require()
        guard let unshare = CrashTool.which("unshare") else { try CrashHarness.skip("unshare (util-linux) is not installed") }
        let dir = CrashTempDir("full")
        let mnt = dir.file("mnt")
        try FileManager.default.createDirectory(atPath: mnt, withIntermediateDirectories: false)
        let flags = CrashTool.isRoot ? ["-m"] : ["-r", "-m"]
        let probe = try CrashChild.run(unshare, flags + ["sh", "-c", "mount -t tmpfs -o size=64k tmpfs '\(mnt)'"], timeout: 30)
        guard probe.process.terminationStatus == 0 else {
            try CrashHarness.skip("cannot mount a tmpfs in a private mount namespace (unshare \(flags.joined(separator: " ")) failed: "
                + "\(probe.stderrTail)); neither root nor unprivileged user namespaces are available")
        }
        let store = mnt + "/store"
        let script = """
            mount -t tmpfs -o size=2m tmpfs '\(mnt)' || exit 97
            '\(tool)' serve --dir '\(store)' --seed 11 --threshold 4096 --policy always
            echo "SERVE-EXIT $?"
            '\(tool)' dump --dir '\(store)'
            echo "ENTRIES $(ls -A '\(store)' | tr '\\n' ' ')"
            """
        let child = try CrashChild(unshare, flags + ["sh", "-c", script], interactive: true, label: "store on a full tmpfs")
        try #require(child.waitForLine(prefix: "READY", timeout: 60) != nil, "\(child.output) \(child.stderrTail)")
        #expect(child.request("ops 40", expect: "DONE") != nil)
        #expect(child.request("reserve \(mnt)/reserve 12288", expect: "RESERVED") == "RESERVED 12288")
        let filled = child.request("fill \(mnt)/ballast", expect: "FILLED")
        #expect(filled != nil && filled != "FILLED 0", "the ballast did not fill the tmpfs: \(filled ?? "-")")

        // Append until the disk is full.
        var full = false
        for _ in 0..<500 where !full {
            guard let done = child.request("insert 1", expect: "DONE") else { break }
            full = done == "DONE fail"
        }
        try #require(full, "no write failed on a full file system: \(child.output.suffix(4))")
        for _ in 0..<3 { #expect(child.request("insert 2", expect: "DONE") == "DONE fail", "a write succeeded on a full disk") }
        #expect(child.request("ckpt", expect: "DONE") == "DONE fail", "a checkpoint succeeded on a full disk")
        #expect(child.request("read", expect: "READ ")?.hasPrefix("READ ok") == true, "reads stopped working on a full disk")

        // A little space (three pages): the log can take writes again, a checkpoint may not fit.
        #expect(child.request("unlink \(mnt)/reserve", expect: "UNLINKED") == "UNLINKED true")
        for _ in 0..<3 { #expect(child.request("insert 1", expect: "DONE") == "DONE ok", "writes did not resume: \(child.output.suffix(3))") }
        _ = child.request("ckpt", expect: "DONE")
        _ = child.request("insert 1", expect: "DONE")
        // All the space back: everything works, without reopening.
        #expect(child.request("free \(mnt)/ballast", expect: "FREED") != nil)
        for _ in 0..<3 { #expect(child.request("insert 1", expect: "DONE") == "DONE ok") }
        #expect(child.request("ckpt", expect: "DONE") == "DONE ok", "a checkpoint failed with space back: \(child.output.suffix(3))")
        #expect(child.request("ops 30", expect: "DONE") != nil)
        // Exit without closing (a crash as far as the directory is concerned); the script reopens it.
        child.send("exit")
        child.closeInput()
        #expect(child.waitForExit(timeout: 60))

        let oracle = CrashOracle(lines: child.output)
        let failures = oracle.ops.filter { if case .failed = $0.status { return !$0.kind.isInvalid } else { return $0.status != .ok && !$0.kind.isInvalid } }
        #expect(!failures.isEmpty)
        for op in failures {
            if case .checkpoint = op.kind { continue }
            #expect(op.status == .failed(code: "diskFull"), "a write on a full disk must fail with a definite diskFull: \(op.line)")
        }
        let reads = child.output.filter { $0.hasPrefix("READ ") && !$0.hasPrefix("READ ok") && !$0.contains(" ok ") }
        #expect(reads.isEmpty, "reads failed: \(reads)")
        let dumpLine = try #require(child.output.last { $0.hasPrefix("STATE ") || $0.hasPrefix("OPENFAIL ") },
                                    "the reopen printed nothing: \(child.output.suffix(3)) \(child.stderrTail)")
        let dump = try CrashDump(line: dumpLine)
        try #require(dump.ok, "reopening after the disk was full failed: \(dump.raw)")
        let problems = (oracle.unexpectedOutcomes(allowedFailures: ["diskFull", "persistenceFailure"])
            + [oracle.check(base: [:], actual: dump.state)].compactMap { $0 })
        #expect(problems.isEmpty, "\(problems.prefix(4).joined(separator: "\n"))")
        let entries = child.output.last { $0.hasPrefix("ENTRIES ") } ?? ""
        #expect(!entries.contains(".vstmp"), "temporary files left behind: \(entries)")
    }
}
