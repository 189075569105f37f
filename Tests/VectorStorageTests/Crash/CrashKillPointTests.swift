import Foundation
import Testing
@testable import VectorStorage

/// C2/C4: the process kills itself (`VS_KILL_AT=<point>:<n>`) at every named step of append,
/// log roll, checkpoint and recovery; each crash is followed by recovery in a fresh process and
/// the oracle's checks. A point that is never reached fails the test (a dead kill point proves
/// nothing).
@Suite(.serialized) struct CrashKillPointTests {
    /// Occurrences to kill at: the first, an early and a later one (appends happen every
    /// operation, checkpoint steps once per checkpoint).
    static func occurrences(of point: String) -> [Int] {
        if point.hasPrefix("open.") { return [1] }  // once per process
        return point.hasPrefix("wal.append") || point == "wal.sync.after" ? [1, 9, 60] : [1, 2, 4]
    }

    /// Every point but `recovery.mid`, which needs a log to replay (its own test below).
    static var points: [String] { KillPoints.all.filter { $0 != "recovery.mid" } }

    /// The kill points exist only in builds with the package trait `KillPoints`; the test script
    /// enables it. Without it every test here would fail on an unreached point: say why first.
    @Test func killPointsAreCompiledIntoTheTestBuild() {
        #expect(KillPoints.compiledIn, "build the tests with `--traits KillPoints` (scripts/test.sh does)")
    }

    @Test(arguments: points)
    func crashAtKillPointThenRecover(_ point: String) throws {
        let tool = try CrashTool.require()
        for (round, n) in Self.occurrences(of: point).enumerated() {
            let dir = CrashTempDir("kp")
            let store = dir.file("store")
            // The log is flushed per write only under `.always`: the sync point needs it.
            let policy = point == "wal.sync.after" ? "always" : ["always", "batched", "never"][round % 3]
            let algorithm = round == 1 ? "flat" : "hnsw"
            var base: CrashState = [:]
            if point.hasPrefix("open.") {
                // Give the open something to repair: a log left by a crash, with a torn tail.
                let arguments = ["run", "--dir", store, "--seed", "9", "--ops", "700", "--policy", policy, "--threshold", "4096"]
                let child = try CrashHarness.run(tool, arguments, environment: ["VS_KILL_AT": "wal.append.afterWrite:45"])
                base = try CrashHarness.verify(tool, directory: store, oracle: CrashOracle(lines: child.output), base: base,
                                               algorithm: algorithm, context: "preparing \(point)")
                let last = try #require(CrashFiles.segments(store).last)
                let handle = try #require(FileHandle(forWritingAtPath: store + "/" + last))
                handle.seekToEndOfFile()
                handle.write(Data([0x55, 0, 0, 0, 0xAA, 7, 7]))
                try handle.close()
            }
            // Crash at the point, recover and check; then crash at the same point again on the
            // recovered directory (its first occurrence), recover and check again.
            for (attempt, nth) in [n, 1].enumerated() {
                let seed = 1000 * (round + 1) + attempt + point.utf8.reduce(0) { $0 &+ Int($1) }
                let arguments = ["run", "--dir", store, "--seed", String(seed), "--ops", "700", "--policy", policy,
                                 "--algorithm", algorithm, "--threshold", "4096"]
                let context = "VS_KILL_AT=\(point):\(nth) vstorture \(arguments.joined(separator: " "))"
                let child = try CrashHarness.run(tool, arguments, environment: ["VS_KILL_AT": "\(point):\(nth)"])
                guard child.wasKilled else {
                    Issue.record("\(context): the kill point was never reached (\(child.exitDescription)); stderr: \(child.stderrTail)")
                    return
                }
                let oracle = CrashOracle(lines: child.output)
                base = try CrashHarness.verify(
                    tool, directory: store, oracle: oracle, base: base, algorithm: algorithm, context: context)
            }
            // A clean close after all that leaves a directory that reopens to the same state,
            // without temporary files.
            let closed = try CrashDump.run(tool, directory: store, extra: ["--algorithm", algorithm, "--close"])
            #expect(closed.ok && closed.state == base, "\(point): state changed across a clean close")
            let reopened = try CrashDump.run(tool, directory: store, extra: ["--algorithm", algorithm])
            #expect(reopened.ok && reopened.state == base, "\(point): reopening after a clean close changed the state")
            #expect(CrashHarness.leftovers(store).isEmpty, "\(point): temporary files left: \(CrashHarness.leftovers(store))")
        }
    }

