import Logging
import VectorIndex

/// A collection read from its persistence directory as it is on disk, without taking the
/// directory's lock and without writing anything to it: for tools that search, export, describe
/// or check a collection, also while a store (in this or another process) has it open.
///
/// It reads a consistent point-in-time copy of the files (see the notes on consistency below) and
/// recovers the collection from it exactly as ``InMemoryVectorStore/connect()`` would — the
/// checkpoint files, checked against their checksums, then the write-ahead log replayed over them
/// — but carries out none of the repairs an open would make; it lists them in
/// ``pendingRepairs`` instead.
///
/// ```swift
/// let collection = try await ReadOnlyCollection.open(path: "./data/vector-storage")
/// let hits = try await collection.search(query, limit: 5, filter: ["category": "docs"])
/// ```
///
/// Consistency: checkpoint files are replaced whole by a rename and the log is only appended to,
/// so the copy (hard links where possible, else copies, in a private directory under `TMPDIR`
/// removed once the collection is loaded: put `TMPDIR` on the collection's file system to avoid
/// copying large files) holds one checkpoint and a prefix of the log; if a checkpoint
/// publishes while the copy is taken, the copy starts over. A write the owner is appending at
/// that very moment may be missing (it shows as a torn tail in ``pendingRepairs``); writes made
/// after the copy are not seen.
public final class ReadOnlyCollection: Sendable {
    /// The directory read.
    public let path: String
    /// The collection's configuration as the directory records it (name, dimension, metric,
    /// algorithm, HNSW parameters); fields it does not record (`annMinDatasetSize`, ...) have
    /// their defaults.
    public let config: VectorStoreConfig
    /// Whether another store held the directory's lock when its files were read.
    public let directoryInUse: Bool
    /// What the lock file says about its holder (`pid 123 since ...`) when in use.
    public let lockHolder: String?
    /// Warnings of the recovery (a damaged file, duplicated ids, a torn log tail, ...).
    public let warnings: [String]
    /// What a writable open would change before using the directory: files it would move aside
    /// and log tails it would cut. Nothing was changed.
    public let pendingRepairs: [String]
    /// How the collection was rebuilt (which files, graph loaded or rebuilt, records replayed).
    public let summary: String
    /// The sequence number of the last operation included.
    public let sequence: UInt64
    /// The sequence number the last checkpoint includes (0 if none).
    public let checkpointSequence: UInt64
    /// The directory's entries when it was read, sorted.
    public let fileNames: [String]

    let store: InMemoryVectorStore
    /// Live slots in insertion order (the contents never change).
    let order: [Int]

    private init(
        path: String, config: VectorStoreConfig, snapshot: DirectorySnapshot, outcome: CollectionLoader.Outcome,
        checkpointSequence: UInt64, store: InMemoryVectorStore
    ) {
        self.path = path
        self.config = config
        directoryInUse = snapshot.inUse
        lockHolder = snapshot.lockHolder
        var warnings = outcome.warnings
        if !snapshot.settled {
            warnings.append("the directory kept changing while it was read (a busy writer); the files were read as they were last")
        }
        self.warnings = warnings
        pendingRepairs = Self.repairs(outcome)
        summary = outcome.summary
        self.checkpointSequence = checkpointSequence
        fileNames = snapshot.sourceNames
        self.store = store
        sequence = store.state.appliedLSN
        order = store.state.slotsInInsertionOrder()
    }

    /// Reads the collection in the directory at `path`.
    ///
    /// - Throws: what ``InMemoryVectorStore/connect()`` would throw for this directory (for
    ///   example ``VectorStoreError/corruptLog(path:offset:lastGoodSequence:)``), except
    ///   ``VectorStoreError/directoryLocked(path:)``; ``VectorStoreError/invalidArgument(name:value:reason:)``
    ///   when the directory holds no collection.
    public static func open(path: String) async throws -> ReadOnlyCollection {
        try await runBlocking { try openBlocking(path: path) }
    }

