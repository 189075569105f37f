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
    public nonisolated func insert(_ vectors: [[Float]], ids: [VectorID], payloads: [Payload]?) async throws {
        let writer = try requireWriter()
        try InputValidation.validateBatch(vectors: vectors, ids: ids, payloads: payloads, dimension: dimension)
        guard !ids.isEmpty else { return }
        let entries = ids.indices.map { UpsertEntry(id: ids[$0], vector: vectors[$0], payload: payloads?[$0] ?? [:]) }
        try await commit(.insert(entries), on: writer)
    }

    /// Replaces the vector, the payload, or both, of an existing id (`nil` keeps the current one).
    ///
    /// - Throws: ``VectorStoreError/vectorNotFound(_:)`` when no vector has this id, the validation
    ///   errors of ``insert(_:ids:payloads:)``, and persistence errors.
    public nonisolated func update(_ id: VectorID, vector: [Float]?, payload: Payload?) async throws {
        let writer = try requireWriter()
        try InputValidation.validate(id: id)
        if let vector { try InputValidation.validate(vector: vector, dimension: dimension, index: 0) }
        if let payload { try PayloadValidator.validate(payload, id: id) }
        try await commit(.update(id: id, vector: vector, payload: payload), on: writer)
    }

    /// Deletes the vector with this id; deleting an id that does not exist does nothing.
    ///
    /// - Throws: ``VectorStoreError/invalidID(id:reason:)`` for an id that can never exist (empty,
    ///   with NUL, too long), and persistence errors.
    public nonisolated func delete(_ id: VectorID) async throws {
        try await delete([id])
    }

    /// Deletes the vectors with these ids, atomically; ids that do not exist are skipped.
    ///
    /// - Throws: ``VectorStoreError/invalidID(id:reason:)``, and persistence errors.
    public nonisolated func delete(_ ids: [VectorID]) async throws {
        let writer = try requireWriter()
        for id in ids { try InputValidation.validate(id: id) }
        guard !ids.isEmpty else { return }
        try await commit(.delete(ids), on: writer)
    }

    /// Deletes every vector, in memory and on disk (the checkpoint files are rewritten empty).
    ///
    /// - Throws: persistence errors; with `strictPersistence`, also a failure to write the empty
    ///   checkpoint (the deletion itself is durable in the log either way).
    public nonisolated func deleteCollection() async throws {
        let writer = try requireWriter()
        try await commit(.clear, on: writer)
        do {
            try await writer.checkpoint(reason: "clear")
        } catch {
            if config.strictPersistence { throw error }
        }
    }

    // MARK: - Internals

    /// The writer of an open store.
    nonisolated func requireWriter() throws -> CollectionWriter {
        guard let writer = openWriter.current else { throw VectorStoreError.notConnected(collection: collectionName) }
        return writer
    }

    /// Hands the request to the writer and waits until it is durable and applied (or refused).
    nonisolated func commit(_ request: WriteRequest, on writer: CollectionWriter) async throws {
        do {
            try await writer.submit(request)
        } catch let error as VectorStoreError {
            recordFailure(error)
            throw error
        }
    }

    nonisolated func recordFailure(_ error: VectorStoreError) {
        switch error.code {
        case .diskFull, .persistenceFailure, .writesDisabled:
            // `writesDisabled` is not stored: persistenceHealth() derives it from the writer,
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