    /// A crash between two deletions of covered log segments must leave a log without holes:
    /// several old segments are piled up first (crashes after a checkpoint's marker, before its
    /// files replace the old ones), then a checkpoint that deletes them all is killed after its
    /// first, second and third deletion.
    @Test(arguments: [2, 3, 4])
    func crashBetweenSegmentDeletions(_ nth: Int) throws {
        let tool = try CrashTool.require()
        let dir = CrashTempDir("gc")
        let store = dir.file("store")
        var base: CrashState = [:]
        func round(_ kill: String, seed: Int) throws {
            let arguments = ["run", "--dir", store, "--seed", String(seed), "--ops", "2000", "--policy", "never",
                             "--threshold", "4096"]
            let child = try CrashHarness.run(tool, arguments, environment: ["VS_KILL_AT": kill])
            guard child.wasKilled else { throw CrashFailure("\(kill) was never reached (\(child.exitDescription))") }
            base = try CrashHarness.verify(tool, directory: store, oracle: CrashOracle(lines: child.output), base: base,
                                           context: "VS_KILL_AT=\(kill) seed \(seed)")
        }
        for i in 0..<5 { try round("ckpt.marker.after:1", seed: 10 * nth + i) }
        let piled = CrashFiles.segments(store)
        #expect(piled.count >= 5, "expected old segments to pile up: \(piled)")
        try round("ckpt.segments.beforeDelete:\(nth)", seed: 100 + nth)
        let left = CrashFiles.segments(store)
        #expect(left.count == piled.count + 1 - (nth - 1), "segments before \(piled), after \(left)")
    }

    /// C4: a crash in the middle of replaying the log (twice in a row, with a torn tail waiting
    /// to be cut) leaves a directory that the next recovery opens with exactly the same result.
    @Test func crashDuringRecoveryThenRecoverAgain() throws {
        let tool = try CrashTool.require()
        #expect(KillPoints.all.contains("recovery.mid"))
        for policy in ["always", "never"] {
            let dir = CrashTempDir("rec")
            let store = dir.file("store")
            // Build a log with records after the last checkpoint, then crash.
            let child = try CrashChild(tool, ["serve", "--dir", store, "--seed", "77", "--policy", policy,
                                              "--threshold", "100000000"], interactive: true)
            #expect(child.waitForLine(prefix: "READY", timeout: 60) != nil)
            child.send("ops 80")
            child.send("insert 6")
            child.send("crash")
            #expect(child.waitForExit(timeout: 60) && child.wasKilled)
            let oracle = CrashOracle(lines: child.output)
            #expect(oracle.ops.count >= 81)
            // A torn tail on top: half a record's worth of garbage.
            if let last = CrashFiles.segments(store).last {
                let handle = FileHandle(forWritingAtPath: store + "/" + last)!
                handle.seekToEndOfFile()
                handle.write(Data((0..<37).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 13) }))
                try handle.close()
            }
            let before = CrashFiles.snapshot(store)
            for attempt in 1...2 {
                let killed = try CrashChild.run(tool, ["dump", "--dir", store], environment: ["VS_KILL_AT": "recovery.mid:1"])
                #expect(killed.wasKilled, "attempt \(attempt): recovery.mid was not reached (\(killed.exitDescription))")
                #expect(!killed.output.contains { $0.hasPrefix("STATE") })
            }
            // Recovery crashed before deciding anything: nothing on disk changed.
            let after = CrashFiles.snapshot(store).filter { $0.key != "LOCK" }
            #expect(after == before.filter { $0.key != "LOCK" }, "a crashed recovery changed the directory")
            let first = try CrashHarness.verify(tool, directory: store, oracle: oracle, base: [:], context: "recovery after recovery crashes (\(policy))")
            let torn = CrashFiles.entries(store).filter { $0.contains(".torn-") }
            #expect(torn.count == 1, "the torn tail was not copied aside: \(CrashFiles.entries(store))")
            // Recovering again gives the same state (recovery is idempotent).
            let second = try CrashDump.run(tool, directory: store)
            #expect(second.ok && second.state == first)
        }
    }
}