    static func openBlocking(path: String) throws -> ReadOnlyCollection {
        let snapshot = try DirectorySnapshot.take(of: path)
        defer { snapshot.remove() }
        // As an open: a checkpoint file or lock replaced by a directory, FIFO, link, ... is an error.
        for name in CheckpointFiles.renameOrder + [DirectoryLock.fileName] {
            if let kind = snapshot.irregularEntries[name] {
                throw VectorStoreError.corruptFile(path: snapshot.source.file(name), reason: "it is \(kind), not a regular file")
            }
        }
        let (config, checkpointSequence) = try recordedConfiguration(snapshot)
        let store = try InMemoryVectorStore(config: config, logger: silentLogger)
        let loader = CollectionLoader(directory: snapshot.copy, config: config, logger: silentLogger, salvage: false)
        let outcome = try loader.load()
        store.state.lock.withExclusive { store.state.restore(outcome) }
        store.connectedFlag.withLock { $0 = true }
        return ReadOnlyCollection(
            path: path, config: config, snapshot: snapshot, outcome: outcome, checkpointSequence: checkpointSequence,
            store: store)
    }

    /// What a writable open would carry out (see `CollectionPersistence.open`).
    static func repairs(_ outcome: CollectionLoader.Outcome) -> [String] {
        var repairs = outcome.quarantine.map { "move \($0) aside as \($0).corrupt-<time>" }
        repairs += outcome.scan.incompleteSegments.map { "move log segment \($0) aside as \($0).incomplete-<time>" }
        if let torn = outcome.scan.tornTail {
            repairs.append("cut \(torn.length) bytes from \(torn.segment) at offset \(torn.offset) (copied aside as \(torn.segment).torn-<time>)")
        }
        return repairs
    }

    /// The configuration the snapshot records, and its checkpoint's sequence number.
    static func recordedConfiguration(_ snapshot: DirectorySnapshot) throws -> (VectorStoreConfig, UInt64) {
        guard let recorded = try recordedConfiguration(snapshot.copy, path: snapshot.source.path) else {
            throw VectorStoreError.invalidArgument(
                name: "path", value: snapshot.source.path,
                reason: "holds no readable VectorStorage collection (no ann_metadata.json, ann_vectors.bin or write-ahead log with a vector)")
        }
        return recorded
    }

    /// What `directory` records (read-only): the metadata's fields, else the dimension of
    /// `ann_vectors.bin` or of the log's first vector; `nil` when none of them is readable.
    static func recordedConfiguration(_ directory: Directory, path: String) throws -> (VectorStoreConfig, UInt64)? {
        var meta: CheckpointMetadata?
        if let bytes = try? PosixFile.openForReading(directory.file(CheckpointFiles.metadata)).readAll() {
            meta = try? bytes.withUnsafeBytes { try CheckpointMetadata.decode($0, loadVectors: false) }
        }
        var dimension = meta?.dimension
        if dimension == nil, let bytes = try? PosixFile.openForReading(directory.file(VectorsFile.name)).readAll() {
            dimension = try? bytes.withUnsafeBytes { try VectorsFile.read($0, copyVectors: false).dimension }
        }
        if dimension == nil, let scan = try? WALReader.scan(directory, names: try directory.entries()) {
            for record in scan.records {
                if case .upsert(let entries) = record.operation, let first = entries.first {
                    dimension = first.vector.count
                    break
                }
            }
        }
        guard let dimension, dimension > 0 else { return nil }
        var config = VectorStoreConfig(
            collectionName: meta?.collectionName ?? "default", dimension: dimension, maxVectors: Int(Int32.max),
            annPersistIndex: true, annIndexPath: path)
        if let name = meta?.algorithm, let algorithm = ANNAlgorithm(rawValue: name) { config.annAlgorithm = algorithm }
        if let name = meta?.metric, let metric = DistanceMetric(parsing: name) { config.distance = metric }
        if let hnsw = meta?.hnsw {
            config.annM = hnsw.m
            config.annEfConstruction = hnsw.efConstruction
            config.annEfSearch = hnsw.efSearch
        }
        return (config, meta?.checkpointLSN ?? 0)
    }

