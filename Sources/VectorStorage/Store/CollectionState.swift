import VectorIndex

/// The in-memory contents of a collection: the index plus, per slot, the id, payload and
/// insertion sequence, and the map from ids to slots.
///
/// Readers (search, get, list) take the lock shared and run on every core at once; the
/// collection's writer (`CollectionWriter`) is the only one that changes it and takes it
/// exclusively while it applies an operation, so a reader sees an operation entirely or not at all.
final class CollectionState: @unchecked Sendable {
    let lock = ReadWriteLock()
    let factory: IndexFactory
    /// Searches below this many vectors are exact.
    let minDatasetSize: Int
    /// Threads used to add large batches to the index.
    let buildThreads: Int

    private(set) var index: any NearestNeighborIndex
    private(set) var ids: [VectorID?] = []
    private(set) var payloads: [Payload] = []
    private(set) var sequence: [UInt64] = []
    private(set) var slotsByID: [VectorID: Int32] = [:]
    private var nextSequence: UInt64 = 0
    /// The sequence number of the last operation applied.
    private(set) var appliedLSN: UInt64 = 0
    /// Changes with every change of the contents (never repeats), so cached filter results are
    /// recognised as current.
    private var version: UInt64 = 0
    /// The slots recent filters matched, for repeated filtered searches between writes.
    private let filterCache = LockedValue(FilterCache())

    init(factory: IndexFactory, minDatasetSize: Int, buildThreads: Int) {
        self.factory = factory
        self.minDatasetSize = minDatasetSize
        self.buildThreads = buildThreads
        index = factory.makeEmpty()
    }

    /// Number of live vectors. Caller holds the lock (either mode).
    var count: Int { slotsByID.count }

    // MARK: - Applying operations (caller holds the write lock, or owns the state exclusively)

    /// Applies one resolved operation and records `lsn` as applied.
    func apply(_ operation: WriteOperation, lsn: UInt64) {
        version &+= 1
        switch operation {
        case .upsert(let entries): applyUpsert(entries)
        case .delete(let ids): for id in ids { removeVector(id) }
        case .clear: removeEverything()
        }
        if lsn > appliedLSN { appliedLSN = lsn }
    }

    /// Resets the applied sequence number (recovery starts from a checkpoint's).
    func setAppliedLSN(_ lsn: UInt64) { appliedLSN = lsn }

    private func applyUpsert(_ entries: [UpsertEntry]) {
        var fresh: [UpsertEntry] = []
        for entry in entries {
            if let slot = slotsByID[entry.id].map(Int.init) {
                let same = index.withVector(at: slot) { old in
                    old.elementsEqual(entry.vector) { $0.bitPattern == $1.bitPattern }
                }
                if !same {
                    entry.vector.withUnsafeBufferPointer { index.replace(slot: slot, with: $0) }
                }
                payloads[slot] = entry.payload
                ids[slot] = entry.id  // keep the spelling of the latest write
            } else {
                fresh.append(entry)
            }
        }
        guard !fresh.isEmpty else { return }
        var flat: [Float] = []
        flat.reserveCapacity(fresh.count * factory.dimension)
        for entry in fresh { flat.append(contentsOf: entry.vector) }
        let slots = flat.withUnsafeBufferPointer {
            index.add($0, threads: fresh.count >= 256 ? buildThreads : 1)
        }
        for (entry, slot) in zip(fresh, slots) { place(entry.id, payload: entry.payload, at: slot) }
    }

    private func place(_ id: VectorID, payload: Payload, at slot: Int) {
        if slot >= ids.count {
            let grow = slot + 1 - ids.count
            ids.append(contentsOf: repeatElement(nil, count: grow))
            payloads.append(contentsOf: repeatElement([:], count: grow))
            sequence.append(contentsOf: repeatElement(0, count: grow))
        }
        ids[slot] = id
        payloads[slot] = payload
        sequence[slot] = nextSequence
        nextSequence += 1
        slotsByID[id] = Int32(slot)
    }

    private func removeVector(_ id: VectorID) {
        guard let slot = slotsByID.removeValue(forKey: id).map(Int.init) else { return }
        index.remove(slot: slot)
        ids[slot] = nil
        payloads[slot] = [:]
    }

    private func removeEverything() {
        index.removeAll()
        ids = []
        payloads = []
        sequence = []
        slotsByID = [:]
        nextSequence = 0
    }

