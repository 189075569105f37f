import Foundation
import Logging
import VectorIndex

/// The in-memory backend: a collection held in memory, searched exactly or through an HNSW
/// graph, and (unless `annPersistIndex` is `false`) persisted to its directory through a
/// write-ahead log and periodic checkpoints.
///
/// Concurrency: searches, `get` and `list` run on every core at once, also while writes are in
/// flight; writes are decided, logged and applied in order by the collection's one writer thread,
/// and concurrent writers share one flush to disk. A write is visible to readers once it is
/// durable, and is acknowledged (the call returns) only then. The actor itself only serialises
/// opening and closing.
///
/// Create one with ``createVectorStore(_:)`` or ``createPersistentInMemoryStore(_:dimension:persistencePath:)``,
/// or directly:
///
/// ```swift
/// let store = try InMemoryVectorStore(config: VectorStoreConfig(collectionName: "docs", dimension: 384))
/// try await store.connect()
/// ```
public actor InMemoryVectorStore: VectorStore {
    /// `"in-memory"`.
    public nonisolated let backendType = BackendType.inMemory.rawValue
    /// Components per vector.
    public nonisolated let dimension: Int
    /// The collection's name.
    public nonisolated let collectionName: String
    /// The configuration the store was created with.
    public nonisolated let config: VectorStoreConfig

    nonisolated let logger: Logger
    nonisolated let state: CollectionState
    /// Whether the store is open; read without hopping onto the actor.
    nonisolated let connectedFlag = LockedValue(false)
    nonisolated let health = LockedValue(PersistenceHealth())

    /// The writer while the store is open and accepting writes (`nil` once closing), read by the
    /// nonisolated write methods without hopping onto the actor.
    nonisolated let openWriter = LockedValue<CollectionWriter?>(nil)
    /// The writer until the store is closed (also while closing, for the final checkpoint).
    var writer: CollectionWriter?

    /// Creates a store for `config`; call ``connect()`` before using it.
    ///
    /// - Parameter logger: where the store logs (warnings about damaged files, failed
    ///   checkpoints, recovery). Default: a logger labelled `VectorStorage.<collectionName>`.
    /// - Throws: ``VectorStoreError/invalidConfiguration(field:value:reason:)`` for an invalid field.
    public init(config: VectorStoreConfig, logger: Logger? = nil) throws {
        try config.validate()
        self.config = config
        dimension = config.dimension
        collectionName = config.collectionName
        var logger = logger ?? Logger(label: "VectorStorage.\(config.collectionName)")
        logger[metadataKey: "collection"] = "\(config.collectionName)"
        self.logger = logger
        let threads = config.annBuildThreads ?? ProcessInfo.processInfo.activeProcessorCount
        state = CollectionState(
            factory: IndexFactory(config: config), minDatasetSize: config.annMinDatasetSize,
            buildThreads: max(threads, 1))
    }

    /// Whether the store is open (answered without waiting for the actor).
    public nonisolated func isConnected() -> Bool { connectedFlag.current }

    /// Number of vectors in the collection.
    public nonisolated func count() throws -> Int {
        try readState { $0.count }
    }

    /// Runs `body` with the state locked for reading, if connected.
    nonisolated func readState<R>(_ body: (CollectionState) throws -> R) throws -> R {
        try state.lock.withShared {
            guard connectedFlag.current else { throw VectorStoreError.notConnected(collection: collectionName) }
            return try body(state)
        }
    }
}
