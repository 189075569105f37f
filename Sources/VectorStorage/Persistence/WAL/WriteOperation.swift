/// One change to a collection, fully resolved: applying it never depends on the state it is applied
/// to (every entry is a "blind write"), so replaying a log suffix over a state that already holds
/// some of its effects gives the same result as replaying it over the older state.
enum WriteOperation: Sendable {
    /// Sets each id to the given vector and payload (inserting it, or replacing it whole).
    case upsert([UpsertEntry])
    /// Removes each id that exists.
    case delete([VectorID])
    /// Removes every vector.
    case clear

    /// How many ids this operation touches (for logging).
    var size: Int {
        switch self {
        case .upsert(let entries): return entries.count
        case .delete(let ids): return ids.count
        case .clear: return 0
        }
    }
}

/// The full new state of one id.
struct UpsertEntry: Sendable, Hashable {
    var id: VectorID
    var vector: [Float]
    var payload: Payload
}

/// One operation of the log with its sequence number.
typealias WALRecord = (lsn: UInt64, operation: WriteOperation)