    /// Unlinks deleted vectors from the HNSW graph once they pass 10 % of its nodes, freeing their
    /// slots. Called by the writer thread (the only writer) *without* the state's lock:
    /// the graph's repair runs beside searches (the index's own locks keep them safe), so a repair
    /// of a large graph (about a second at 61,535 vectors) delays the next writes, never the reads.
    func repairIndexIfNeeded() {
        guard let hnsw = index as? HNSWIndex else { return }
        let tombstones = hnsw.tombstones
        guard tombstones > 0,
              Double(tombstones) > IndexFactory.repairThreshold * Double(tombstones + hnsw.count)
        else { return }
        hnsw.repair()
    }

    /// Empties the state and gives it a new, empty index.
    func reset() {
        version &+= 1
        index = factory.makeEmpty()
        ids = []
        payloads = []
        sequence = []
        slotsByID = [:]
        nextSequence = 0
        appliedLSN = 0
    }

    /// Replaces the whole contents with a freshly built index and its per-slot data (recovery):
    /// row `i` (`ids[i]`, `payloads[i]`) lives in `slots[i]`, rows in insertion order.
    func install(index: any NearestNeighborIndex, ids: [VectorID], payloads: [Payload], slots: [Int]) {
        version &+= 1
        self.index = index
        let upper = (slots.max() ?? -1) + 1
        var newIDs = [VectorID?](repeating: nil, count: upper)
        var newPayloads = [Payload](repeating: [:], count: upper)
        var newSequence = [UInt64](repeating: 0, count: upper)
        var map = [VectorID: Int32](minimumCapacity: ids.count)
        for i in ids.indices {
            let slot = slots[i]
            if let old = map.updateValue(Int32(slot), forKey: ids[i]) {
                // A duplicated id (callers deduplicate; never trap if one slips through): the later row wins.
                index.remove(slot: Int(old))
                newIDs[Int(old)] = nil
                newPayloads[Int(old)] = [:]
            }
            newIDs[slot] = ids[i]
            newPayloads[slot] = payloads[i]
            newSequence[slot] = UInt64(i)
        }
        self.ids = newIDs
        self.payloads = newPayloads
        self.sequence = newSequence
        slotsByID = map
        nextSequence = UInt64(ids.count)
    }

    // MARK: - Reading (caller holds the lock, either mode)

    /// The slot of a live id.
    func slot(of id: VectorID) -> Int? { slotsByID[id].map(Int.init) }

    /// The result for a live slot.
    func result(at slot: Int, score: Float?, includeVector: Bool) -> VectorStoreResult {
        VectorStoreResult(
            id: ids[slot]!, score: score,
            vector: includeVector ? index.vector(at: slot) : nil,
            payload: payloads[slot])
    }

    /// The current vector and payload of a live id.
    func entry(for id: VectorID) -> UpsertEntry? {
        guard let slot = slot(of: id) else { return nil }
        return UpsertEntry(id: ids[slot]!, vector: index.vector(at: slot), payload: payloads[slot])
    }

    /// The slots whose payload matches `filter` (remembered until the contents change, so a
    /// filter repeated between writes costs nothing the second time).
    func matchingSlots(_ filter: SearchFilter) -> SlotBitset {
        let version = self.version
        if let cached = filterCache.withLock({ $0.lookup(filter, version: version) }) { return cached }
        let compiled = CompiledSearchFilter(filter)
        var set = SlotBitset(capacity: ids.count)
        for slot in ids.indices where ids[slot] != nil && compiled.matches(payloads[slot]) {
            set.insert(slot)
        }
        filterCache.withLock { $0.store(filter, version: version, slots: set) }
        return set
    }

    /// Live slots in insertion order.
    func slotsInInsertionOrder() -> [Int] {
        var live: [Int] = []
        live.reserveCapacity(count)
        for slot in ids.indices where ids[slot] != nil { live.append(slot) }
        live.sort { sequence[$0] < sequence[$1] }
        return live
    }
}

/// The last few filters' matching slots, valid for one version of the contents.
struct FilterCache {
    private var entries: [(filter: SearchFilter, slots: SlotBitset)] = []
    private var version: UInt64 = .max
    static let capacity = 8

    mutating func lookup(_ filter: SearchFilter, version: UInt64) -> SlotBitset? {
        guard version == self.version, let i = entries.firstIndex(where: { $0.filter == filter }) else { return nil }
        let entry = entries.remove(at: i)
        entries.append(entry)
        return entry.slots
    }

    mutating func store(_ filter: SearchFilter, version: UInt64, slots: SlotBitset) {
        if version != self.version {
            entries.removeAll()
            self.version = version
        }
        entries.removeAll { $0.filter == filter }
        if entries.count >= Self.capacity { entries.removeFirst() }
        entries.append((filter, slots))
    }
}
