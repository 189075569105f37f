import Foundation

/// The configuration of one collection.
///
/// The JSON keys of the seed (`type`, `collectionName`, `dimension`, `maxVectors`,
/// `annPersistIndex`, `annIndexPath`) keep their names and defaults, so a seed configuration file
/// decodes as is; every other key is optional and has a default.
///
/// ```swift
/// let config = VectorStoreConfig(type: .inMemory, collectionName: "my_collection",
///                                dimension: 1536, maxVectors: 10_000,
///                                annPersistIndex: true, annIndexPath: "./data/vectors")
/// let (manager, store) = try await createVectorStore(config)
/// ```
public struct VectorStoreConfig: Sendable, Hashable {
    /// The backend (default `"in-memory"`; `"pgvector"` and `"chroma"` need the package traits
    /// `PgVector` / `Chroma`).
    public var type: BackendType
    /// The collection's name: 1 to 128 characters from `A-Z a-z 0-9 _ -`.
    public var collectionName: String
    /// Number of components of every vector (default 1536).
    public var dimension: Int
    /// The most vectors the collection may hold (default 10,000).
    public var maxVectors: Int
    /// Persist the collection to `annIndexPath` (default `true`). With `false` no file is touched.
    public var annPersistIndex: Bool
    /// The persistence directory (default `./data/vector-storage`), created when missing.
    public var annIndexPath: String
    /// The search algorithm (default `.hnsw`).
    public var annAlgorithm: ANNAlgorithm
    /// Below this many vectors every search is exact, whatever the algorithm (default 1000).
    public var annMinDatasetSize: Int
    /// The similarity measure (default `.cosine`).
    public var distance: DistanceMetric
    /// HNSW: links per node on the upper levels; level 0 has twice as many (default 16).
    public var annM: Int
    /// HNSW: candidate-list size while inserting (default 200).
    public var annEfConstruction: Int
    /// HNSW: default candidate-list size while searching; per query, `SearchOptions.efSearch`.
    public var annEfSearch: Int
    /// Threads used to insert large batches into the HNSW graph; `nil` uses every core.
    public var annBuildThreads: Int?
    /// When `true`, a failure to write a checkpoint (the three snapshot files) throws from the call
    /// that triggered it instead of being logged and retried. Failures of the write-ahead log
    /// always throw, whatever this flag says. Default `false` (the seed's rule).
    public var strictPersistence: Bool
    /// When an acknowledged write is on disk (default `.always`).
    public var durability: DurabilityPolicy
    /// A checkpoint is written once the write-ahead log has grown past this many bytes
    /// (default 64 MiB).
    public var checkpointThresholdBytes: Int
    /// `ann_metadata.json` holds the vectors inline (the seed's `vectors` key) while the collection
    /// has at most this many floats (count × dimension); larger collections keep them only in the
    /// binary `ann_vectors.bin`. The default, 16,777,216, fits the seed's own maximum collection
    /// (10,000 × 1,536); 0 never writes them inline.
    public var metadataVectorLimit: Int
    /// Server backends: where the server is — `postgres://user:password@host:port/database` for
    /// `"pgvector"`, `http://host:port` for `"chroma"`. Ignored by `"in-memory"`.
    public var url: String?
    /// Server backends: when the server cannot be reached at `connect()`, open an in-memory store
    /// instead (not persisted) and say so in ``VectorStoreManager/getInfo()``
    /// (`fallbackUsed`), ``VectorStoreManager/healthCheck()`` (degraded) and a warning log; a later
    /// `connect()` tries the server again. Default `true`, as the seed system did.
    public var fallbackToInMemory: Bool

    /// The default persistence directory.
    public static let defaultIndexPath = "./data/vector-storage"

