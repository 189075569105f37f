import Logging
import VectorIndex

extension InMemoryVectorStore {
    /// Opens the collection. With persistence, takes the directory's lock and recovers the
    /// collection from its checkpoint files and write-ahead log (creating the directory when
    /// missing); without it, starts empty. Connecting an open store does nothing.
    ///
    /// - Throws: ``VectorStoreError/directoryLocked(path:)`` when another store holds the
    ///   directory, ``VectorStoreError/collectionMismatch(expected:found:path:)`` when it holds
    ///   another collection, ``VectorStoreError/corruptLog(path:offset:lastGoodSequence:)`` when
    ///   the log is damaged in the middle (see ``repair()``), ``VectorStoreError/corruptFile(path:reason:)``
    ///   when a file is not a regular file or nothing of the stored data is readable, and other
    ///   persistence errors. Nothing is written when it throws.
    public func connect() async throws {
        try await open(salvage: false)
    }

    /// Opens a collection whose log is damaged in the middle, keeping everything before the
    /// damage: the damaged segment is copied aside (`<name>.corrupt-<timestamp>`) and cut at the
    /// last good record, later segments are moved aside, and unreadable checkpoint files are moved
    /// aside too. Use it after ``connect()`` threw
    /// ``VectorStoreError/corruptLog(path:offset:lastGoodSequence:)``, once you accept losing what
    /// the damaged part held.
    public func repair() async throws {
        if connectedFlag.current { try await disconnect() }
        try await open(salvage: true)
    }

    private func open(salvage: Bool) async throws {
        guard !connectedFlag.current else { return }
        var log: (any WriteLog)?
        var firstLSN: UInt64 = 1
        if config.annPersistIndex {
            let opened = try await CollectionPersistence.open(
                config: config, state: state, logger: logger, health: health, salvage: salvage)
            persistence = opened
            log = opened.wal
            firstLSN = opened.nextLSN
        } else {
            state.lock.withExclusive { state.reset() }
        }
        var afterGroup: (@Sendable () -> Void)?
        if let persistence = self.persistence {
            afterGroup = { persistence.checkpointIfDue() }
        }
        let pipeline = CommitPipeline(
            state: state, log: log, durability: config.durability, nextLSN: firstLSN, logger: logger,
            afterGroup: afterGroup)
        self.pipeline = pipeline
        persistence?.attach(pipeline)
        nextLSN = firstLSN
        seenFailures = 0
        pending.reset()
        closing = false
        connectedFlag.withLock { $0 = true }
        logger.debug("Connected", metadata: ["vectors": "\(state.count)"])
    }

    /// Writes a checkpoint (with persistence), stops the commit pipeline, releases the
    /// directory's lock and frees the memory. Disconnecting a closed store does nothing.
    ///
    /// Every acknowledged write is already durable in the log, so a failed final checkpoint loses
    /// nothing; it is logged and retried at the next open — unless `strictPersistence` is set,
    /// in which case it throws (the store is closed either way).
    public func disconnect() async throws {
        guard connectedFlag.current, !closing else { return }
        closing = true
        var checkpointError: (any Error)?
        // After a failed flush no checkpoint is written: the next open recovers from the log.
        if let persistence, let pipeline, pipeline.status.poison == nil {
            do {
                try await persistence.checkpoint(pipeline: pipeline, reason: "disconnect")
            } catch {
                checkpointError = error
            }
        }
        await close()
        if let checkpointError, config.strictPersistence { throw checkpointError }
    }

    /// Stops the pipeline (after its queued writes), closes the log, releases the lock, frees the memory.
    private func close() async {
        await pipeline?.stop()
        persistence?.close()
        persistence = nil
        pipeline = nil
        connectedFlag.withLock { $0 = false }
        state.lock.withExclusive { state.reset() }
        closing = false
    }

    /// Writes a checkpoint now: the three snapshot files are rewritten and the log is cut.
    /// Searches go on meanwhile; writes wait only while the state is copied.
    ///
    /// - Throws: the checkpoint's persistence error (whatever `strictPersistence` says: you asked).
    public func checkpoint() async throws {
        try requireWritable()
        guard let persistence, let pipeline else { return }
        try await persistence.checkpoint(pipeline: pipeline, reason: "requested")
    }

    /// Flushes every acknowledged write to the device (useful with `durability: .batched` or
    /// `.never`; with `.always` every acknowledged write already is).
    public func flush() async throws {
        try requireWritable()
        guard let persistence, let pipeline else { return }
        try await persistence.flush(pipeline: pipeline)
    }

    func checkpointAfterClear() async throws {
        guard let persistence, let pipeline else { return }
        do {
            try await persistence.checkpoint(pipeline: pipeline, reason: "clear")
        } catch {
            if config.strictPersistence { throw error }
        }
    }

    /// Health of the persistence layer (last error, writes disabled, quarantined files).
    public nonisolated func persistenceHealth() -> PersistenceHealth {
        var current = health.current
        // A failed flush (of a write, a segment roll or a checkpoint marker) disables writes at
        // once, before any write is refused for it.
        if let poison = pipelineForReaders.current?.status.poison {
            current.writesDisabled = true
            if current.lastError == nil { current.lastError = "\(poison)" }
        }
        return current
    }
}

extension InMemoryVectorStore {
    /// Closes the store as a crash would leave it: no checkpoint, log and lock simply dropped.
    /// (Crash tests use real child processes killed with SIGKILL; this serves quick unit tests.)
    func simulateCrashForTesting() async {
        closing = true
        await close()
    }
}