    static let silentLogger = Logger(label: "VectorStorage.readOnly", factory: { _ in SwiftLogNoOpLogHandler() })

    // MARK: - Reading

    /// Number of vectors.
    public var count: Int { order.count }

    /// The `limit` vectors most similar to `query`, as ``InMemoryVectorStore/search(_:limit:filter:options:)``.
    public func search(
        _ query: [Float], limit: Int, filter: SearchFilter? = nil, options: SearchOptions = SearchOptions()
    ) async throws -> [VectorStoreResult] {
        try await store.search(query, limit: limit, filter: filter, options: options)
    }

    /// The vector with this id, with its vector and payload, or `nil`.
    public func get(_ id: VectorID) async throws -> VectorStoreResult? {
        try await store.get(id)
    }

    /// A page of the vectors whose payload matches `filter`, oldest first, as
    /// ``InMemoryVectorStore/list(filter:limit:offset:)``.
    public func list(filter: SearchFilter?, limit: Int, offset: Int = 0) throws -> (results: [VectorStoreResult], total: Int) {
        try store.list(filter: filter, limit: limit, offset: offset)
    }

    /// Up to `limit` records (id, vector, payload) from position `offset` on, oldest first.
    public func records(offset: Int, limit: Int) -> [VectorRecord] {
        guard offset < order.count, limit > 0 else { return [] }
        let slots = order[max(offset, 0)..<min(offset + limit, order.count)]
        return (try? store.readState { state in
            slots.map { slot in
                VectorRecord(id: state.ids[slot]!, vector: state.index.vector(at: slot), payload: state.payloads[slot])
            }
        }) ?? []
    }

    /// The in-memory index as loaded.
    public var indexStatistics: IndexStatistics {
        (try? store.readState { IndexStatistics($0) }) ?? IndexStatistics(vectors: 0, slots: 0, tombstones: 0, memoryBytes: 0)
    }
}

/// The size of a collection's in-memory index.
public struct IndexStatistics: Sendable, Hashable {
    /// Live vectors.
    public var vectors: Int
    /// Slots allocated (live vectors, deleted ones still in the HNSW graph, and free slots).
    public var slots: Int
    /// Deleted vectors still linked into the HNSW graph (until the graph is repaired or compacted).
    public var tombstones: Int
    /// Bytes of memory the index holds (vectors, graph, bookkeeping); payloads are not counted.
    public var memoryBytes: Int

    /// Statistics.
    public init(vectors: Int, slots: Int, tombstones: Int, memoryBytes: Int) {
        self.vectors = vectors
        self.slots = slots
        self.tombstones = tombstones
        self.memoryBytes = memoryBytes
    }

    init(_ state: CollectionState) {
        let index = state.index
        if let hnsw = index as? HNSWIndex {
            self.init(vectors: state.count, slots: hnsw.slotUpperBound, tombstones: hnsw.tombstones, memoryBytes: hnsw.memoryBytes)
        } else if let flat = index as? FlatIndex {
            self.init(vectors: state.count, slots: state.ids.count, tombstones: 0, memoryBytes: flat.memoryBytes)
        } else {
            self.init(vectors: state.count, slots: state.ids.count, tombstones: 0, memoryBytes: 0)
        }
    }
}

extension VectorStoreConfig {
    /// The configuration a persistence directory records — collection name, dimension, metric,
    /// algorithm and HNSW parameters from `ann_metadata.json` (or, when that file is unreadable,
    /// the dimension of `ann_vectors.bin` or of the log's first vector) — for opening a directory
    /// whose parameters the caller does not know. Fields the directory does not record keep their
    /// defaults, except `maxVectors`, which is `Int32.max`. Reads only; takes no lock.
    ///
    /// - Returns: `nil` when the directory is missing or holds no readable collection.
    public static func recorded(in path: String) -> VectorStoreConfig? {
        (try? ReadOnlyCollection.recordedConfiguration(Directory(path), path: path))?.0
    }
}
