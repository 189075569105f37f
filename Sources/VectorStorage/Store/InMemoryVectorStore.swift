import Foundation
import Logging
import VectorIndex

/// The in-memory backend: a collection held in memory, searched exactly or through an HNSW
/// graph, and (unless `annPersistIndex` is `false`) persisted to its directory through a
/// write-ahead log and periodic checkpoints.
///
/// Concurrency: searches, `get` and `list` run on every core at once, also while writes are in
/// flight; writes are numbered and committed in order by one pipeline thread, and concurrent
/// writers share one flush to disk. A write is visible to readers once it is durable, and is
/// acknowledged (the call returns) only then.
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

    var pipeline: CommitPipeline? {
        didSet { pipelineForReaders.withLock { $0 = pipeline } }
    }
    /// The pipeline, for nonisolated readers of its status (health).
    nonisolated let pipelineForReaders = LockedValue<CommitPipeline?>(nil)
    var persistence: CollectionPersistence?
    var pending = PendingWrites()
    var nextLSN: UInt64 = 1
    /// The pipeline's failure count the numbering was last synchronised with.
    var seenFailures: UInt64 = 0
    var closing = false

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

/// What the store knows about its persistence, for `healthCheck()` and `getInfo()`.
public struct PersistenceHealth: Sendable, Hashable {
    /// The last persistence error (a failed checkpoint, a failed flush), if any.
    public var lastError: String?
    /// When the last error happened.
    public var lastErrorDate: Date?
    /// Whether writes are refused after a failed flush.
    public var writesDisabled: Bool = false
    /// Whether the last checkpoint attempt failed (cleared by the next successful one).
    public var checkpointFailing: Bool = false
    /// When the last checkpoint was written.
    public var lastCheckpointDate: Date?
    /// How long the last checkpoint took, from the copy of the state to the last file flushed.
    public var lastCheckpointSeconds: Double?
    /// How long writes waited during the last checkpoint (the in-memory copy and the new log
    /// segment); searches never wait.
    public var lastCheckpointPauseSeconds: Double?
    /// Files found damaged and moved aside at the last open.
    public var quarantinedFiles: [String] = []
    /// Warnings from the last open (torn log tail cut, duplicated ids, ...).
    public var recoveryWarnings: [String] = []
    /// How the last open rebuilt the collection (which files, graph loaded or rebuilt, records replayed).
    public var lastOpen: String?
}
