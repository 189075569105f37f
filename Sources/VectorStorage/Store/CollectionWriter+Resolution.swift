extension CollectionWriter {
    /// What the writes of the group in progress have done so far, as seen by the next request of
    /// the same group: the writer resolves each request against the applied state *plus* this.
    struct GroupOverlay {
        /// Ids the group wrote: their new value, or `nil` when the group removed them.
        private var written: [VectorID: UpsertEntry?] = [:]
        /// The group cleared the collection: ids it did not write since are absent.
        private var cleared = false
        /// Live vectors after the group's writes.
        private(set) var count: Int
        /// Whether the group so far changed anything a later request could observe.
        var isEmpty: Bool { written.isEmpty && !cleared }

        init(count: Int) {
            self.count = count
        }

        /// The id's value after the group's writes: `.some(value)` when the group decides it
        /// (`value` nil = absent), `nil` when the applied state does.
        func lookup(_ id: VectorID) -> UpsertEntry?? {
            if let entry = written[id] { return .some(entry) }
            return cleared ? .some(nil) : nil
        }

        mutating func record(_ operation: WriteOperation, countDelta: Int) {
            switch operation {
            case .upsert(let entries): for entry in entries { written[entry.id] = .some(entry) }
            case .delete(let ids): for id in ids { written[id] = .some(nil) }
            case .clear:
                written.removeAll()
                cleared = true
            }
            count += countDelta
        }
    }

    /// How the writer decided a request.
    struct Resolution {
        /// The operation to log and apply; `nil` when there is nothing to do (or on failure).
        var operation: WriteOperation?
        /// Why the request was refused, if it was.
        var failure: VectorStoreError?
        /// Whether the decision read something an earlier request of the same group wrote: if
        /// that group then fails, the decision is void and the request fails with it.
        var readTheGroup: Bool
    }

    /// Decides `request` against the applied state plus the group's overlay, and records its
    /// effect in the overlay. Runs on the writer thread, the only thread that changes the state,
    /// so the state is read without its lock.
    func resolve(_ request: WriteRequest, overlay: inout GroupOverlay) -> Resolution {
        /// The id's current value and whether the group decided it.
        func current(_ id: VectorID) -> (entry: UpsertEntry?, fromGroup: Bool) {
            if let decided = overlay.lookup(id) { return (decided, true) }
            return (state.entry(for: id), false)
        }
        func exists(_ id: VectorID) -> (Bool, fromGroup: Bool) {
            if let decided = overlay.lookup(id) { return (decided != nil, true) }
            return (state.slot(of: id) != nil, false)
        }

        switch request {
        case .insert(let entries):
            var adding = 0
            var readGroup = false
            for entry in entries {
                let (present, fromGroup) = exists(entry.id)
                readGroup = readGroup || fromGroup
                if !present { adding += 1 }
            }
            // The count itself is the group's when an earlier request changed it.
            readGroup = readGroup || !overlay.isEmpty
            if overlay.count + adding > maxVectors {
                return Resolution(
                    failure: .capacityExceeded(maxVectors: maxVectors, current: overlay.count, adding: adding),
                    readTheGroup: readGroup)
            }
            let operation = WriteOperation.upsert(entries)
            overlay.record(operation, countDelta: adding)
            return Resolution(operation: operation, readTheGroup: readGroup)

        case .update(let id, let vector, let payload):
            let (existing, fromGroup) = current(id)
            guard let existing else { return Resolution(failure: .vectorNotFound(id), readTheGroup: fromGroup) }
            let operation = WriteOperation.upsert([
                UpsertEntry(id: id, vector: vector ?? existing.vector, payload: payload ?? existing.payload)
            ])
            overlay.record(operation, countDelta: 0)
            return Resolution(operation: operation, readTheGroup: fromGroup)

        case .delete(let ids):
            var seen = Set<VectorID>()
            var doomed: [VectorID] = []
            var readGroup = false
            for id in ids where seen.insert(id).inserted {
                let (present, fromGroup) = exists(id)
                readGroup = readGroup || fromGroup
                if present { doomed.append(id) }
            }
            guard !doomed.isEmpty else { return Resolution(readTheGroup: readGroup) }
            let operation = WriteOperation.delete(doomed)
            overlay.record(operation, countDelta: -doomed.count)
            return Resolution(operation: operation, readTheGroup: readGroup)

        case .clear:
            let operation = WriteOperation.clear
            let removed = overlay.count
            overlay.record(operation, countDelta: -removed)
            return Resolution(operation: operation, readTheGroup: false)
        }
    }
}
