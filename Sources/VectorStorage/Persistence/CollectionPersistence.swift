import Foundation
import VectorIndex
import Logging

/// Everything persistence does for one open collection: holds the directory's lock, owns the
/// write-ahead log, and writes checkpoints (in the background when the log has grown past its
/// threshold; in the foreground on disconnect, on clear and on request).
final class CollectionPersistence: @unchecked Sendable {
    let directory: Directory
    let config: VectorStoreConfig
    let logger: Logger
    let health: LockedValue<PersistenceHealth>
    let state: CollectionState
    let wal: WALWriter
    /// The sequence number the next write gets.
    let nextLSN: UInt64
    private var lock: DirectoryLock?
    private weak var pipeline: CommitPipeline?

    /// Checkpoint bookkeeping, shared by the pipeline thread and checkpoint threads.
    private struct CheckpointStatus {
        var running = false
        var lastLSN: UInt64 = 0
        var lastFailure: ContinuousClock.Instant?
        /// Size of the last checkpoint's files: the log may grow to at least this before the next.
        var lastSize: UInt64 = 0
    }

    private let status = ConditionLock()
    private var checkpointStatus = CheckpointStatus()

    private init(
        directory: Directory, config: VectorStoreConfig, logger: Logger, health: LockedValue<PersistenceHealth>,
        state: CollectionState, wal: WALWriter, nextLSN: UInt64, lock: DirectoryLock, baseLSN: UInt64
    ) {
        self.directory = directory
        self.config = config
        self.logger = logger
        self.health = health
        self.state = state
        self.wal = wal
        self.nextLSN = nextLSN
        self.lock = lock
        checkpointStatus.lastLSN = baseLSN
    }

    /// Opens the directory: creates it if missing, takes its lock, recovers the collection into
    /// `state`, and prepares the log for appending. Runs on a dedicated thread (it blocks on I/O).
    static func open(
        config: VectorStoreConfig, state: CollectionState, logger: Logger, health: LockedValue<PersistenceHealth>,
        salvage: Bool
    ) async throws -> CollectionPersistence {
        try await runBlocking {
            try openBlocking(config: config, state: state, logger: logger, health: health, salvage: salvage)
        }
    }

