/// Marks visited slots during one graph walk without clearing memory per walk: each slot holds
/// the generation that last visited it, and a new walk just increments the generation (the table
/// is cleared only when the 16-bit generation wraps).
struct VisitedSet {
    private(set) var tags: UnsafeMutablePointer<UInt16>
    private(set) var capacity: Int
    private(set) var generation: UInt16 = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        tags = .allocate(capacity: self.capacity)
        tags.initialize(repeating: 0, count: self.capacity)
    }

    func deallocate() { tags.deallocate() }

    /// Starts a new walk over slots `0 ..< slotCount`.
    mutating func reset(slotCount: Int) {
        if slotCount > capacity {
            tags.deallocate()
            capacity = max(slotCount, capacity * 2)
            tags = .allocate(capacity: capacity)
            tags.initialize(repeating: 0, count: capacity)
            generation = 0
        }
        if generation == .max {
            tags.update(repeating: 0, count: capacity)
            generation = 0
        }
        generation += 1
    }

    /// Marks `slot`; returns false when it was already marked in this walk.
    @inline(__always)
    func insert(_ slot: Int) -> Bool {
        if tags[slot] == generation { return false }
        tags[slot] = generation
        return true
    }

    @inline(__always)
    func contains(_ slot: Int) -> Bool { tags[slot] == generation }
}
