/// Scratch memory for one graph walk: the visited set, the two heaps and the neighbour buffers.
///
/// Contexts are pooled per index (``SearchContextPool``) so a search allocates nothing in steady
/// state; a context is used by one thread at a time.
final class SearchContext {
    var visited: VisitedSet
    var candidates: DistanceHeap<NearestFirst>
    var results: DistanceHeap<FarthestFirst>
    /// Per expanded node: unvisited neighbour slots, their rows and their distances.
    let neighborSlots: UnsafeMutablePointer<UInt32>
    let neighborRows: UnsafeMutablePointer<UnsafePointer<Float>?>
    let neighborDistances: UnsafeMutablePointer<Float>
    let neighborCapacity: Int
    /// Membership bits of a sorted-list filter during a filtered walk.
    var filterBits = ScratchBitset()
    /// Construction scratch: candidate lists sorted by distance, and the selected neighbours.
    private(set) var scratchDistances: UnsafeMutablePointer<Float>
    private(set) var scratchSlots: UnsafeMutablePointer<UInt32>
    private(set) var selectedSlots: UnsafeMutablePointer<UInt32>
    private(set) var selectedDistances: UnsafeMutablePointer<Float>
    private(set) var scratchCapacity: Int
    /// Scratch for pruning one neighbour's list (2·maxDegree + 2 entries each), separate from the
    /// construction scratch because pruning runs while a selection is being linked.
    let pruneDistances: UnsafeMutablePointer<Float>
    let pruneSlots: UnsafeMutablePointer<UInt32>
    let pruneSelected: UnsafeMutablePointer<UInt32>
    let pruneSelectedDistances: UnsafeMutablePointer<Float>

    init(slotCount: Int, maxDegree: Int) {
        visited = VisitedSet(capacity: slotCount)
        candidates = DistanceHeap(capacity: 256)
        results = DistanceHeap(capacity: 256)
        neighborCapacity = maxDegree
        neighborSlots = .allocate(capacity: maxDegree)
        neighborRows = .allocate(capacity: maxDegree)
        neighborDistances = .allocate(capacity: maxDegree)
        scratchCapacity = 2 * maxDegree + 2
        pruneDistances = .allocate(capacity: scratchCapacity)
        pruneSlots = .allocate(capacity: scratchCapacity)
        pruneSelected = .allocate(capacity: scratchCapacity)
        pruneSelectedDistances = .allocate(capacity: scratchCapacity)
        scratchDistances = .allocate(capacity: scratchCapacity)
        scratchSlots = .allocate(capacity: scratchCapacity)
        selectedSlots = .allocate(capacity: scratchCapacity)
        selectedDistances = .allocate(capacity: scratchCapacity)
    }

    /// Makes the construction scratch hold at least `count` entries.
    func reserveScratch(_ count: Int) {
        guard count > scratchCapacity else { return }
        scratchDistances.deallocate()
        scratchSlots.deallocate()
        selectedSlots.deallocate()
        selectedDistances.deallocate()
        scratchCapacity = max(count, scratchCapacity * 2)
        scratchDistances = .allocate(capacity: scratchCapacity)
        scratchSlots = .allocate(capacity: scratchCapacity)
        selectedSlots = .allocate(capacity: scratchCapacity)
        selectedDistances = .allocate(capacity: scratchCapacity)
    }

    deinit {
        filterBits.deallocate()
        visited.deallocate()
        candidates.deallocate()
        results.deallocate()
        neighborSlots.deallocate()
        neighborRows.deallocate()
        neighborDistances.deallocate()
        scratchDistances.deallocate()
        scratchSlots.deallocate()
        selectedSlots.deallocate()
        selectedDistances.deallocate()
        pruneDistances.deallocate()
        pruneSlots.deallocate()
        pruneSelected.deallocate()
        pruneSelectedDistances.deallocate()
    }
}

/// A lock-protected stack of ``SearchContext``s.
final class SearchContextPool: @unchecked Sendable {
    private let mutex = PlainMutex()
    private var free: [SearchContext] = []
    private let maxDegree: Int

    init(maxDegree: Int) { self.maxDegree = maxDegree }

    /// Runs `body` with a context for a walk over `slotCount` slots.
    @inline(__always)
    func with<R>(slotCount: Int, _ body: (SearchContext) throws -> R) rethrows -> R {
        mutex.lock()
        let context = free.popLast() ?? SearchContext(slotCount: slotCount, maxDegree: maxDegree)
        mutex.unlock()
        defer {
            mutex.lock()
            free.append(context)
            mutex.unlock()
        }
        return try body(context)
    }

    /// Drops every pooled context (their memory goes back to the allocator).
    func drain() {
        mutex.withLock { free.removeAll() }
    }
}