    /// A configuration; every parameter has the default documented on its property.
    ///
    /// ```swift
    /// let config = VectorStoreConfig(collectionName: "notes", dimension: 384,
    ///                                annIndexPath: "./data/notes", durability: .batched(interval: .milliseconds(50)))
    /// ```
    public init(
        type: BackendType = .inMemory,
        collectionName: String = "default",
        dimension: Int = 1536,
        maxVectors: Int = 10_000,
        annPersistIndex: Bool = true,
        annIndexPath: String = VectorStoreConfig.defaultIndexPath,
        annAlgorithm: ANNAlgorithm = .hnsw,
        annMinDatasetSize: Int = 1000,
        distance: DistanceMetric = .cosine,
        annM: Int = 16,
        annEfConstruction: Int = 200,
        annEfSearch: Int = VectorStoreConfig.defaultEfSearch,
        annBuildThreads: Int? = nil,
        strictPersistence: Bool = false,
        durability: DurabilityPolicy = .always,
        checkpointThresholdBytes: Int = 64 << 20,
        metadataVectorLimit: Int = 1 << 24,
        url: String? = nil,
        fallbackToInMemory: Bool = true
    ) {
        self.type = type
        self.collectionName = collectionName
        self.dimension = dimension
        self.maxVectors = maxVectors
        self.annPersistIndex = annPersistIndex
        self.annIndexPath = annIndexPath
        self.annAlgorithm = annAlgorithm
        self.annMinDatasetSize = annMinDatasetSize
        self.distance = distance
        self.annM = annM
        self.annEfConstruction = annEfConstruction
        self.annEfSearch = annEfSearch
        self.annBuildThreads = annBuildThreads
        self.strictPersistence = strictPersistence
        self.durability = durability
        self.checkpointThresholdBytes = checkpointThresholdBytes
        self.metadataVectorLimit = metadataVectorLimit
        self.url = url
        self.fallbackToInMemory = fallbackToInMemory
    }

    /// The default `annEfSearch`, 24: recall@10 0.968 on real sentence embeddings (61,535
    /// all-MiniLM-L6-v2 vectors, M = 16, efConstruction = 200). The smallest value reaching 0.95
    /// there is 17 (0.952), with no margin: a graph built on several threads, or other data, can land
    /// under 0.95, so the default keeps some. Raise it per query (`SearchOptions.efSearch`) for
    /// more recall, lower it for speed; the README's performance section has the whole curve.
    public static let defaultEfSearch = 24
}

/// The storage backend.
public enum BackendType: String, Sendable, Hashable, Codable, CaseIterable {
    /// Vectors live in memory and persist to a directory.
    case inMemory = "in-memory"
    /// PostgreSQL with the pgvector extension (package trait `PgVector`).
    case pgvector
    /// A Chroma server over its HTTP API v2 (package trait `Chroma`).
    case chroma

    /// Whether the collection lives on a server reached through ``VectorStoreConfig/url``.
    public var isRemote: Bool { self != .inMemory }
}

/// The search algorithm of a collection.
public enum ANNAlgorithm: String, Sendable, Hashable, Codable, CaseIterable {
    /// Hierarchical navigable small-world graph: approximate, fast on large collections.
    case hnsw
    /// Exact search by scanning every vector.
    case flat
    /// Exact search by scanning every vector (the seed's name for `flat`).
    case bruteForce = "brute-force"

    /// Whether searches scan every vector.
    public var isExact: Bool { self != .hnsw }
}

/// How similarity is measured. Every score is "higher is more similar".
public enum DistanceMetric: String, Sendable, Hashable, Codable, CaseIterable {
    /// Cosine similarity (the default, as the seed).
    case cosine
    /// Dot (inner) product.
    case dotProduct = "dot"
    /// Euclidean distance; the score is the negated distance.
    case euclidean
}

/// When an acknowledged write is on disk.
public enum DurabilityPolicy: Sendable, Hashable {
    /// Every write is flushed to the device (`fsync`) before it is acknowledged: it survives a
    /// process crash, an OS crash and a power loss. Concurrent writers share flushes.
    case always
    /// Writes reach the operating system before they are acknowledged and are flushed at least
    /// every `interval`: a process crash loses nothing; a power loss may lose the last interval.
    case batched(interval: Duration)
    /// Writes reach the operating system before they are acknowledged and are never flushed
    /// except at checkpoints: a process crash loses nothing; a power loss may lose anything since
    /// the last checkpoint.
    case never
}
