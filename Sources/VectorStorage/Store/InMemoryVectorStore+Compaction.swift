import VectorIndex

extension InMemoryVectorStore {
    /// What ``compact()`` did.
    public struct CompactionReport: Sendable, Hashable {
        /// The index before: with deleted vectors still linked into the HNSW graph (tombstones)
        /// and the slots they hold.
        public var before: IndexStatistics
        /// The index after: the live vectors only, in dense slots, under a freshly built graph.
        public var after: IndexStatistics
        /// Seconds spent rebuilding the index (writes waited this long; searches did not).
        public var rebuildSeconds: Double
        /// Seconds spent writing the checkpoint afterwards (0 without persistence).
        public var checkpointSeconds: Double
    }

    /// Rebuilds the collection's index from its live vectors alone — no tombstones, dense slots,
    /// a fresh HNSW graph built with the collection's parameters (insertion order kept) — then
    /// writes a checkpoint, so the files hold the new graph and the log is cut.
    ///
    /// Deleted vectors normally leave the HNSW graph in batches (the store repairs the graph once
    /// they pass 10 % of its nodes); a compaction also gives a graph built in one pass, as a fresh
    /// import would. Searches go on against the old index while the new one is built; writes wait
    /// until it is in place (the rebuild runs on the thread that commits writes, so no write can
    /// interleave). Ids, vectors, payloads and search results are unchanged (up to the
    /// approximation of the new graph).
    ///
    /// - Throws: ``VectorStoreError/notConnected(collection:)``, and the checkpoint's persistence
    ///   error (the rebuilt index is in place either way; the log still holds every write).
    @discardableResult
    public nonisolated func compact() async throws -> CompactionReport {
        let writer = try requireWriter()
        let state = self.state
        let started = ContinuousClock.now
        let (before, after) = await writer.perform { () -> (IndexStatistics, IndexStatistics) in
            let before = state.lock.withShared { IndexStatistics(state) }
            let (ids, payloads, vectors) = state.lock.withShared { () -> ([VectorID], [Payload], [Float]) in
                let slots = state.slotsInInsertionOrder()
                var vectors: [Float] = []
                vectors.reserveCapacity(slots.count * state.factory.dimension)
                for slot in slots { state.index.withVector(at: slot) { vectors.append(contentsOf: $0) } }
                return (slots.map { state.ids[$0]! }, slots.map { state.payloads[$0] }, vectors)
            }
            // Built outside the lock: searches keep using the old index meanwhile.
            let (index, slots) = vectors.withUnsafeBufferPointer {
                state.factory.makeIndex(vectors: $0, graph: nil, threads: state.buildThreads)
            }
            return state.lock.withExclusive {
                state.install(index: index, ids: ids, payloads: payloads, slots: slots)
                return (before, IndexStatistics(state))
            }
        }
        let rebuilt = ContinuousClock.now
        try await writer.checkpoint(reason: "compact")
        return CompactionReport(
            before: before, after: after, rebuildSeconds: (rebuilt - started).seconds,
            checkpointSeconds: (ContinuousClock.now - rebuilt).seconds)
    }
}
