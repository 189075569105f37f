/// The contract between the index math (`VectorIndex`) and the storage layer (`VectorStorage`).
///
/// An index stores vectors in *slots*: dense integer positions handed out by the index when a
/// vector is added and stable for as long as the vector lives. The storage layer keeps its own
/// maps from user ids to slots; the index never sees ids, payloads, files or logging.
///
/// Thread safety: every method may be called from any thread. Any number of searches may run
/// at once, also while other threads add, replace or remove vectors. A search sees each vector
/// either entirely before or entirely after a concurrent change to it.
public protocol NearestNeighborIndex: AnyObject, Sendable {
    /// Number of components of every vector.
    var dimension: Int { get }
    /// How similarity is measured.
    var metric: Metric { get }
    /// Number of live vectors (added and not removed).
    var count: Int { get }
    /// One past the highest slot ever handed out: every live slot is in `0 ..< slotUpperBound`.
    var slotUpperBound: Int { get }

    /// Adds `vectors.count / dimension` vectors stored row-major and returns their slots, in order.
    ///
    /// - Parameter threads: how many threads may build in parallel (1 = the calling thread only).
    /// - Precondition: `vectors.count` is a multiple of `dimension`; every component is finite.
    func add(_ vectors: UnsafeBufferPointer<Float>, threads: Int) -> [Int]

    /// Replaces the vector in a live `slot` (an HNSW index re-links the node; no duplicate node).
    func replace(slot: Int, with vector: UnsafeBufferPointer<Float>)

    /// Removes the vector in `slot`. It never appears in a result again; the slot may be reused.
    func remove(slot: Int)

    /// Removes every vector.
    func removeAll()

    /// Whether `slot` holds a live vector.
    func isLive(slot: Int) -> Bool

    /// Calls `body` with the vector in a live `slot`, bit-for-bit as it was added.
    func withVector<R>(at slot: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R

    /// The `k` live vectors most similar to `query`, best first.
    ///
    /// With a filter, only slots the filter accepts are returned, and the result is the true
    /// best `k` among them (or all of them when fewer than `k` match) up to the index's recall.
    func search(_ query: UnsafeBufferPointer<Float>, k: Int, options: IndexSearchOptions) -> [SearchHit]

    /// What a filtered search with ``FilterStrategy/automatic`` will do for a filter naming about
    /// `matches` slots: ``FilterStrategy/exactScan`` or ``FilterStrategy/graphWalk``, never
    /// `.automatic`. O(1), touches no vector: a planner asks before it builds the filter, and can
    /// pick the filter's form from the answer (``SlotFilter/init(sortedSlots:)`` for a scan, a
    /// ``SlotBitset`` for a walk). An index without a graph always answers `.exactScan`.
    ///
    /// - Parameter efSearch: the query's efSearch, nil for the index default.
    func filteredSearchPlan(matches: Int, k: Int, efSearch: Int?) -> FilterStrategy
}

extension NearestNeighborIndex {
    /// An index without a graph scans.
    public func filteredSearchPlan(matches: Int, k: Int, efSearch: Int?) -> FilterStrategy { .exactScan }

    /// The vector in a live `slot`, as it was added.
    public func vector(at slot: Int) -> [Float] {
        withVector(at: slot) { Array($0) }
    }
}

/// How similarity between two vectors is measured. Every score is "higher is more similar".
public enum Metric: String, Sendable, Hashable, CaseIterable {
    /// Cosine similarity, in [-1, 1]. Vectors are kept as given; norms are precomputed.
    case cosine
    /// Inner (dot) product.
    case innerProduct
    /// Euclidean distance; the score is the *negated* distance (0 for identical vectors).
    case euclidean
}

/// One search result: a slot and its score (higher is more similar; see ``Metric``).
public struct SearchHit: Sendable, Hashable {
    public var slot: Int
    public var score: Float

    public init(slot: Int, score: Float) {
        self.slot = slot
        self.score = score
    }
}

/// Per-query options.
public struct IndexSearchOptions: Sendable {
    /// Size of the HNSW candidate list for this query; `nil` uses the index default.
    public var efSearch: Int?
    /// Only slots this filter accepts may be returned.
    public var filter: SlotFilter?
    /// Force an exact scan even when a graph is available.
    public var exact: Bool
    /// How a filtered search finds its results (ignored without a ``filter``).
    public var filterStrategy: FilterStrategy
    /// Which graph walk a filtered walk uses; nil lets the index choose. For benchmarks that
    /// compare the walks.
    package var filteredWalk: FilteredWalk?

    public init(efSearch: Int? = nil, filter: SlotFilter? = nil, exact: Bool = false,
                filterStrategy: FilterStrategy = .automatic) {
        self.efSearch = efSearch
        self.filter = filter
        self.exact = exact
        self.filterStrategy = filterStrategy
        self.filteredWalk = nil
    }
}

/// How a filtered search finds its results.
///
/// Every strategy returns only live slots the filter accepts, and never fewer than
/// `min(k, live matches)` results: a walk that cannot produce that many falls back to the exact
/// scan.
public enum FilterStrategy: Sendable, Hashable {
    /// The index decides from the number of matches, `k`, `efSearch` and the collection size
    /// (``NearestNeighborIndex/filteredSearchPlan(matches:k:efSearch:)`` says what it will do).
    /// A walk chosen this way also gives up and scans once it has done well over the work the
    /// model expected (a filter whose matches lie far from the query).
    case automatic
    /// Walk the graph, even for a very selective filter; approximate (up to the index's recall).
    /// Falls back to the exact scan only when the walk cannot produce `min(k, matches)` results
    /// (say, when removed or unreachable slots leave it short). An index without a graph
    /// (``FlatIndex``) always scans.
    case graphWalk
    /// Score every accepted slot exactly: the true top `k` among the matches, O(matches) distance
    /// computations.
    case exactScan
}

/// The two ways an HNSW index walks its graph under a filter (see ``HNSWIndex``).
package enum FilteredWalk: Sendable, Hashable {
    /// Every node the walk meets is scored; rejected nodes guide the walk but are never returned.
    case scoreEveryNode
    /// Only accepted nodes are scored; a rejected neighbour is crossed to its own neighbours
    /// (ACORN-1's two-hop expansion).
    case twoHop
}
