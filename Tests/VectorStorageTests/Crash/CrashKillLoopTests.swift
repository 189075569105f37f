#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// C1 (and C6): `kill -9` at random instants of a seeded operation stream, 250 times, under every
/// durability policy, with one or three concurrent writers, HNSW and flat, checkpoints every few
/// kilobytes of log; some runs close cleanly at their end (kills land in the final checkpoint),
/// some kills are SIGTERM. Four kills in a row hit the same directory, so recovery also runs on
/// directories left by crashed recoveries and by crashes right after them. After each kill the
/// directory is reopened in a fresh process and checked against the oracle: I1 every
/// acknowledged operation present, I2 no failed one, I3 the state is the replay of a prefix of
/// the invoked stream containing every acknowledged operation (per writer), I5 every vector and
/// payload bit-exact (by fingerprint).
@Suite(.serialized) struct CrashKillLoopTests {
    static let policies = ["always", "batched", "never"]

    @Test func killNineAtRandomMomentsLosesNothing() throws {
        let tool = try CrashTool.require()
        let masterSeed = ProcessInfo.processInfo.environment["VS_CRASH_SEED"].flatMap(UInt64.init)
            ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("kill -9 loop: master seed \(masterSeed) (set VS_CRASH_SEED to replay)")
        var rng = CrashRandom(seed: masterSeed)
        let iterations = Int(ProcessInfo.processInfo.environment["VS_CRASH_ITERATIONS"] ?? "") ?? 250
        let chainLength = 4
        var directory: CrashTempDir?
        var base: CrashState = [:]
        var stats = (acked: 0, inFlight: 0, failures: 0, checkpoints: 0, maxState: 0)
        for i in 0..<iterations {
            let chain = i / chainLength
            if i % chainLength == 0 {
                directory = CrashTempDir("kill")
                base = [:]
            }
            let dir = directory!.file("store")
            let policy = Self.policies[i % Self.policies.count]
            let algorithm = chain % 2 == 0 ? "hnsw" : "flat"
            let writers = chain % 3 == 2 ? 3 : 1
            let seed = rng.next() % 1_000_000_000
            // Every fifth run is short and closes cleanly at its end, so some kills land in the
            // final checkpoint and close (or miss: the run ended first, which is fine then).
            let closing = i % 5 == 4
            var arguments = ["run", "--dir", dir, "--seed", String(seed), "--ops", closing ? String(20 + rng.next() % 150) : "1000000",
                             "--policy", policy, "--algorithm", algorithm, "--writers", String(writers), "--threshold", "4096"]
            if closing { arguments.append("--close") }
            // Every tenth kill is a SIGTERM (default action: the process dies, nothing runs at exit).
            let signal = i % 10 == 7 ? SIGTERM : SIGKILL
            let context = "iteration \(i) (master seed \(masterSeed)): vstorture \(arguments.joined(separator: " "))"

            let child = try CrashChild(tool, arguments)
            if i % 2 == 0 {
                // Kill after a random number of acknowledgements, plus a random sub-millisecond-
                // to-3-ms delay, so the kill lands inside the stream (appends, fsyncs, checkpoints).
                let acks = Int(rng.next() % 250)
                child.wait(timeout: 30) { lines in lines.lazy.filter { $0.hasPrefix("OK ") }.count >= acks }
                usleep(UInt32(rng.next() % 3000))
            } else {
                // Kill at a random time after the start (this also hits the open and recovery).
                usleep(UInt32(rng.next() % 300_000))
            }
            if child.process.isRunning { kill(child.pid, signal) }
            guard child.waitForExit(timeout: 30) else {
                Issue.record("\(context): did not die after signal \(signal)")
                return
            }
            let died = child.process.terminationReason == .uncaughtSignal && child.process.terminationStatus == signal
            let finished = closing && child.process.terminationReason == .exit && child.process.terminationStatus == 0
                && child.output.contains("CLOSED ok")
            if !died && !finished {
                Issue.record("\(context): ended on its own (\(child.exitDescription)) before the kill; stderr: \(child.stderrTail)")
                return
            }
            let oracle = CrashOracle(lines: child.output)
            if let failure = child.output.first(where: { $0.hasPrefix("OPENFAIL") }) {
                Issue.record("\(context): the writer could not open the directory: \(failure)")
                return
            }
            let dump = try CrashDump.run(tool, directory: dir, extra: ["--algorithm", algorithm])
            guard dump.ok else {
                Issue.record("\(context): reopening after the kill failed: \(dump.raw)")
                return
            }
            var problems = oracle.malformed.map { "malformed oracle line: \($0)" } + oracle.unexpectedOutcomes()
            for w in 0..<writers {
                if let problem = oracle.check(base: base, actual: dump.state, writer: writers == 1 ? nil : w) {
                    problems.append(problem)
                }
            }
            if !problems.isEmpty {
                Issue.record("\(context): \(problems.prefix(5).joined(separator: "\n"))")
                stats.failures += 1
                if stats.failures >= 3 { return }
            }
            stats.acked += oracle.ops.filter { $0.status == .ok }.count
            stats.inFlight += oracle.ops.filter { $0.status == .pending }.count
            stats.checkpoints += oracle.ops.filter { if case .checkpoint = $0.kind { return $0.status == .ok } else { return false } }.count
            stats.maxState = max(stats.maxState, dump.state.count)
            base = dump.state
        }
        print("kill -9 loop: \(iterations) kills, \(stats.acked) acknowledged operations checked, "
            + "\(stats.inFlight) in flight at a kill, \(stats.checkpoints) explicit checkpoints, largest state \(stats.maxState)")
        // The loop must have exercised something: a loop whose writer never got going proves nothing.
        #expect(stats.acked >= iterations * 10, "too few acknowledged operations to prove anything")
        #expect(stats.inFlight >= iterations / 4, "too few kills landed inside an operation")
    }
}

/// A tiny seeded generator for the tests' own random choices (kill delays, seeds).
struct CrashRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
