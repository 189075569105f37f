import Foundation
import Testing

/// F1/F2: the store on a small tmpfs (mounted in a private mount namespace: `unshare -m` as
/// root, `unshare -rm` in an unprivileged user namespace), filled with a ballast. Appends fail
/// with a definite `diskFull` (the log trimmed back, nothing applied), checkpoints fail cleanly,
/// reads keep working; with a little space back (room for the log, not for a checkpoint) writes
/// resume without reopening. The directory is reopened right then — after checkpoints failed
/// half-way, before any succeeded — and must hold exactly the acknowledged operations; then,
/// with all the space back, writes and checkpoints work and a second reopen is exact again.
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
        // (Checkpoints only when asked: a background one could take the pages a test step frees.)
        let session = { (seed: Int) in
            """
            '\(tool)' serve --dir '\(store)' --seed \(seed) --threshold 100000000 --policy always
            echo "SERVE-EXIT $?"
            '\(tool)' dump --dir '\(store)'
            echo "ENTRIES $(ls -A '\(store)' | tr '\\n' ' ')"
            """
        }
        let script = "mount -t tmpfs -o size=2m tmpfs '\(mnt)' || exit 97\n" + session(11) + "\n" + session(12)
        let child = try CrashChild(unshare, flags + ["sh", "-c", script], interactive: true, label: "store on a full tmpfs")
        try #require(child.waitForLine(prefix: "READY", timeout: 60) != nil, "\(child.output) \(child.stderrTail)")

        // Session 1: fill the disk, fail, get a little space back.
        #expect(child.request("ops 40", expect: "DONE") != nil)
        #expect(child.request("reserve \(mnt)/reserve 12288", expect: "RESERVED") == "RESERVED 12288")
        let filled = child.request("fill \(mnt)/ballast", expect: "FILLED")
        #expect(filled != nil && filled != "FILLED 0", "the ballast did not fill the tmpfs: \(filled ?? "-")")
        var full = false
        for _ in 0..<500 where !full {
            guard let done = child.request("insert 1", expect: "DONE") else { break }
            full = done == "DONE fail"
        }
        try #require(full, "no write failed on a full file system: \(child.output.suffix(4))")
        for _ in 0..<3 { #expect(child.request("insert 2", expect: "DONE") == "DONE fail", "a write succeeded on a full disk") }
        #expect(child.request("ckpt", expect: "DONE") == "DONE fail", "a checkpoint succeeded on a full disk")
        #expect(child.request("read", expect: "READ ")?.hasPrefix("READ ok") == true, "reads stopped working on a full disk")
        #expect(child.request("unlink \(mnt)/reserve", expect: "UNLINKED") == "UNLINKED true")
        for _ in 0..<3 { #expect(child.request("insert 1", expect: "DONE") == "DONE ok", "writes did not resume: \(child.output.suffix(3))") }
        _ = child.request("ckpt", expect: "DONE")  // may not fit: its files need more than the log
        #expect(child.request("insert 1", expect: "DONE") == "DONE ok")
        child.send("exit")  // no close: the directory as a crash leaves it
        // (Only once the second session is up: the first one may have read ahead on its input.)
        let second = child.wait(timeout: 60) { $0.filter { $0.hasPrefix("READY") }.count >= 2 }
        try #require(second, "the second session did not start: \(child.output.suffix(4))")

        // Session 2: all the space back.
        #expect(child.request("free \(mnt)/ballast", expect: "FREED") != nil)
        for _ in 0..<3 { #expect(child.request("insert 1", expect: "DONE") == "DONE ok") }
        #expect(child.request("ckpt", expect: "DONE") == "DONE ok", "a checkpoint failed with space back: \(child.output.suffix(3))")
        #expect(child.request("ops 30", expect: "DONE") != nil)
        child.send("exit")
        child.closeInput()
        #expect(child.waitForExit(timeout: 60))

        // Check each session against what its reopen found.
        let lines = child.output
        let exits = lines.indices.filter { lines[$0].hasPrefix("SERVE-EXIT") }
        try #require(exits.count == 2, "\(lines.suffix(5)) \(child.stderrTail)")
        var base: CrashState = [:]
        for (n, range) in [0..<exits[0], exits[0]..<exits[1]].enumerated() {
            let part = Array(lines[range])
            let oracle = CrashOracle(lines: part)
            for op in oracle.ops where !op.kind.isInvalid && op.status != .ok {
                if case .checkpoint = op.kind { continue }
                #expect(op.status == .failed(code: "diskFull"), "session \(n + 1): a write on a full disk must fail with a definite diskFull: \(op.line)")
            }
            let badReads = part.filter { $0.hasPrefix("READ ") && !$0.hasPrefix("READ ok") && !$0.contains(" ok ") }
            #expect(badReads.isEmpty, "session \(n + 1): reads failed: \(badReads)")
            let after = lines[range.upperBound...]
            let dumpLine = try #require(after.first { $0.hasPrefix("STATE ") || $0.hasPrefix("OPENFAIL ") },
                                        "session \(n + 1): the reopen printed nothing \(child.stderrTail)")
            let dump = try CrashDump(line: dumpLine)
            try #require(dump.ok, "session \(n + 1): reopening failed: \(dump.raw)")
            let problems = oracle.unexpectedOutcomes(allowedFailures: ["diskFull", "persistenceFailure"])
                + [oracle.check(base: base, actual: dump.state)].compactMap { $0 }
            #expect(problems.isEmpty, "session \(n + 1): \(problems.prefix(4).joined(separator: "\n"))")
            let entries = after.first { $0.hasPrefix("ENTRIES ") } ?? ""
            #expect(!entries.contains(".vstmp") && !entries.contains(".incomplete-"),
                    "session \(n + 1): leftovers of failed checkpoints: \(entries)")
            base = dump.state
            let full = oracle.ops.filter { $0.status == .failed(code: "diskFull") }.count
            print("disk full, session \(n + 1): \(oracle.ops.filter { $0.status == .ok }.count) operations acknowledged, "
                + "\(full) refused with diskFull, \(dump.state.count) vectors after reopening")
        }
    }
}
