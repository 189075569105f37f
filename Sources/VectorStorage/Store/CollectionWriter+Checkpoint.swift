import Logging
import Foundation

/// Whether a checkpoint is running, and what the last one did; shared by the writer thread and
/// the checkpoint threads.
final class CheckpointProgress: @unchecked Sendable {
    private let lock = ConditionLock()
    private var running = false
    private var lastFailure: ContinuousClock.Instant?
    /// The sequence number the last checkpoint covers.
    private var lastLSN: UInt64 = 0
    /// Size of the last checkpoint's files: the log may grow to at least this before the next.
    private var lastSize: UInt64 = 0

    func start(lastLSN: UInt64) { lock.withLock { self.lastLSN = lastLSN } }

    /// Whether a log of `logBytes` calls for a checkpoint now.
    func isDue(logBytes: Int, threshold: Int) -> Bool {
        lock.withLock {
            guard !running else { return false }
            if let failed = lastFailure, ContinuousClock.now - failed < .seconds(5) { return false }
            return UInt64(logBytes) >= max(UInt64(threshold), lastSize)
        }
    }

    /// Marks a checkpoint as running; `false` when one already is.
    func begin() -> Bool {
        lock.withLock {
            if running { return false }
            running = true
            return true
        }
    }

    /// Marks the running checkpoint as finished.
    func end(succeeded lsn: UInt64?, size: UInt64) {
        lock.withLock {
            running = false
            if let lsn {
                lastLSN = lsn
                lastSize = size
                lastFailure = nil
            } else {
                lastFailure = .now
            }
            lock.broadcast()
        }
    }

    /// Blocks until no checkpoint is running.
    func waitUntilIdle() {
        lock.withLock {
            while running { lock.wait() }
        }
    }
}

extension CollectionWriter {
    /// What an attempt to start a checkpoint gave.
    enum CheckpointStart {
        case started(CollectionSnapshot)
        /// Another checkpoint is running.
        case busy
        /// Starting the new log segment failed.
        case failed(any Error)
    }

    /// On the writer thread, after a group: starts a background checkpoint when the log has grown
    /// past max(threshold, size of the last checkpoint).
    func checkpointIfDue() {
        guard let persistence,
              checkpoints.isDue(logBytes: persistence.wal.bytesSinceCheckpoint, threshold: config.checkpointThresholdBytes),
              case .started(let snapshot) = startCheckpoint()
        else { return }
        let thread = Thread { [self] in
            // A failure is logged and reported; the log still holds everything, so it only delays
            // the next checkpoint.
            try? finishCheckpoint(snapshot)
        }
        thread.name = "VectorStorage.checkpoint"
        thread.start()
    }

    /// Writes a checkpoint now and waits for it (waiting first for one already running).
    ///
    /// Refused once a flush has failed: the log may then hold writes whose outcome is unknown, and
    /// only reopening (which reads the log back from disk) may decide what it holds.
    func checkpoint(reason: String) async throws {
        guard persistence != nil else { return }
        if let failure = flushFailure {
            throw VectorStoreError.writesDisabled(reason: "an earlier flush failed (\(failure)); reconnect to recover from disk")
        }
        try await runBlocking { [self] in
            // A background checkpoint may start between the wait and the capture (a write's group
            // can trigger one): then wait for it too and try again, never fail for it.
            while true {
                checkpoints.waitUntilIdle()
                switch performAndWait({ [self] in startCheckpoint() }) {
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

    /// On the writer thread: copies the state and starts a new log segment after it. Writes wait
    /// for this much of a checkpoint only.
    private func startCheckpoint() -> CheckpointStart {
        guard let persistence else { return .busy }
        guard checkpoints.begin() else { return .busy }
        let started = ContinuousClock.now
        var snapshot = state.snapshot(algorithm: config.annAlgorithm)
        KillPoints.reach("ckpt.capture.after")
        do {
            try persistence.wal.roll(firstLSN: snapshot.lsn + 1)
        } catch {
            endCheckpoint(snapshot, error: error, size: 0)
            return .failed(error)
        }
        snapshot.startedAt = started
        snapshot.pause = ContinuousClock.now - started
        return .started(snapshot)
    }

    /// On a checkpoint thread: writes the files, has the writer announce them in the log, renames
    /// them into place and deletes the log segments the checkpoint covers.
    private func finishCheckpoint(_ snapshot: CollectionSnapshot) throws {
        guard let persistence else { return }
        var snapshot = snapshot
        do {
            let fingerprints = try persistence.writeCheckpointFiles(&snapshot)
            try appendMarker(CheckpointMarker(checkpointLSN: snapshot.lsn, files: fingerprints))
            KillPoints.reach("ckpt.marker.after")
            try persistence.publishCheckpoint(coveringUpTo: snapshot.lsn)
            let size = fingerprints.values.reduce(UInt64(0)) { $0 + $1.size }
            endCheckpoint(snapshot, error: nil, size: size)
        } catch {
            persistence.discardCheckpointFiles()
            endCheckpoint(snapshot, error: error, size: 0)
            throw error
        }
    }

    /// Appends (and flushes) a checkpoint's marker record: on the writer thread, the only one
    /// that appends to the log.
    private func appendMarker(_ marker: CheckpointMarker) throws {
        guard let wal = persistence?.wal else { return }
        let failure: LogFailure? = performAndWait {
            do throws(LogFailure) { try wal.appendMarker(marker) } catch { return error }
            return nil
        }
        if let failure { throw failure.error }
    }

    private func endCheckpoint(_ snapshot: CollectionSnapshot, error: (any Error)?, size: UInt64) {
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
        checkpoints.end(succeeded: error == nil ? snapshot.lsn : nil, size: size)
    }
}
