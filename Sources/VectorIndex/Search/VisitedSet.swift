/// Marks visited slots during one graph walk: one bit per slot (8 KiB covers 65,536 slots, so
/// the set stays in L1/L2 cache), plus the list of words a walk has touched so that resetting
/// costs O(touched), not O(slots).
struct VisitedSet {
    private(set) var words: UnsafeMutablePointer<UInt64>
    private(set) var touched: UnsafeMutablePointer<Int32>
    private(set) var touchedCount = 0
    private(set) var wordCount: Int

    init(capacity: Int) {
        wordCount = max((capacity + 63) >> 6, 1)
        words = .allocate(capacity: wordCount)
        words.initialize(repeating: 0, count: wordCount)
        touched = .allocate(capacity: wordCount)
    }

    func deallocate() {
        words.deallocate()
        touched.deallocate()
    }

    /// Slots the set can hold.
    var capacity: Int { wordCount << 6 }

    /// Starts a new walk over slots `0 ..< slotCount`.
    mutating func reset(slotCount: Int) {
        for i in 0 ..< touchedCount { words[Int(touched[i])] = 0 }
        touchedCount = 0
        let needed = (slotCount + 63) >> 6
        if needed > wordCount {
            words.deallocate()
            touched.deallocate()
            wordCount = max(needed, wordCount * 2)
            words = .allocate(capacity: wordCount)
            words.initialize(repeating: 0, count: wordCount)
            touched = .allocate(capacity: wordCount)
        }
    }

    /// Marks `slot`; returns false when it was already marked in this walk.
    @inline(__always)
    mutating func insert(_ slot: Int) -> Bool {
        let w = slot &>> 6
        let bit: UInt64 = 1 &<< UInt64(slot & 63)
        let bits = words[w]
        if bits & bit != 0 { return false }
        if bits == 0 {
            touched[touchedCount] = Int32(truncatingIfNeeded: w)
            touchedCount &+= 1
        }
        words[w] = bits | bit
        return true
    }

    @inline(__always)
    func contains(_ slot: Int) -> Bool { words[slot &>> 6] & (1 &<< UInt64(slot & 63)) != 0 }
}
