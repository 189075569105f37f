import ArgumentParser
import Foundation
import VectorStorage

/// `vectorstore checkpoint DIR`: writes a checkpoint and cuts the log.
struct CheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Write a checkpoint of a collection and cut its write-ahead log.",
        discussion: """
            Opens the collection (recovering it from its files and log), writes the three snapshot \
            files and ann_vectors.bin, and deletes the log segments they cover, so the next open \
            replays nothing. Needs the directory's lock: exit status 3 when another process holds it \
            (a running store writes its own checkpoints).

            Example:
              vectorstore checkpoint ./data/vector-storage
            """)

    @Argument(help: "The collection directory.")
    var path: String

    @OptionGroup var output: OutputOptions

    func run() async throws {
        let config = try WritableCollection.config(path: path)
        let logBefore = DiskUsage.log(path)
        let started = ContinuousClock.now
        let store = try await WritableCollection.open(config)
        let vectors = try store.count()
        try await store.disconnect()  // writes the checkpoint (strictPersistence: a failure throws)
        let seconds = (ContinuousClock.now - started).inSeconds
        let logAfter = DiskUsage.log(path)
        let files = DiskUsage.files(path).filter { ["ann_metadata.json", "payloads.json", "ann_index.faiss", "ann_vectors.bin"].contains($0.name) }
        output.emit(
            .object([
                "path": .string(path), "vectors": .count(vectors), "logBytesBefore": .count(logBefore),
                "logBytesAfter": .count(logAfter), "checkpointBytes": .count(files.reduce(0) { $0 + $1.bytes }),
                "seconds": .double(seconds),
            ]),
            human: {
                "checkpoint of \(vectors) vectors written in \(String(format: "%.2f", seconds)) s "
                    + "(\(DiskUsage.human(files.reduce(0) { $0 + $1.bytes })) of checkpoint files); "
                    + "log \(DiskUsage.human(logBefore)) → \(DiskUsage.human(logAfter))"
            })
    }
}

/// `vectorstore repair DIR`: `InMemoryVectorStore.repair()` from the shell.
struct RepairCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Open a damaged collection keeping everything readable; --dry-run lists what would change.",
        discussion: """
            What InMemoryVectorStore.repair() does: damaged checkpoint files are moved aside as \
            <name>.corrupt-<time> (never deleted), a log damaged in the middle is copied aside and \
            cut at its last good record (later segments moved aside), and the collection opens with \
            everything before the damage; then a checkpoint is written. Use it when `verify` or an \
            open reports damage, once you accept losing what the damaged part held.

            --dry-run works the repair out on a copy of the files and lists what it would move \
            aside or cut and how many vectors would remain; it changes nothing and takes no lock. \
            The real repair needs the lock (exit status 3 when another process holds it).

            Examples:
              vectorstore repair ./data/vector-storage --dry-run
              vectorstore repair ./data/vector-storage
            """)

    @Argument(help: "The collection directory.")
    var path: String

    @Flag(name: .customLong("dry-run"), help: "List what would be moved aside or cut; change nothing.")
    var dryRun = false

    @OptionGroup var output: OutputOptions

    func run() async throws {
        if dryRun { return try await plan() }
        let config = try WritableCollection.config(path: path)
        let before = Set(DiskUsage.files(path).map(\.name))
        let store = try InMemoryVectorStore(config: config)
        try await store.repair()
        let health = store.persistenceHealth()
        let vectors = try store.count()
        try await store.disconnect()
        let after = Set(DiskUsage.files(path).map(\.name))
        let setAside = after.subtracting(before).filter { $0.contains(".corrupt-") || $0.contains(".torn-") || $0.contains(".incomplete-") }.sorted()
        output.emit(
            .object([
                "path": .string(path), "vectors": .count(vectors),
                "movedAside": .array(setAside.map(JSONValue.string)),
                "warnings": .array(health.recoveryWarnings.map(JSONValue.string)),
                "summary": health.lastOpen.map(JSONValue.string) ?? .null,
            ]),
            human: {
                var lines = ["repaired \(path): \(vectors) vectors; a checkpoint was written"]
                lines += setAside.map { "  set aside: \($0)" }
                lines += health.recoveryWarnings.map { "  \($0)" }
                if setAside.isEmpty && health.recoveryWarnings.isEmpty { lines.append("  nothing needed repair") }
                return lines.joined(separator: "\n")
            })
    }

    private func plan() async throws {
        let plan = try await RepairPlan.make(path: path)
        output.emit(
            .object([
                "path": .string(path), "dryRun": .bool(true), "directoryInUse": .bool(plan.directoryInUse),
                "opensWithoutRepair": .bool(plan.opensWithoutRepair), "openError": plan.openError.map(JSONValue.string) ?? .null,
                "actions": .array(plan.actions.map(JSONValue.string)), "warnings": .array(plan.warnings.map(JSONValue.string)),
                "vectorsAfter": .count(plan.vectorsAfter), "sequenceAfter": .int(Int64(plan.sequenceAfter)),
            ]),
            human: {
                var lines = ["dry run: nothing was changed in \(path)"]
                if plan.directoryInUse { lines.append("  the directory is in use by another store: a repair would be refused until it closes") }
                if let error = plan.openError { lines.append("  an open fails as it is: \(error)") }
                if plan.actions.isEmpty {
                    lines.append("  a repair would move nothing aside and cut nothing")
                } else {
                    lines.append("  a repair would:")
                    lines += plan.actions.map { "    - \($0)" }
                }
                lines += plan.warnings.map { "  \($0)" }
                lines.append("  then write a checkpoint of \(plan.vectorsAfter) vectors (up to sequence \(plan.sequenceAfter))")
                return lines.joined(separator: "\n")
            })
    }
}

