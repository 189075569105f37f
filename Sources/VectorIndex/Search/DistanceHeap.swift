/// Which end of a ``DistanceHeap`` is on top.
protocol HeapOrder {
    /// Whether an entry at distance `a` belongs above one at distance `b`.
    static func above(_ a: Float, _ b: Float) -> Bool
}

/// Largest distance on top: the worst of a bounded result set, ready to be evicted.
enum FarthestFirst: HeapOrder {
    @inline(__always) static func above(_ a: Float, _ b: Float) -> Bool { a > b }
}

/// Smallest distance on top: the next candidate to expand in a graph walk.
enum NearestFirst: HeapOrder {
    @inline(__always) static func above(_ a: Float, _ b: Float) -> Bool { a < b }
}

/// A binary heap of `(distance, slot)` pairs in manually managed buffers.
///
/// No `Array`, so no copy-on-write checks or ARC in the hot loop; the owner reuses one heap
/// across queries (``removeAll()``) and frees it with ``deallocate()``. Grows by doubling when
/// full.
struct DistanceHeap<Order: HeapOrder> {
    private(set) var distances: UnsafeMutablePointer<Float>
    private(set) var slots: UnsafeMutablePointer<UInt32>
    private(set) var count: Int = 0
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 4)
        distances = .allocate(capacity: self.capacity)
        slots = .allocate(capacity: self.capacity)
    }

    func deallocate() {
        distances.deallocate()
        slots.deallocate()
    }

    var isEmpty: Bool { @inline(__always) get { count == 0 } }

    /// Distance of the top entry. Precondition: not empty.
    var topDistance: Float { @inline(__always) get { distances[0] } }
    /// Slot of the top entry. Precondition: not empty.
    var topSlot: UInt32 { @inline(__always) get { slots[0] } }

    @inline(__always)
    mutating func removeAll() { count = 0 }

    /// Makes room for at least `wanted` entries without further allocation.
    mutating func reserve(_ wanted: Int) {
        guard wanted > capacity else { return }
        var newCapacity = capacity
        while newCapacity < wanted { newCapacity *= 2 }
        let d = UnsafeMutablePointer<Float>.allocate(capacity: newCapacity)
        let s = UnsafeMutablePointer<UInt32>.allocate(capacity: newCapacity)
        d.update(from: distances, count: count)
        s.update(from: slots, count: count)
        distances.deallocate()
        slots.deallocate()
        distances = d
        slots = s
        capacity = newCapacity
    }

    @inline(__always)
    mutating func push(_ distance: Float, _ slot: UInt32) {
        if count == capacity { reserve(capacity * 2) }
        var i = count
        count += 1
        while i > 0 {
            let parent = (i - 1) >> 1
            if !Order.above(distance, distances[parent]) { break }
            distances[i] = distances[parent]
            slots[i] = slots[parent]
            i = parent
        }
        distances[i] = distance
        slots[i] = slot
    }

    /// Removes the top entry. Precondition: not empty.
    @inline(__always)
    mutating func pop() {
        count -= 1
        if count > 0 { siftDown(distances[count], slots[count]) }
    }

    /// Replaces the top entry by `(distance, slot)` (cheaper than pop + push).
    @inline(__always)
    mutating func replaceTop(_ distance: Float, _ slot: UInt32) {
        siftDown(distance, slot)
    }

    @inline(__always)
    private mutating func siftDown(_ distance: Float, _ slot: UInt32) {
        var i = 0
        let n = count
        while true {
            var child = 2 * i + 1
            if child >= n { break }
            if child + 1 < n && Order.above(distances[child + 1], distances[child]) { child += 1 }
            if !Order.above(distances[child], distance) { break }
            distances[i] = distances[child]
            slots[i] = slots[child]
            i = child
        }
        distances[i] = distance
        slots[i] = slot
    }

    /// Offers an entry to a heap that keeps the `limit` best (smallest) distances; only for
    /// ``FarthestFirst``. Returns whether it was kept.
    @inline(__always)
    @discardableResult
    mutating func offer(_ distance: Float, _ slot: UInt32, limit: Int) -> Bool {
        if count < limit {
            push(distance, slot)
            return true
        }
        if distance < distances[0] {
            replaceTop(distance, slot)
            return true
        }
        return false
    }

    /// Empties the heap into `(distance, slot)` pairs sorted by increasing distance, ties by slot.
    mutating func drainAscending() -> [(distance: Float, slot: UInt32)] {
        var out: [(distance: Float, slot: UInt32)] = []
        out.reserveCapacity(count)
        for i in 0 ..< count { out.append((distances[i], slots[i])) }
        count = 0
        out.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.slot < $1.slot) }
        return out
    }
}
