import Foundation

extension InMemoryVectorStore {
    /// Inserts vectors with their ids and optional payloads; an existing id is replaced whole
    /// (upsert: its vector and its payload — an omitted payload becomes empty).
    ///
    /// The batch is validated whole before anything changes, logged as one record, and applied
    /// atomically: readers see all of it or none of it.
    ///
    /// - Throws: ``VectorStoreError/batchLengthMismatch(vectors:ids:payloads:)``,
    ///   ``VectorStoreError/invalidID(id:reason:)``, ``VectorStoreError/duplicateID(_:first:second:)``,
    ///   ``VectorStoreError/dimensionMismatch(expected:actual:index:)``,
    ///   ``VectorStoreError/invalidVector(index:component:value:)``,
    ///   ``VectorStoreError/invalidPayload(id:path:reason:)``,
    ///   ``VectorStoreError/capacityExceeded(maxVectors:current:adding:)``, and persistence errors
    ///   (``VectorStoreError/diskFull(path:)``, ``VectorStoreError/writesDisabled(reason:)``, ...).
    public func insert(_ vectors: [[Float]], ids: [VectorID], payloads: [Payload]?) async throws {
        try requireWritable()
        try InputValidation.validateBatch(vectors: vectors, ids: ids, payloads: payloads, dimension: dimension)
        guard !ids.isEmpty else { return }
        let entries = ids.indices.map { UpsertEntry(id: ids[$0], vector: vectors[$0], payload: payloads?[$0] ?? [:]) }

        let (current, existing) = try readPendingView { state in ids.map { state.slot(of: $0) != nil } }
        var adding = 0
        for (i, id) in ids.enumerated() {
            switch pending.lookup(id) {
            case .present: break
            case .absent: adding += 1
            case .notPending: if !existing[i] { adding += 1 }
            }
        }
        if current + adding > config.maxVectors {
            throw VectorStoreError.capacityExceeded(maxVectors: config.maxVectors, current: current, adding: adding)
        }
        try await commit(.upsert(entries), countDelta: adding)
    }

    /// Replaces the vector, the payload, or both, of an existing id (`nil` keeps the current one).
    ///
    /// - Throws: ``VectorStoreError/vectorNotFound(_:)`` when no vector has this id, the validation
    ///   errors of ``insert(_:ids:payloads:)``, and persistence errors.
    public func update(_ id: VectorID, vector: [Float]?, payload: Payload?) async throws {
        try requireWritable()
        try InputValidation.validate(id: id)
        if let vector { try InputValidation.validate(vector: vector, dimension: dimension, index: 0) }
        if let payload { try PayloadValidator.validate(payload, id: id) }

        let (_, applied) = try readPendingView { state in state.entry(for: id) }
        let current: UpsertEntry?
        switch pending.lookup(id) {
        case .present(let entry): current = entry
        case .absent: current = nil
        case .notPending: current = applied
        }
        guard let current else { throw VectorStoreError.vectorNotFound(id) }
        let updated = UpsertEntry(id: id, vector: vector ?? current.vector, payload: payload ?? current.payload)
        try await commit(.upsert([updated]), countDelta: 0)
    }

    /// Deletes the vector with this id; deleting an id that does not exist does nothing.
    ///
    /// - Throws: ``VectorStoreError/invalidID(id:reason:)`` for an id that can never exist (empty,
    ///   with NUL, too long), and persistence errors.
    public func delete(_ id: VectorID) async throws {
        try await delete([id])
    }

    /// Deletes the vectors with these ids, atomically; ids that do not exist are skipped.
    ///
    /// - Throws: ``VectorStoreError/invalidID(id:reason:)``, and persistence errors.
    public func delete(_ ids: [VectorID]) async throws {
        try requireWritable()
        for id in ids { try InputValidation.validate(id: id) }
        let (_, existing) = try readPendingView { state in ids.map { state.slot(of: $0) != nil } }
        var seen = Set<VectorID>()
        var doomed: [VectorID] = []
        for (i, id) in ids.enumerated() where seen.insert(id).inserted {
            switch pending.lookup(id) {
            case .present: doomed.append(id)
            case .absent: break
            case .notPending: if existing[i] { doomed.append(id) }
            }
        }
        guard !doomed.isEmpty else { return }
        try await commit(.delete(doomed), countDelta: -doomed.count)
    }

    /// Deletes every vector, in memory and on disk (the checkpoint files are rewritten empty).
    ///
    /// - Throws: persistence errors; with `strictPersistence`, also a failure to write the empty
    ///   checkpoint (the deletion itself is durable in the log either way).
    public func deleteCollection() async throws {
        try requireWritable()
        let (current, _) = try readPendingView { _ in () }
        try await commit(.clear, countDelta: -current)
        try await checkpointAfterClear()
    }

    // MARK: - Internals

    func requireWritable() throws {
        guard connectedFlag.current, !closing else { throw VectorStoreError.notConnected(collection: collectionName) }
    }

    /// Reads the applied state consistently with the pending overlay: drops pending writes the
    /// state already holds and returns the live count after every pending write, plus `body`'s result.
    func readPendingView<R>(_ body: (CollectionState) -> R) throws -> (count: Int, R) {
        let (applied, count, result) = try readState { state in (state.appliedLSN, state.count, body(state)) }
        pending.forgetApplied(upTo: applied)
        return (count + pending.countDelta, result)
    }

    /// Numbers the operation, queues it on the pipeline and waits until it is durable and applied.
    func commit(_ operation: WriteOperation, countDelta: Int) async throws {
        guard let pipeline else { throw VectorStoreError.notConnected(collection: collectionName) }
        let lsn = nextLSN
        nextLSN += 1
        pending.record(operation, lsn: lsn, countDelta: countDelta)
        let result: Result<Void, VectorStoreError> = await withCheckedContinuation { continuation in
            pipeline.submit(lsn: lsn, operation: operation) { continuation.resume(returning: $0) }
        }
        if case .failure(let error) = result {
            resynchronise(with: pipeline)
            recordFailure(error)
            throw error
        }
    }

    /// After a failure every pending write failed: restart numbering where the pipeline expects it.
    func resynchronise(with pipeline: CommitPipeline) {
        let status = pipeline.status
        guard status.failures > seenFailures else { return }
        seenFailures = status.failures
        nextLSN = status.expectedLSN
        pending.reset()
    }

    func recordFailure(_ error: VectorStoreError) {
        switch error.code {
        case .diskFull, .persistenceFailure, .writesDisabled:
            // `writesDisabled` is not stored: persistenceHealth() derives it from the pipeline,
            // so it also clears when a reconnect recovers from disk.
            health.withLock {
                $0.lastError = error.description
                $0.lastErrorDate = .now
            }
        default:
            break
        }
    }
}
