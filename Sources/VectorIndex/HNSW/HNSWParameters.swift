/// Construction and search settings of an ``HNSWIndex``.
///
/// - `m`: links per node on the upper levels; level 0 keeps up to `2·m`. Larger values raise
///   recall and memory (about `8·m` bytes per vector) and slow insertion.
/// - `efConstruction`: candidate-list size while inserting; larger builds a better graph, slower.
/// - `efSearch`: default candidate-list size of a search (a query may override it); it is raised
///   to `k` when smaller.
/// - `seed`: seeds the level generator; with single-threaded inserts, equal seeds and equal
///   operations give identical graphs.
/// - `repairThreshold`: fraction of graph nodes that may be tombstones before the index repairs
///   itself (unlinks them and frees their slots) automatically.
public struct HNSWParameters: Sendable, Hashable {
    /// The smallest efSearch that reaches recall@10 ≥ 0.95 on real sentence embeddings: measured
    /// on the 61,535 all-MiniLM-L6-v2 vectors of `minilm-debian` (1,000 held-out queries) with
    /// M = 16, efConstruction = 200, a single-threaded build and the default seed, recall@10 is
    /// 0.949 at 16, 0.952 at 17, 0.955 at 18, 0.968 at 24 and 0.991 at 64 (the same for cosine,
    /// inner product and Euclidean, the vectors being unit length). Raise it per query
    /// (``IndexSearchOptions/efSearch``) when recall matters more than speed.
    public static let defaultEfSearch = 17

    /// Links per node on the upper levels (2·m on level 0). Default 16.
    public var m: Int
    /// Candidate-list size while inserting. Default 200.
    public var efConstruction: Int
    /// Default candidate-list size of a search. Default ``defaultEfSearch``.
    public var efSearch: Int
    /// Seed of the level generator.
    public var seed: UInt64
    /// Fraction of graph nodes that may be tombstones before an automatic repair. Default 0.1.
    public var repairThreshold: Double

    /// Settings with the defaults hnswlib and FAISS use (M = 16, efConstruction = 200) and the
    /// measured ``defaultEfSearch``.
    ///
    /// - Precondition: `m` in 2...1024, `efConstruction` ≥ 1, `efSearch` ≥ 1,
    ///   `repairThreshold` in (0, 1].
    public init(
        m: Int = 16, efConstruction: Int = 200, efSearch: Int = HNSWParameters.defaultEfSearch,
        seed: UInt64 = 0x5EED, repairThreshold: Double = 0.1
    ) {
        precondition(m >= 2 && m <= 1024, "m must be in 2...1024, got \(m)")
        precondition(efConstruction >= 1, "efConstruction must be positive, got \(efConstruction)")
        precondition(efSearch >= 1, "efSearch must be positive, got \(efSearch)")
        precondition(repairThreshold > 0 && repairThreshold <= 1, "repairThreshold must be in (0, 1], got \(repairThreshold)")
        self.m = m
        self.efConstruction = efConstruction
        self.efSearch = efSearch
        self.seed = seed
        self.repairThreshold = repairThreshold
    }

    /// Maximum links of a node on `level` (2·m on level 0, m above).
    @inline(__always)
    func maxDegree(level: Int) -> Int { level == 0 ? 2 * m : m }
}
