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
        var persistence: CollectionPersistence?
        var nextLSN: UInt64 = 1
        var baseLSN: UInt64 = 0
        if config.annPersistIndex {
            let state = self.state
            let opened = try await CollectionPersistence.open(config: config, logger: logger, salvage: salvage) {
                recovery in state.lock.withExclusive { state.restore(recovery) }
            }
            let recovery = opened.recovery
            health.withLock {
                $0.quarantinedFiles = opened.moved
                $0.recoveryWarnings = recovery.warnings
                $0.lastOpen = recovery.summary
            }
            logger.debug("Opened", metadata: ["summary": "\(recovery.summary)"])
            persistence = opened.persistence
            nextLSN = recovery.nextLSN
            baseLSN = recovery.baseLSN
        } else {
            state.lock.withExclusive { state.reset() }
        }
        let writer = CollectionWriter(
            state: state, persistence: persistence, nextLSN: nextLSN, baseLSN: baseLSN, config: config,
            logger: logger, health: health)
        self.writer = writer
        openWriter.withLock { $0 = writer }
        connectedFlag.withLock { $0 = true }
        logger.debug("Connected", metadata: ["vectors": "\(state.count)"])
    }

    /// Writes a checkpoint (with persistence), stops the writer, releases the directory's lock and
    /// frees the memory. Disconnecting a closed store does nothing.
    ///
    /// Every acknowledged write is already durable in the log, so a failed final checkpoint loses
    /// nothing; it is logged and retried at the next open — unless `strictPersistence` is set,
    /// in which case it throws (the store is closed either way).
    public func disconnect() async throws {
        guard let writer = beginClosing() else { return }
        var checkpointError: (any Error)?
        // After a failed flush no checkpoint is written: the next open recovers from the log.
        if writer.flushFailure == nil {
            do {
                try await writer.checkpoint(reason: "disconnect")
            } catch {
                checkpointError = error
            }
        }
        await close(writer)
        if let checkpointError, config.strictPersistence { throw checkpointError }
    }

    /// Stops accepting writes; returns the writer to close, or `nil` when already closed or closing.
    private func beginClosing() -> CollectionWriter? {
        openWriter.withLock { open -> CollectionWriter? in
            defer { open = nil }
            return open
        }
    }

    /// Stops the writer (after its queued writes), closes the log, releases the lock, frees the memory.
    private func close(_ writer: CollectionWriter) async {
        await writer.stop()
        if let persistence = writer.persistence {
            _ = try? await runBlocking {
                writer.checkpoints.waitUntilIdle()
                persistence.close()
            }
        }
        self.writer = nil
        connectedFlag.withLock { $0 = false }
        state.lock.withExclusive { state.reset() }
    }

    /// Writes a checkpoint now: the three snapshot files are rewritten and the log is cut.
    /// Searches go on meanwhile; writes wait only while the state is copied.
    ///
    /// - Throws: the checkpoint's persistence error (whatever `strictPersistence` says: you asked).
    public nonisolated func checkpoint() async throws {
        try await requireWriter().checkpoint(reason: "requested")
    }

    /// Flushes every acknowledged write to the device (useful with `durability: .batched` or
    /// `.never`; with `.always` every acknowledged write already is).
    public nonisolated func flush() async throws {
        try await requireWriter().flush()
    }

    /// Health of the persistence layer (last error, writes disabled, quarantined files).
    public nonisolated func persistenceHealth() -> PersistenceHealth {
        var current = health.current
        // A failed flush (of a write, a segment roll or a checkpoint marker) disables writes at
        // once, before any write is refused for it.
        if let poison = openWriter.current?.flushFailure {
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
        guard let writer = beginClosing() else { return }
        await close(writer)
    }
}
