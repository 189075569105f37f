import Foundation
import Logging

/// A collection's directory while it is open: holds its lock, recovers what it stores, owns the
/// write-ahead log, and writes checkpoint files. It knows nothing of the in-memory collection or
/// of the writer: the writer (`Store/CollectionWriter`) decides when to checkpoint and hands it a
/// snapshot; recovery hands back rows and log records for the store to build from.
final class CollectionPersistence: @unchecked Sendable {
    let directory: Directory
    let config: VectorStoreConfig
    let logger: Logger
    let wal: WALWriter
    private var lock: DirectoryLock?

    /// What opening the directory found, for the store to build the collection from and report.
    struct Opened {
        var persistence: CollectionPersistence
        /// The checkpoint's rows, the records to replay, the sequence numbers.
        var recovery: CollectionLoader.Outcome
        /// Damaged files moved aside.
        var moved: [String]
    }

    private init(directory: Directory, config: VectorStoreConfig, logger: Logger, wal: WALWriter, lock: DirectoryLock) {
        self.directory = directory
        self.config = config
        self.logger = logger
        self.wal = wal
        self.lock = lock
    }

    /// Opens the directory: creates it if missing, takes its lock, reads what it stores, hands
    /// it to `build` (which rebuilds the in-memory collection and replays the log), then — only
    /// once that succeeded, so a crash or a failure while building changes nothing on disk —
    /// carries out what recovery decided (damaged files moved aside, a torn log tail cut) and
    /// prepares the log for appending. Runs on a dedicated thread (it blocks on I/O).
    static func open(
        config: VectorStoreConfig, logger: Logger, salvage: Bool,
        build: @escaping @Sendable (CollectionLoader.Outcome) throws -> Void
    ) async throws -> Opened {
        try await runBlocking { try openBlocking(config: config, logger: logger, salvage: salvage, build: build) }
    }

    private static func openBlocking(
        config: VectorStoreConfig, logger: Logger, salvage: Bool, build: (CollectionLoader.Outcome) throws -> Void
    ) throws -> Opened {
        let directory = Directory(config.annIndexPath)
        try directory.create()
        let lock = try DirectoryLock(directory: directory)
        do {
            let loader = CollectionLoader(directory: directory, config: config, logger: logger, salvage: salvage)
            var outcome = try loader.load()
            try build(outcome)
            outcome.clock.lap("index and replay")
            outcome.summary += " (\(outcome.clock.report))"

            // The open succeeds: now carry out what recovery decided.
            var moved: [String] = []
            for name in outcome.quarantine where directory.type(of: name) != nil {
                moved.append(try directory.moveAside(name))
            }
            for name in outcome.scan.incompleteSegments where directory.type(of: name) != nil {
                moved.append(try directory.moveAside(name, suffix: "incomplete"))
                outcome.warnings.append("log segment \(name) was never completed (a crash while creating it); moved aside")
            }
            var resume: WALSegmentInfo? = outcome.scan.segments.last
            if let torn = outcome.scan.tornTail {
                let aside = try copyAside(directory: directory, segment: torn.segment, offset: torn.offset)
                let file = try PosixFile.openForWriting(directory.file(torn.segment), create: false)
                try file.truncate(to: torn.offset)
                try file.sync()
                file.close()
                outcome.warnings.append(
                    "cut a torn tail of \(torn.length) bytes from \(torn.segment) at offset \(torn.offset) (a crash mid-write); its bytes are in \(aside)")
                if resume?.name == torn.segment { resume?.endOffset = torn.offset }
            }
            for warning in outcome.warnings { logger.warning("\(warning)") }
            for name in moved { logger.warning("Moved a damaged file aside as \(name)") }

            KillPoints.reach("open.afterRepairs")
            let wal: WALWriter
            if let resume, !outcome.scan.incompleteSegments.contains(resume.name), resume.firstLSN <= outcome.nextLSN {
                wal = try WALWriter.resume(in: directory, segment: resume)
            } else {
                wal = try WALWriter.create(in: directory, firstLSN: outcome.nextLSN)
            }
            let persistence = CollectionPersistence(
                directory: directory, config: config, logger: logger, wal: wal, lock: lock)
            return Opened(persistence: persistence, recovery: outcome, moved: moved)
        } catch {
            lock.release()
            throw error
        }
    }

    /// Copies the bytes of `segment` from `offset` on into a new file beside it.
    private static func copyAside(directory: Directory, segment: String, offset: Int64) throws -> String {
        let bytes = try PosixFile.openForReading(directory.file(segment)).readAll()
        let tail = Array(bytes[Int(offset)...])
        var name = "\(segment).torn-\(Int(Date().timeIntervalSince1970))"
        var n = 1
        while directory.type(of: name) != nil {
            n += 1
            name = "\(segment).torn-\(Int(Date().timeIntervalSince1970))-\(n)"
        }
        try directory.writeAtomically(name) { file in try tail.withUnsafeBytes { try file.write($0, at: 0) } }
        return name
    }

    // MARK: - Checkpoint files

    /// Writes a checkpoint's files to temporary names and flushes them; returns their
    /// fingerprints (for the marker the writer appends to the log). On failure nothing of them remains.
    func writeCheckpointFiles(_ snapshot: inout CollectionSnapshot) throws -> [String: FileFingerprint] {
        try CheckpointWriter(directory: directory, config: config).writeFiles(&snapshot).fingerprints
    }

    /// Renames the temporary files into place (`ann_metadata.json` last: the commit point), then
    /// deletes the log segments the new checkpoint covers.
    func publishCheckpoint(coveringUpTo lsn: UInt64) throws {
        try CheckpointWriter(directory: directory, config: config).publish()
        try deleteSegments(before: lsn + 1)
    }

    /// Removes the temporary files of a checkpoint that failed.
    func discardCheckpointFiles() {
        CheckpointWriter(directory: directory, config: config).removeTemporaryFiles()
    }

    /// Deletes the log segments a durable checkpoint covers, oldest first, flushing the directory
    /// after each: whenever this stops (a crash, a power loss, an error), the segments left are a
    /// contiguous suffix of the log, never one with a hole in it.
    private func deleteSegments(before firstLSN: UInt64) throws {
        let covered = try directory.entries()
            .compactMap { name in WALFormat.firstLSN(ofSegment: name).map { (name, $0) } }
            .filter { $0.1 < firstLSN && $0.0 != wal.segmentName }
            .sorted { $0.1 < $1.1 }
        for (name, _) in covered {
            KillPoints.reach("ckpt.segments.beforeDelete")
            try directory.remove(name)
            try directory.sync()
        }
    }

    /// Closes the log and releases the directory's lock. The writer has stopped.
    func close() {
        do { try wal.close() } catch { logger.warning("Closing the log failed: \(error)") }
        lock?.release()
        lock = nil
    }
}

/// Runs blocking work on a new thread and resumes the caller when it finishes, so file I/O never
/// blocks the cooperative pool.
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
