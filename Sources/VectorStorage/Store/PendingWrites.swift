/// What the store has submitted to the commit pipeline but not yet seen applied.
///
/// Writers are numbered and queued without waiting for each other (so they can share a flush);
/// a writer that checks existence or reads a current value must see the effect of earlier
/// writers still in flight. This overlay answers for those ids; everything else comes from the
/// applied state. Entries are dropped once the state's applied sequence number passes them.
struct PendingWrites {
    /// What an id is after the pending writes.
    enum Lookup {
        /// No pending write touches the id: ask the applied state.
        case notPending
        /// A pending write leaves the id absent.
        case absent
        /// A pending write leaves the id with this value.
        case present(UpsertEntry)
    }

    private var latest: [VectorID: (entry: UpsertEntry?, lsn: UInt64)] = [:]
    private var clearLSN: UInt64?
    private var deltas: [(lsn: UInt64, delta: Int)] = []
    private var highestLSN: UInt64 = 0

    /// Forgets every write with a sequence number up to `applied`.
    mutating func forgetApplied(upTo applied: UInt64) {
        guard highestLSN > 0 else { return }
        if highestLSN <= applied {
            reset()
            return
        }
        latest = latest.filter { $0.value.lsn > applied }
        if let c = clearLSN, c <= applied { clearLSN = nil }
        deltas.removeAll { $0.lsn <= applied }
    }

    /// Forgets everything (after a failure, every pending write failed).
    mutating func reset() {
        latest.removeAll()
        clearLSN = nil
        deltas.removeAll()
        highestLSN = 0
    }

    /// What `id` is after the pending writes.
    func lookup(_ id: VectorID) -> Lookup {
        if let pending = latest[id] {
            return pending.entry.map(Lookup.present) ?? .absent
        }
        return clearLSN == nil ? .notPending : .absent
    }

    /// The change in the number of live vectors the pending writes will make.
    var countDelta: Int { deltas.reduce(0) { $0 + $1.delta } }

    /// Records a submitted write: its effect on each id and on the count.
    mutating func record(_ operation: WriteOperation, lsn: UInt64, countDelta: Int) {
        switch operation {
        case .upsert(let entries):
            for entry in entries { latest[entry.id] = (entry, lsn) }
        case .delete(let ids):
            for id in ids { latest[id] = (nil, lsn) }
        case .clear:
            latest.removeAll()
            clearLSN = lsn
        }
        deltas.append((lsn, countDelta))
        highestLSN = lsn
    }
}
