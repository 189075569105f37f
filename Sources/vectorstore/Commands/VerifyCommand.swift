import ArgumentParser
import Foundation
import VectorStorage

/// `vectorstore verify DIR`: a full, read-only check of a collection directory.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a collection thoroughly: files, vectors, ids, FAISS index, log, recovery, graph (read-only).",
        discussion: """
            Beyond the checksums `inspect` compares: every file is parsed; every vector is checked \
            finite and of the collection's dimension; ids are checked unique in each file and the \
            same across the vectors, payloads and FAISS files; the FAISS index is compared with the \
            vectors and the ids; every log record is read and checked; the collection is recovered \
            as an open would (the log replayed over the checkpoint) and the HNSW graph's invariants \
            are checked (degree bounds, links, every live node reachable).

            Never takes the lock, never writes. When another process has the directory open, the \
            files are verified as they are on disk at that moment — safe because checkpoint files \
            are replaced whole by a rename and the log is only appended to (a copy that a checkpoint \
            overtakes is taken again) — the report says so, and a log tail still being appended is \
            a note, not a problem. Writes made after the files were read are not verified.

            Exit status 0 when sound, 1 when a problem was found.

            Examples:
              vectorstore verify ./data/vector-storage
              vectorstore verify ./data/vector-storage --json | jq .problems
            """)

    @Argument(help: "The collection directory.")
    var path: String

    @OptionGroup var output: OutputOptions

    func run() async throws {
        let progress = ProgressReporter("verifying", quiet: output.quiet)
        let report = try await CollectionVerifier.verify(path: path) { step in
            if step.total > 0 {
                progress.phase("verifying \(step.phase)", total: step.total)
                progress.update(step.done)
            } else {
                progress.phase("verifying \(step.phase)", total: nil)
            }
        }
        progress.finish()
        output.emit(
            .object([
                "path": .string(path), "sound": .bool(report.isSound), "directoryInUse": .bool(report.directoryInUse),
                "lockHolder": report.lockHolder.map(JSONValue.string) ?? .null,
                "vectors": .count(report.vectors), "sequence": .int(Int64(report.sequence)),
                "checks": .array(report.checks.map {
                    ["name": .string($0.name), "passed": .bool($0.passed), "detail": .string($0.detail)]
                }),
                "problems": .array(report.problems.map(JSONValue.string)),
                "notes": .array(report.notes.map(JSONValue.string)),
            ]),
            human: { report.description })
        if !report.isSound { throw ExitCode(ExitStatus.problem) }
    }
}