    private static func openBlocking(
        config: VectorStoreConfig, state: CollectionState, logger: Logger, health: LockedValue<PersistenceHealth>,
        salvage: Bool
    ) throws -> CollectionPersistence {
        let directory = Directory(config.annIndexPath)
        try directory.create()
        let lock = try DirectoryLock(directory: directory)
        do {
            let loader = CollectionLoader(directory: directory, config: config, logger: logger, salvage: salvage)
            var outcome = try state.lock.withExclusive { try loader.load(into: state) }

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
            let warnings = outcome.warnings
            let summary = outcome.summary
            health.withLock {
                $0.quarantinedFiles = moved
                $0.recoveryWarnings = warnings
                $0.lastOpen = summary
            }
            logger.debug("Opened: \(summary)")
            return CollectionPersistence(
                directory: directory, config: config, logger: logger, health: health, state: state, wal: wal,
                nextLSN: outcome.nextLSN, lock: lock, baseLSN: outcome.baseLSN)
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

    func attach(_ pipeline: CommitPipeline) { self.pipeline = pipeline }

    // MARK: - Checkpoints

    /// Called on the pipeline thread after each group: starts a background checkpoint when the
    /// log has grown past max(threshold, size of the last checkpoint).
    func checkpointIfDue() {
        let threshold = UInt64(config.checkpointThresholdBytes)
        let due = status.withLock { () -> Bool in
            guard !checkpointStatus.running else { return false }
            if let failed = checkpointStatus.lastFailure, ContinuousClock.now - failed < .seconds(5) { return false }
            return UInt64(wal.bytesSinceCheckpoint) >= max(threshold, checkpointStatus.lastSize)
        }
        guard due, let snapshot = beginCheckpoint() else { return }
        let thread = Thread { [self] in
            do {
                try finishCheckpoint(snapshot)
            } catch {
                // The log still holds everything: the failure only delays the next checkpoint.
            }
        }
        thread.name = "VectorStorage.checkpoint"
        thread.start()
    }

    /// Writes a checkpoint now and waits for it (waiting first for one already running).
    ///
    /// Refused once a flush has failed: the log may then hold writes whose outcome is unknown, and
    /// only reopening (which reads the log back from disk) may decide what it holds.
    func checkpoint(pipeline: CommitPipeline, reason: String) async throws {
        if let poison = pipeline.status.poison {
            throw VectorStoreError.writesDisabled(reason: "an earlier flush failed (\(poison)); reconnect to recover from disk")
        }
        try await runBlocking { [self] in
            // A background checkpoint may start between the wait and the capture (a write's
            // group can trigger one): then wait for it too and try again, never fail for it.
            while true {
                waitForRunningCheckpoint()
                switch captureOnPipeline(pipeline) {
                case .started(let snapshot):
                    try finishCheckpoint(snapshot)
                    return
                case .busy:
                    continue
                case .failed(let error):
                    throw error
                }
            }
        }
        logger.debug("Checkpoint written (\(reason))")
    }

    /// Flushes the log.
    func flush(pipeline: CommitPipeline) async throws {
        let result: Result<Void, LogFailure> = await pipeline.perform { [wal] in
            do throws(LogFailure) { try wal.sync() } catch { return .failure(error) }
            return .success(())
        }
        try result.mapError { $0.error }.get()
    }

    private func waitForRunningCheckpoint() {
        status.withLock {
            while checkpointStatus.running { status.wait() }
        }
    }

    /// What an attempt to start a checkpoint gave.
    private enum CheckpointStart {
        case started(CollectionSnapshot)
        /// Another checkpoint is running.
        case busy
        /// Starting the new log segment failed.
        case failed(any Error)
    }

    /// Runs ``startCheckpoint()`` on the pipeline thread and waits for it.
    private func captureOnPipeline(_ pipeline: CommitPipeline) -> CheckpointStart {
        pipeline.performAndWait { [self] in startCheckpoint() }
    }

    /// On the pipeline thread: copies the state and starts a new log segment after it.
    private func beginCheckpoint() -> CollectionSnapshot? {
        if case .started(let snapshot) = startCheckpoint() { return snapshot }
        return nil
    }

    private func startCheckpoint() -> CheckpointStart {
        let proceed = status.withLock { () -> Bool in
            if checkpointStatus.running { return false }
            checkpointStatus.running = true
            return true
        }
        guard proceed else { return .busy }
        let started = ContinuousClock.now
        var snapshot = CollectionSnapshot.capture(state, algorithm: config.annAlgorithm)
        KillPoints.reach("ckpt.capture.after")
        do {
            try wal.roll(firstLSN: snapshot.lsn + 1)
        } catch {
            endCheckpoint(error: error, snapshot: snapshot, size: 0)
            return .failed(error)
        }
        // Writes waited only for this much: the copy and the new log segment.
        snapshot.startedAt = started
        snapshot.pause = ContinuousClock.now - started
        return .started(snapshot)
    }

    /// On a checkpoint thread: writes the files, announces them in the log, renames them into
    /// place and deletes the log segments the checkpoint covers.
    private func finishCheckpoint(_ snapshot: CollectionSnapshot) throws {
        var snapshot = snapshot
        let writer = CheckpointWriter(directory: directory, config: config)
        do {
            let written = try writer.writeFiles(&snapshot)
            try appendMarker(CheckpointMarker(checkpointLSN: snapshot.lsn, files: written.fingerprints))
            KillPoints.reach("ckpt.marker.after")
            try writer.publish()
            try deleteSegments(before: snapshot.lsn + 1)
            let size = written.fingerprints.values.reduce(UInt64(0)) { $0 + $1.size }
            endCheckpoint(error: nil, snapshot: snapshot, size: size)
        } catch {
            writer.removeTemporaryFiles()
            endCheckpoint(error: error, snapshot: snapshot, size: 0)
            throw error
        }
    }

    private func appendMarker(_ marker: CheckpointMarker) throws {
        guard let pipeline else { throw VectorStoreError.writesDisabled(reason: "the collection is closing") }
        let failure: LogFailure? = pipeline.performAndWait { [wal] in
            do throws(LogFailure) { try wal.appendMarker(marker) } catch { return error }
            return nil
        }
        if let failure { throw failure.error }
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

    private func endCheckpoint(error: (any Error)?, snapshot: CollectionSnapshot, size: UInt64) {
        if let error {
            logger.error("Checkpoint failed (the log still holds every write; retried later): \(error)")
            health.withLock {
                $0.lastError = "checkpoint: \(error)"
                $0.lastErrorDate = Date()
                $0.checkpointFailing = true
            }
        } else {
            let total = snapshot.startedAt.map { ContinuousClock.now - $0 }
            health.withLock {
                $0.lastCheckpointDate = Date()
                $0.checkpointFailing = false
                $0.lastCheckpointSeconds = total?.seconds
                $0.lastCheckpointPauseSeconds = snapshot.pause?.seconds
            }
        }
        status.withLock {
            checkpointStatus.running = false
            if error == nil {
                checkpointStatus.lastLSN = snapshot.lsn
                checkpointStatus.lastSize = size
                checkpointStatus.lastFailure = nil
            } else {
                checkpointStatus.lastFailure = .now
            }
            status.broadcast()
        }
    }

    /// Closes the log and releases the directory's lock.
    func close() {
        waitForRunningCheckpoint()
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
