/// A collection of vectors with payloads that answers similarity search.
///
/// Every method is safe to call from many tasks at once. Methods that change the collection
/// validate their whole input first: when they throw a validation error, nothing was applied.
///
/// ```swift
/// let (manager, store) = try await createPersistentInMemoryStore("notes", dimension: 3)
/// try await store.insert([[1, 2, 3], [4, 5, 6]], ids: ["a", "b"],
///                        payloads: [["kind": "todo"], ["kind": "idea"]])
/// let hits = try await store.search([1, 2, 3], limit: 5, filter: ["kind": "todo"])
/// try await manager.disconnect()
/// ```
public protocol VectorStore: Sendable {
    /// The backend's name (`"in-memory"`).
    var backendType: String { get }
    /// Number of components of every vector.
    var dimension: Int { get }
    /// The collection's name.
    var collectionName: String { get }

    /// Opens the collection: loads it from its persistence directory (if enabled).
    ///
    /// - Throws: ``VectorStoreError/directoryLocked(path:)``,
    ///   ``VectorStoreError/collectionMismatch(expected:found:path:)``,
    ///   ``VectorStoreError/corruptLog(path:offset:lastGoodSequence:)`` and other persistence errors.
    func connect() async throws
    /// Writes a checkpoint (if persistence is enabled) and closes the collection.
    func disconnect() async throws
    /// Whether the collection is open.
    func isConnected() -> Bool

    /// Inserts vectors with their ids and optional payloads; an existing id is replaced (upsert).
    ///
    /// The batch is validated whole before anything changes, and applied atomically.
    /// - Throws: ``VectorStoreError/dimensionMismatch(expected:actual:index:)``,
    ///   ``VectorStoreError/invalidVector(index:component:value:)``,
    ///   ``VectorStoreError/invalidID(id:reason:)``, ``VectorStoreError/duplicateID(_:first:second:)``,
    ///   ``VectorStoreError/batchLengthMismatch(vectors:ids:payloads:)``,
    ///   ``VectorStoreError/invalidPayload(id:path:reason:)``,
    ///   ``VectorStoreError/capacityExceeded(maxVectors:current:adding:)``, persistence errors.
    func insert(_ vectors: [[Float]], ids: [VectorID], payloads: [Payload]?) async throws

    /// The `limit` vectors most similar to `query` among those matching `filter`, best first.
    ///
    /// Reads run on the caller's executor (`nonisolated(nonsending)`): a call from the main actor
    /// or from a task on the cooperative pool does not hop to another executor and back, which
    /// would cost more than the search itself.
    ///
    /// - Throws: ``VectorStoreError/dimensionMismatch(expected:actual:index:)`` and
    ///   ``VectorStoreError/invalidVector(index:component:value:)`` for a bad query,
    ///   ``VectorStoreError/invalidArgument(name:value:reason:)`` for a negative limit.
    nonisolated(nonsending) func search(
        _ query: [Float], limit: Int, filter: SearchFilter?, options: SearchOptions
    ) async throws -> [VectorStoreResult]

    /// The vector with this id, with its vector and payload, or `nil`.
    nonisolated(nonsending) func get(_ id: VectorID) async throws -> VectorStoreResult?

    /// Replaces the vector, the payload, or both, of an existing id (`nil` keeps the current one).
    ///
    /// - Throws: ``VectorStoreError/vectorNotFound(_:)`` when no vector has this id, and the
    ///   validation errors of ``insert(_:ids:payloads:)``.
    func update(_ id: VectorID, vector: [Float]?, payload: Payload?) async throws

    /// Deletes the vector with this id; deleting an unknown id does nothing.
    func delete(_ id: VectorID) async throws

    /// Deletes every vector, in memory and on disk.
    func deleteCollection() async throws

    /// The first `limit` vectors matching `filter` (oldest first, without their vectors) and the
    /// number of vectors that match in all.
    nonisolated(nonsending) func list(filter: SearchFilter?, limit: Int) async throws
        -> (results: [VectorStoreResult], total: Int)
}

extension VectorStore {
    /// Inserts vectors without payloads (each gets an empty payload).
    public func insert(_ vectors: [[Float]], ids: [VectorID]) async throws {
        try await insert(vectors, ids: ids, payloads: nil)
    }

    /// Searches with the default options.
    public nonisolated(nonsending) func search(_ query: [Float], limit: Int = 10, filter: SearchFilter? = nil) async throws
        -> [VectorStoreResult]
    {
        try await search(query, limit: limit, filter: filter, options: SearchOptions())
    }

    /// Lists with the defaults (no filter, 100 results).
    public nonisolated(nonsending) func list(filter: SearchFilter? = nil) async throws
        -> (results: [VectorStoreResult], total: Int)
    {
        try await list(filter: filter, limit: 100)
    }

    /// Replaces only the payload of an existing id.
    public func update(_ id: VectorID, payload: Payload) async throws {
        try await update(id, vector: nil, payload: payload)
    }

    /// Replaces only the vector of an existing id.
    public func update(_ id: VectorID, vector: [Float]) async throws {
        try await update(id, vector: vector, payload: nil)
    }
}