/// `vectorstore compact DIR`: a fresh graph without tombstones, and files rewritten.
struct CompactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Rebuild a collection's index without deleted vectors (a fresh HNSW graph) and rewrite its files.",
        discussion: """
            Deleted vectors stay linked into the HNSW graph until they pass 10 % of its nodes; \
            compaction rebuilds the graph from the live vectors alone (what a fresh import would \
            build), then writes a checkpoint and cuts the log. Reports the index and the \
            directory's sizes before and after. Needs the directory's lock (exit status 3 when \
            another process holds it).

            Example:
              vectorstore compact ./data/vector-storage
            """)

    @Argument(help: "The collection directory.")
    var path: String

    @OptionGroup var output: OutputOptions

    func run() async throws {
        let config = try WritableCollection.config(path: path)
        let diskBefore = DiskUsage.total(path)
        let progress = ProgressReporter("opening", quiet: output.quiet)
        progress.phase("opening", total: nil)
        let store = try await WritableCollection.open(config)
        progress.phase("rebuilding the index of \(try store.count()) vectors", total: nil)
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(200))
                progress.advance(by: 0)
            }
        }
        let report: InMemoryVectorStore.CompactionReport
        do {
            report = try await store.compact()
            ticker.cancel()
            try await store.disconnect()
        } catch {
            ticker.cancel()
            progress.finish()
            try? await store.disconnect()
            throw error
        }
        progress.finish()
        let diskAfter = DiskUsage.total(path)
        func stats(_ s: IndexStatistics, disk: Int) -> JSONValue {
            ["vectors": .count(s.vectors), "slots": .count(s.slots), "tombstones": .count(s.tombstones),
             "memoryBytes": .count(s.memoryBytes), "diskBytes": .count(disk)]
        }
        output.emit(
            .object([
                "path": .string(path), "before": stats(report.before, disk: diskBefore), "after": stats(report.after, disk: diskAfter),
                "rebuildSeconds": .double(report.rebuildSeconds), "checkpointSeconds": .double(report.checkpointSeconds),
            ]),
            human: {
                table(
                    ["", "vectors", "slots", "deleted in graph", "index memory", "disk"],
                    [["before", String(report.before.vectors), String(report.before.slots), String(report.before.tombstones),
                      DiskUsage.human(report.before.memoryBytes), DiskUsage.human(diskBefore)],
                     ["after", String(report.after.vectors), String(report.after.slots), String(report.after.tombstones),
                      DiskUsage.human(report.after.memoryBytes), DiskUsage.human(diskAfter)]])
                    + "\nrebuilt in \(String(format: "%.2f", report.rebuildSeconds)) s, checkpoint \(String(format: "%.2f", report.checkpointSeconds)) s"
            })
    }
}
