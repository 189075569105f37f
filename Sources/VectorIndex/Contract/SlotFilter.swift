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
public struct SlotFilter: Sendable {
    /// The accepted slots.
    public let allowed: SlotBitset

    /// How many slots the filter accepts.
    public var matchCount: Int { allowed.count }

    public init(_ allowed: SlotBitset) {
        self.allowed = allowed
    }

    @inlinable
    public func accepts(_ slot: Int) -> Bool { allowed.contains(slot) }
}
