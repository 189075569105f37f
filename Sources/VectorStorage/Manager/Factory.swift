/// A connected manager and its store.
public typealias VectorStoreFactory = (manager: VectorStoreManager, store: any VectorStore)

/// Creates and connects a store for `config`.
///
/// ```swift
/// let config = VectorStoreConfig(collectionName: "docs", dimension: 384, annIndexPath: "./data/docs")
/// let (manager, store) = try await createVectorStore(config)
/// ```
/// - Throws: ``VectorStoreError/invalidConfiguration(field:value:reason:)`` and the errors of
///   ``VectorStoreManager/connect()``.
public func createVectorStore(_ config: VectorStoreConfig) async throws -> VectorStoreFactory {
    let manager = try VectorStoreManager(config: config)
    try await manager.connect()
    return (manager, try manager.getStore())
}

/// Creates and connects a persistent in-memory collection (HNSW, cosine) stored in
/// `persistencePath` (default `./data/vector-storage`).
///
/// ```swift
/// let (manager, store) = try await createPersistentInMemoryStore("my_collection")
/// ```
public func createPersistentInMemoryStore(
    _ collectionName: String, dimension: Int = 1536, persistencePath: String? = nil
) async throws -> VectorStoreFactory {
    try await createVectorStore(
        .persistentInMemory(collectionName, dimension: dimension, persistencePath: persistencePath))
}

/// Creates and connects a collection with the defaults (persistent, cosine), searched through
/// HNSW when `useANN` is true and exactly otherwise.
public func createDefaultVectorStore(
    collectionName: String = "default", dimension: Int = 1536, useANN: Bool = true
) async throws -> VectorStoreFactory {
    try await createVectorStore(.defaultStore(collectionName: collectionName, dimension: dimension, useANN: useANN))
}

extension VectorStoreConfig {
    /// The configuration ``createPersistentInMemoryStore(_:dimension:persistencePath:)`` uses.
    public static func persistentInMemory(
        _ collectionName: String, dimension: Int = 1536, persistencePath: String? = nil
    ) -> VectorStoreConfig {
        VectorStoreConfig(
            collectionName: collectionName, dimension: dimension, annPersistIndex: true,
            annIndexPath: persistencePath ?? VectorStoreConfig.defaultIndexPath)
    }

    /// The configuration ``createDefaultVectorStore(collectionName:dimension:useANN:)`` uses.
    public static func defaultStore(collectionName: String = "default", dimension: Int = 1536, useANN: Bool = true)
        -> VectorStoreConfig
    {
        VectorStoreConfig(collectionName: collectionName, dimension: dimension, annAlgorithm: useANN ? .hnsw : .flat)
    }
}
