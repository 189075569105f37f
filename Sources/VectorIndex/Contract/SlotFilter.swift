/// A set of slots, one bit per slot, with the number of members kept up to date.
public struct SlotBitset: Sendable, Hashable {
    @usableFromInline var words: [UInt64]
    /// Number of slots in the set.
    public private(set) var count: Int

    /// An empty set able to hold slots `0 ..< capacity` (it grows when a larger slot is inserted).
    public init(capacity: Int) {
        words = [UInt64](repeating: 0, count: (max(capacity, 0) + 63) / 64)
        count = 0
    }

    /// Adds `slot` to the set.
    public mutating func insert(_ slot: Int) {
        precondition(slot >= 0, "slot must not be negative")
        let word = slot >> 6
        if word >= words.count { words.append(contentsOf: repeatElement(0, count: word + 1 - words.count)) }
        let bit: UInt64 = 1 << UInt64(slot & 63)
        if words[word] & bit == 0 {
            words[word] |= bit
            count += 1
        }
    }

    /// Removes `slot` from the set.
    public mutating func remove(_ slot: Int) {
        let word = slot >> 6
        guard slot >= 0, word < words.count else { return }
        let bit: UInt64 = 1 << UInt64(slot & 63)
        if words[word] & bit != 0 {
            words[word] &= ~bit
            count -= 1
        }
    }

    /// Whether `slot` is in the set.
    @inlinable
    public func contains(_ slot: Int) -> Bool {
        let word = slot >> 6
        guard slot >= 0, word < words.count else { return false }
        return words[word] & (1 << UInt64(slot & 63)) != 0
    }

    /// The members in increasing order.
    public func forEach(_ body: (Int) throws -> Void) rethrows {
        for (w, var bits) in words.enumerated() where bits != 0 {
            while bits != 0 {
                let bit = bits.trailingZeroBitCount
                try body(w << 6 | bit)
                bits &= bits &- 1
            }
        }
    }
}

/// Restricts a search to a set of slots. Built by the storage layer from a payload filter.
///
/// Two representations, chosen by whoever builds the filter:
///
/// - a ``SlotBitset`` (``init(_:)``): O(1) membership, O(slots / 64) memory. Right for filters
///   that accept many slots, where the index will walk its graph.
/// - a sorted list of slots (``init(sortedSlots:)``): O(matches) memory and no allocation
///   proportional to the collection. Right for selective filters, where the index scans the
///   accepted slots exactly: the scan iterates the list directly. When a graph walk is chosen
///   anyway, the index marks the list in a per-search scratch set (O(matches) work, reused).
///
/// Either may name slots that are free or removed: a search never returns a slot that is not
/// live, whatever the filter says. ``matchCount`` counts the named slots, live or not, so it is
/// an upper bound on the live matches.
public struct SlotFilter: Sendable {
    @usableFromInline
    enum Representation: Sendable {
        case bitset(SlotBitset)
        case sortedSlots([Int32])
    }

    @usableFromInline
    let representation: Representation

    /// A filter accepting the slots in `allowed`.
    public init(_ allowed: SlotBitset) {
        representation = .bitset(allowed)
    }

    /// A filter accepting the slots in `sortedSlots`.
    ///
    /// - Precondition: `sortedSlots` is strictly ascending (so unique) and holds no negative slot.
    /// - Complexity: O(`sortedSlots.count`) to check the precondition.
    public init(sortedSlots: [Int32]) {
        if let first = sortedSlots.first {
            precondition(first >= 0, "SlotFilter(sortedSlots:): negative slot \(first)")
        }
        var i = 1
        while i < sortedSlots.count {
            precondition(sortedSlots[i - 1] < sortedSlots[i],
                         "SlotFilter(sortedSlots:): slots not strictly ascending at index \(i) (\(sortedSlots[i - 1]), \(sortedSlots[i]))")
            i += 1
        }
        representation = .sortedSlots(sortedSlots)
    }

    /// How many slots the filter names (live or not).
    public var matchCount: Int {
        switch representation {
        case .bitset(let set): return set.count
        case .sortedSlots(let slots): return slots.count
        }
    }

    /// Whether the filter names `slot`.
    ///
    /// - Complexity: O(1) for a bitset, O(log matches) for a sorted list.
    @inlinable
    public func accepts(_ slot: Int) -> Bool {
        switch representation {
        case .bitset(let set):
            return set.contains(slot)
        case .sortedSlots(let slots):
            guard slot >= 0, slot <= Int(Int32.max) else { return false }
            let target = Int32(slot)
            var low = 0, high = slots.count
            while low < high {
                let mid = (low + high) >> 1
                if slots[mid] < target { low = mid + 1 } else { high = mid }
            }
            return low < slots.count && slots[low] == target
        }
    }

    /// The named slots, as a bitset. For a filter built from a sorted list this builds a new set
    /// (O(highest slot / 64) memory): use ``accepts(_:)`` or ``forEach(_:)`` where that matters.
    public var allowed: SlotBitset {
        switch representation {
        case .bitset(let set):
            return set
        case .sortedSlots(let slots):
            var set = SlotBitset(capacity: slots.last.map { Int($0) + 1 } ?? 0)
            for s in slots { set.insert(Int(s)) }
            return set
        }
    }

    /// Calls `body` with every named slot, in increasing order.
    public func forEach(_ body: (Int) throws -> Void) rethrows {
        switch representation {
        case .bitset(let set): try set.forEach(body)
        case .sortedSlots(let slots): for s in slots { try body(Int(s)) }
        }
    }
}
