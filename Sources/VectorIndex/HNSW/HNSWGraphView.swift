import CVectorKernels

/// The addressing and distance math of an HNSW graph, as a plain value for hot loops.
///
/// Taken from an ``HNSWIndex`` while its row lock is held (shared or exclusive); valid until the
/// lock is released. Link lists are read with atomic loads and written (under the node's spin lock)
/// with atomic stores, so walks never block on writers.
///
/// A link list is `[count, n0, n1, ...]` of `UInt32`: level 0 lives in the slot storage with room
/// for `2·m` links; level `l ≥ 1` lives in the node's upper block at word `(l - 1)·(m + 1)`.
struct HNSWGraphView {
    let rows: SlotStorageView
    let kernels: MetricKernels
    let m: Int
    let dimension: Int

    @inline(__always)
    var upperWords: Int { m + 1 }

    @inline(__always)
    func maxDegree(_ level: Int) -> Int { level == 0 ? 2 * m : m }

    /// The link list of `slot` on `level`, or nil when the node has no such level.
    @inline(__always)
    func list(_ slot: Int, _ level: Int) -> UnsafeMutablePointer<UInt32>? {
        if level == 0 { return rows.links(slot) }
        guard let block = rows.upperLinks(slot).pointee else { return nil }
        return block + (level - 1) &* upperWords
    }

    @inline(__always)
    func level(_ slot: Int) -> Int { Int(rows.level(slot).pointee) }

    @inline(__always)
    func state(_ slot: Int) -> UInt8 { vk_load_u8_acquire(rows.state(slot)) }

    /// Distance from a query (a raw vector) to a stored row; see ``MetricKernels`` (for cosine the
    /// query's own norm is left out, which keeps the order).
    @inline(__always)
    func distance(_ query: UnsafePointer<Float>, _ slot: Int) -> Float {
        let raw = kernels.pair(query, rows.vector(slot), dimension)
        return kernels.usesInverseNorm ? kernels.sign * raw * rows.inverseNorm(slot).pointee : kernels.sign * raw
    }

    /// The full, symmetric distance between two stored rows (cosine includes both norms).
    @inline(__always)
    func nodeDistance(_ a: Int, _ b: Int) -> Float {
        let raw = kernels.pair(rows.vector(a), rows.vector(b), dimension)
        if kernels.usesInverseNorm {
            return kernels.sign * raw * rows.inverseNorm(a).pointee * rows.inverseNorm(b).pointee
        }
        return kernels.sign * raw
    }

    /// Factor that turns ``distance(_:_:)`` from a stored row used as the query into the full
    /// ``nodeDistance(_:_:)`` scale (its inverse norm for cosine, 1 otherwise).
    @inline(__always)
    func queryScale(_ slot: Int) -> Float {
        kernels.usesInverseNorm ? rows.inverseNorm(slot).pointee : 1
    }

    // MARK: - Link-list editing (caller holds the node's spin lock)

    @inline(__always)
    func count(of list: UnsafeMutablePointer<UInt32>) -> Int { Int(vk_load_u32_acquire(list)) }

    @inline(__always)
    func neighbor(_ list: UnsafeMutablePointer<UInt32>, _ i: Int) -> Int {
        Int(vk_load_u32_relaxed(list + 1 + i))
    }

    /// Overwrites a list with `count` slots from `source`: elements first, then the count, so a
    /// concurrent reader always sees valid slots.
    @inline(__always)
    func write(_ list: UnsafeMutablePointer<UInt32>, from source: UnsafePointer<UInt32>, count: Int) {
        for i in 0 ..< count { vk_store_u32_relaxed(list + 1 + i, source[i]) }
        vk_store_u32_release(list, UInt32(count))
    }

    @inline(__always)
    func lock(_ slot: Int) { vk_spin_lock(rows.lock(slot)) }

    @inline(__always)
    func unlock(_ slot: Int) { vk_spin_unlock(rows.lock(slot)) }

    // MARK: - Protected links (reachability)
    //
    // Every graph node except the entry point has a *parent*: a node whose level-0 list links to
    // it and may never drop that link. Parents form a tree rooted at the entry point, so every
    // node stays reachable from the entry point whatever lists are pruned, also while several
    // threads insert at once. A new node's parent is the first neighbour that keeps the reverse
    // link; when the entry point changes, the new entry links to the old one and becomes the root.

    static let noParent = UInt32.max

    @inline(__always)
    func parent(_ slot: Int) -> UInt32 { vk_load_u32_relaxed(rows.parent(slot)) }

    @inline(__always)
    func setParent(_ slot: Int, _ parent: UInt32) { vk_store_u32_relaxed(rows.parent(slot), parent) }

    /// Makes `parent` the parent of `slot` if it has none yet; returns whether it did.
    @inline(__always)
    func adoptIfOrphan(_ slot: Int, parent: UInt32) -> Bool {
        vk_compare_exchange_u32(rows.parent(slot), Self.noParent, parent) != 0
    }

    /// Whether the link `node → target` is protected.
    @inline(__always)
    func isProtected(_ node: Int, _ target: UInt32) -> Bool { parent(Int(target)) == UInt32(truncatingIfNeeded: node) }
}
