import Foundation

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
