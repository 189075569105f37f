import CVectorKernels

/// An exact nearest-neighbour index: every search compares the query with every live vector.
///
/// Vectors live in contiguous, 64-byte aligned rows (chunks of rows that never move), scanned
/// with the widest SIMD kernels the CPU offers. Use it for small collections, for filtered
/// searches that accept few vectors, and as the ground truth for approximate indexes.
///
/// - Complexity: search O(n·d) (memory-bandwidth bound); add O(d) per vector; remove O(1).
///
/// Thread safety: every method may be called from any thread. Searches run concurrently with
/// each other; a change (add, replace, remove) holds an exclusive lock only while it copies the
/// data, so a search sees each vector either entirely before or entirely after a change.
public final class FlatIndex: NearestNeighborIndex, @unchecked Sendable {
    /// Number of components of every vector.
    public let dimension: Int
    /// How similarity is measured.
    public let metric: Metric

    let storage: SlotStorage
    let kernels: MetricKernels
    /// Guards everything below and the storage: searches shared, changes exclusive.
    let lock = ReadWriteLock()
    private var freeSlots: [Int] = []
    private var liveCount = 0
    /// One past the highest slot handed out (guarded by `lock`).
    private(set) var upperBound = 0

    /// An empty index for vectors of `dimension` components compared by `metric`.
    public init(dimension: Int, metric: Metric) {
        precondition(dimension > 0, "dimension must be positive, got \(dimension)")
        self.dimension = dimension
        self.metric = metric
        storage = SlotStorage(dimension: dimension, maxDegree0: nil)
        kernels = MetricKernels(metric: metric)
    }

    /// An index holding `vectors` (row-major, `vectors.count / dimension` rows) in slots
    /// `0 ..< rows`, in order.
    ///
    /// - Throws: ``IndexImportError/vectorCountMismatch(floats:dimension:expectedRows:)`` when
    ///   `vectors.count` is not a multiple of `dimension`, and
    ///   ``IndexImportError/nonFiniteComponent(row:)`` for a NaN or infinite component.
    public convenience init(dimension: Int, metric: Metric, vectors: UnsafeBufferPointer<Float>) throws {
        guard dimension > 0 else { throw IndexImportError.invalidDimension(dimension) }
        guard vectors.count % dimension == 0 else {
            throw IndexImportError.vectorCountMismatch(floats: vectors.count, dimension: dimension, expectedRows: nil)
        }
        if let bad = firstNonFiniteRow(vectors, dimension: dimension) {
            throw IndexImportError.nonFiniteComponent(row: bad)
        }
        self.init(dimension: dimension, metric: metric)
        _ = add(vectors, threads: 1)
    }

    /// Number of live vectors.
    public var count: Int { lock.withShared { liveCount } }

    /// One past the highest slot ever handed out.
    public var slotUpperBound: Int { lock.withShared { upperBound } }

    /// Bytes of memory the index holds for its vectors and bookkeeping (not counting the process
    /// allocator's own overhead).
    public var memoryBytes: Int {
        lock.withShared { storage.allocatedBytes + freeSlots.capacity * MemoryLayout<Int>.stride }
    }

    /// Adds vectors (row-major) and returns their slots, reusing removed slots first.
    ///
    /// - Parameter threads: ignored (copying is memory-bound); present for the protocol.
    /// - Complexity: O(rows × dimension).
    public func add(_ vectors: UnsafeBufferPointer<Float>, threads: Int = 1) -> [Int] {
        precondition(vectors.count % dimension == 0,
                     "vector buffer of \(vectors.count) floats is not a multiple of dimension \(dimension)")
        let rows = vectors.count / dimension
        guard rows > 0, let base = vectors.baseAddress else { return [] }
        var norms = [Float](repeating: 0, count: rows)
        for r in 0 ..< rows { norms[r] = kernels.inverseNorm(base + r * dimension, count: dimension) }
        return lock.withExclusive {
            var slots: [Int] = []
            slots.reserveCapacity(rows)
            let reused = min(rows, freeSlots.count)
            for _ in 0 ..< reused { slots.append(freeSlots.removeLast()) }
            if rows > reused {
                storage.grow(toCapacity: upperBound + rows - reused)
                for _ in reused ..< rows {
                    slots.append(upperBound)
                    upperBound += 1
                }
            }
            let view = storage.view
            for (r, slot) in slots.enumerated() {
                view.writeVector(slot, from: base + r * dimension, inverseNorm: norms[r])
                vk_store_u8_release(view.state(slot), SlotState.live)
            }
            liveCount += rows
            return slots
        }
    }

    /// Replaces the vector in a live `slot`.
    ///
    /// - Precondition: `slot` is live and `vector.count == dimension`.
    public func replace(slot: Int, with vector: UnsafeBufferPointer<Float>) {
        precondition(vector.count == dimension, "vector has \(vector.count) components, expected \(dimension)")
        let inverse = kernels.inverseNorm(vector.baseAddress!, count: dimension)
        lock.withExclusive {
            precondition(isLiveLocked(slot), "replace(slot: \(slot)): the slot is not live")
            storage.view.writeVector(slot, from: vector.baseAddress!, inverseNorm: inverse)
        }
    }

    /// Removes the vector in `slot` (no effect when the slot is not live). The slot is reused by a
    /// later ``add(_:threads:)``.
    public func remove(slot: Int) {
        lock.withExclusive {
            guard isLiveLocked(slot) else { return }
            vk_store_u8_release(storage.view.state(slot), SlotState.free)
            freeSlots.append(slot)
            liveCount -= 1
        }
    }

    /// Removes every vector; slots start again from 0.
    public func removeAll() {
        lock.withExclusive {
            storage.deallocateAll()
            freeSlots = []
            liveCount = 0
            upperBound = 0
        }
    }

    /// Whether `slot` holds a live vector (false for removed, free and out-of-range slots).
    public func isLive(slot: Int) -> Bool {
        lock.withShared { isLiveLocked(slot) }
    }

    private func isLiveLocked(_ slot: Int) -> Bool {
        slot >= 0 && slot < upperBound && vk_load_u8_acquire(storage.view.state(slot)) == SlotState.live
    }

    /// Calls `body` with the vector in a live `slot`, without copying it. The index's shared lock
    /// is held meanwhile, so `body` must not call back into this index (a waiting writer would
    /// deadlock a nested acquisition); copy the vector out with ``vector(at:)`` if needed.
    ///
    /// - Precondition: `slot` is live.
    public func withVector<R>(at slot: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        lock.lockShared()
        defer { lock.unlock() }
        precondition(isLiveLocked(slot), "withVector(at: \(slot)): the slot is not live")
        return try body(UnsafeBufferPointer(start: storage.view.vector(slot), count: dimension))
    }
}

/// The first row of `vectors` holding a NaN or an infinity, if any.
func firstNonFiniteRow(_ vectors: UnsafeBufferPointer<Float>, dimension: Int) -> Int? {
    for (i, x) in vectors.enumerated() where !x.isFinite { return i / dimension }
    return nil
}
