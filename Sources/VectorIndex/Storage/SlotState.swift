/// Life-cycle state of one slot, stored as one byte per slot and read with acquire semantics.
enum SlotState {
    /// Never used, or freed: holds nothing, nothing links to it.
    static let free: UInt8 = 0
    /// Claimed by a writer that is still filling it in; not visible to searches.
    static let pending: UInt8 = 1
    /// Holds a vector that searches return.
    static let live: UInt8 = 2
    /// Removed: still routes graph walks until repaired, never returned.
    static let tombstone: UInt8 = 3
}
