import Foundation
import Testing

/// Shared steps of the subprocess crash tests.
enum CrashHarness {
    /// Reopens `directory` in a fresh process and checks the oracle's invariants against what it
    /// holds; returns the recovered state (the base of the next round).
    static func verify(
        _ tool: String, directory: String, oracle: CrashOracle, base: CrashState, writers: Int = 1,
        algorithm: String = "hnsw", allowedFailures: Set<String> = [], context: String
    ) throws -> CrashState {
        let dump = try CrashDump.run(tool, directory: directory, extra: ["--algorithm", algorithm])
        guard dump.ok else { throw CrashFailure("\(context): reopening failed: \(dump.raw)") }
        var problems = oracle.malformed.map { "malformed oracle line: \($0)" }
            + oracle.unexpectedOutcomes(allowedFailures: allowedFailures)
        for w in 0..<writers {
            if let problem = oracle.check(base: base, actual: dump.state, writer: writers == 1 ? nil : w) {
                problems.append(problem)
            }
        }
        if !problems.isEmpty { throw CrashFailure("\(context): " + problems.prefix(5).joined(separator: "\n")) }
        return dump.state
    }

    /// Runs `vstorture run` to its end or its death, with a hang timeout.
    static func run(_ tool: String, _ arguments: [String], environment: [String: String] = [:], timeout: Double = 120)
        throws -> CrashChild
    {
        try CrashChild.run(tool, arguments, environment: environment, timeout: timeout)
    }

    /// Our temporary files left in a directory (there must be none after a clean close).
    static func leftovers(_ directory: String) -> [String] {
        CrashFiles.entries(directory).filter { $0.hasSuffix(".vstmp") }
    }
}

extension CrashHarness {
    /// Skips the running test, printing why (a skip must always say why).
    static func skip(_ reason: String) throws -> Never {
        print("SKIPPED: \(reason)")
        try Test.cancel(Comment(rawValue: reason))
    }

    /// Populates a store directory through `vstorture`: a stream of operations closed cleanly (a
    /// checkpoint), then more operations left only in the log. Returns the state it must hold.
    static func populate(_ tool: String, directory: String, seed: Int = 5) throws -> CrashState {
        var base: CrashState = [:]
        for (ops, close) in [(60, true), (25, false)] {
            var arguments = ["run", "--dir", directory, "--seed", String(seed + ops), "--ops", String(ops),
                             "--policy", "always", "--threshold", "100000000"]
            if close { arguments.append("--close") }
            let child = try run(tool, arguments)
            guard child.output.contains("END") else {
                throw CrashFailure("populating \(directory) failed: \(child.output.suffix(3)) \(child.stderrTail)")
            }
            base = try verify(tool, directory: directory, oracle: CrashOracle(lines: child.output), base: base,
                              context: "populating \(directory)")
        }
        return base
    }
}
