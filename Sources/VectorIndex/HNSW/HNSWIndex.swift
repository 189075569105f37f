import CVectorKernels

/// An approximate nearest-neighbour index: a Hierarchical Navigable Small World graph
/// (Malkov & Yashunin, 2016) over contiguous vector storage.
///
/// Each node links to up to `2·m` neighbours on level 0 and `m` on each upper level it reaches;
/// neighbours are chosen with the paper's heuristic. A search descends greedily from the entry
/// point and then runs a best-first beam of width `efSearch` on level 0.
///
/// - Inserting links a node to its neighbours (incremental, no rebuild).
/// - ``replace(slot:with:)`` writes the new vector in place and re-links the same node.
/// - ``remove(slot:)`` makes the node a tombstone: it keeps routing walks but never appears in a
///   result. When tombstones exceed ``HNSWParameters/repairThreshold`` of the graph the index
///   repairs itself: it re-links the tombstones' neighbours, unlinks the tombstones and frees their
///   slots for reuse. Live slots never move.
/// - Filtered searches scan the accepted slots exactly when the filter is selective and otherwise
///   walk the graph, scoring mostly accepted nodes (a two-hop expansion, `HNSWFilteredWalk.swift`).
/// - Levels come from a seeded generator with FAISS's level probabilities; single-threaded
///   inserts are deterministic for a seed. ``exportLayout()`` and
///   ``init(dimension:metric:parameters:vectors:layout:)`` convert to and from FAISS's layout.
///
/// Memory per vector: the row (4·d bytes, 64-byte aligned), 4·(2m + 1) bytes of level-0 links,
/// about 4·(m + 1)/(m - 1) bytes of upper links on average, and 15 bytes of bookkeeping.
///
/// Thread safety: every method may be called from any thread. Searches never wait for link
/// changes (links are read with atomic loads); they wait only while a vector's memory is being
/// overwritten (``replace(slot:with:)``, reuse of a freed slot) or storage grows. Inserts from
/// several threads run in parallel (per-node spin locks); a repair excludes other writers but not
/// searches.
public final class HNSWIndex: NearestNeighborIndex, @unchecked Sendable {
    /// Number of components of every vector.
    public let dimension: Int
    /// How similarity is measured.
    public let metric: Metric
    /// Graph and search settings, fixed at creation.
    public let parameters: HNSWParameters

    let storage: SlotStorage
    let kernels: MetricKernels
    let contexts: SearchContextPool
    /// Shared: searches and the walks of inserts. Exclusive: overwriting a row others may read,
    /// growing the chunk table, removing everything.
    let rowsLock = ReadWriteLock()
    /// Shared: add, replace, remove. Exclusive: repair and removeAll.
    let writersLock = ReadWriteLock()
    /// Guards the slot bookkeeping below.
    let allocator = PlainMutex()
    /// Held by an insert that may raise the entry point.
    let entryMutex = PlainMutex()

    var freeSlots: [Int] = []
    var liveCount = 0
    var levelGenerator: HNSWLevelGenerator
    /// Words of upper-level link blocks allocated (for memory accounting).
    var upperBlockWords = 0
    /// One past the highest slot handed out; atomic for lock-free readers.
    let upperBoundCell: UnsafeMutablePointer<Int64>
    /// Entry point and top level packed as `(level + 1) << 32 | slot`; 0 when empty.
    let entryCell: UnsafeMutablePointer<UInt64>
    /// Number of tombstones; atomic so a search can read it without a lock.
    let tombstoneCell: UnsafeMutablePointer<Int64>

    /// Removed nodes still in the graph. Written under `allocator`; read anywhere.
    var tombstoneCount: Int {
        get { Int(vk_load_i64_acquire(tombstoneCell)) }
        set { vk_store_i64_release(tombstoneCell, Int64(newValue)) }
    }

    /// An empty index.
    ///
    /// - Parameters:
    ///   - dimension: components per vector (> 0).
    ///   - metric: how similarity is measured.
    ///   - parameters: graph and search settings (M, efConstruction, efSearch, seed).
    public init(dimension: Int, metric: Metric, parameters: HNSWParameters = HNSWParameters()) {
        precondition(dimension > 0, "dimension must be positive, got \(dimension)")
        self.dimension = dimension
        self.metric = metric
        self.parameters = parameters
        storage = SlotStorage(dimension: dimension, maxDegree0: 2 * parameters.m)
        kernels = MetricKernels(metric: metric)
        contexts = SearchContextPool(maxDegree: 2 * parameters.m)
        levelGenerator = HNSWLevelGenerator(m: parameters.m, seed: parameters.seed)
        upperBoundCell = .allocate(capacity: 1)
        upperBoundCell.initialize(to: 0)
        entryCell = .allocate(capacity: 1)
        entryCell.initialize(to: 0)
        tombstoneCell = .allocate(capacity: 1)
        tombstoneCell.initialize(to: 0)
    }

    deinit {
        upperBoundCell.deallocate()
        entryCell.deallocate()
        tombstoneCell.deallocate()
    }

    // MARK: - Properties

    /// Number of live vectors.
    public var count: Int { allocator.withLock { liveCount } }

    /// One past the highest slot ever handed out.
    public var slotUpperBound: Int { Int(vk_load_i64_acquire(upperBoundCell)) }

    /// Number of removed vectors still in the graph (they route walks until the next repair).
    public var tombstones: Int { tombstoneCount }

    /// Bytes of memory the index holds: vector rows, links, bookkeeping and search scratch
    /// allocated so far (not counting the process allocator's own overhead).
    public var memoryBytes: Int {
        rowsLock.withShared {
            allocator.withLock {
                storage.allocatedBytes + upperBlockWords * 4 + freeSlots.capacity * MemoryLayout<Int>.stride
            }
        }
    }

    /// The instruction set of the distance kernels in use ("avx512", "avx2", "neon", "portable").
    public var kernelName: String { kernels.isaName }

    // MARK: - Entry point

    /// The entry node and the top level, or nil for an empty graph.
    @inline(__always)
    func loadEntry() -> (slot: Int, level: Int)? {
        let packed = vk_load_u64_acquire(entryCell)
        if packed == 0 { return nil }
        return (Int(packed & 0xFFFF_FFFF), Int(packed >> 32) - 1)
    }

    func storeEntry(_ entry: (slot: Int, level: Int)?) {
        guard let entry else {
            vk_store_u64_release(entryCell, 0)
            return
        }
        vk_store_u64_release(entryCell, UInt64(entry.level + 1) << 32 | UInt64(entry.slot))
    }

    /// A view of the graph; valid while `rowsLock` is held.
    @inline(__always)
    var graph: HNSWGraphView {
        HNSWGraphView(rows: storage.view, kernels: kernels, m: parameters.m, dimension: dimension)
    }

    // MARK: - Simple queries

    /// Whether `slot` holds a live vector (false for removed, free and out-of-range slots).
    public func isLive(slot: Int) -> Bool {
        rowsLock.withShared { isLiveLocked(slot) }
    }

    func isLiveLocked(_ slot: Int) -> Bool {
        slot >= 0 && slot < slotUpperBound && vk_load_u8_acquire(storage.view.state(slot)) == SlotState.live
    }

    /// Calls `body` with the vector in a live `slot`, without copying it. The index's shared lock
    /// is held meanwhile, so `body` must not call back into this index (a waiting writer would
    /// deadlock a nested acquisition); copy the vector out with ``vector(at:)`` if needed.
    ///
    /// - Precondition: `slot` is live.
    public func withVector<R>(at slot: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        rowsLock.lockShared()
        defer { rowsLock.unlock() }
        precondition(isLiveLocked(slot), "withVector(at: \(slot)): the slot is not live")
        return try body(UnsafeBufferPointer(start: storage.view.vector(slot), count: dimension))
    }

    /// The level (0-based) of a node in the graph, or nil for a free slot.
    public func level(ofSlot slot: Int) -> Int? {
        rowsLock.withShared {
            guard slot >= 0, slot < slotUpperBound, vk_load_u8_acquire(storage.view.state(slot)) != SlotState.free else { return nil }
            return Int(storage.view.level(slot).pointee)
        }
    }
}
