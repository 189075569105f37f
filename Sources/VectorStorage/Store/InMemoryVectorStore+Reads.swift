import VectorIndex

extension InMemoryVectorStore {
    /// The `limit` vectors most similar to `query` among those whose payload matches `filter`,
    /// best first. Runs concurrently with other reads and with writes in flight.
    ///
    /// The search is exact when the collection's algorithm is `flat`/`brute-force`, when it holds
    /// fewer than `annMinDatasetSize` vectors, or when `options.exact` is set; otherwise it walks
    /// the HNSW graph with `options.efSearch ?? annEfSearch`. A filter is applied during the walk
    /// (and turns into an exact scan of the matching vectors when it is selective), so the result
    /// holds the best matches among those that pass it, never fewer than `limit` when that many match.
    ///
    /// - Throws: ``VectorStoreError/notConnected(collection:)``,
    ///   ``VectorStoreError/dimensionMismatch(expected:actual:index:)``,
    ///   ``VectorStoreError/invalidVector(index:component:value:)`` for a bad query, and
    ///   ``VectorStoreError/invalidArgument(name:value:reason:)`` for a negative `limit` or `efSearch`.
    public nonisolated(nonsending) func search(
        _ query: [Float], limit: Int, filter: SearchFilter?, options: SearchOptions
    ) async throws -> [VectorStoreResult] {
        if limit < 0 {
            throw VectorStoreError.invalidArgument(name: "limit", value: String(limit), reason: "must not be negative")
        }
        if let ef = options.efSearch, ef < 1 {
            throw VectorStoreError.invalidArgument(name: "efSearch", value: String(ef), reason: "must be positive")
        }
        try InputValidation.validate(vector: query, dimension: dimension, index: 0)
        return try readState { state in
            guard limit > 0, state.count > 0 else { return [] }
            var slotFilter: SlotFilter?
            if let filter {
                let allowed = state.matchingSlots(filter)
                if allowed.count == 0 { return [] }
                slotFilter = SlotFilter(allowed)
            }
            let exact = options.exact || config.annAlgorithm.isExact || state.count < state.minDatasetSize
            let indexOptions = IndexSearchOptions(
                efSearch: options.efSearch ?? config.annEfSearch, filter: slotFilter, exact: exact)
            let hits = query.withUnsafeBufferPointer { state.index.search($0, k: limit, options: indexOptions) }
            return hits.map { state.result(at: $0.slot, score: $0.score, includeVector: options.includeVectors) }
        }
    }

    /// The vector with this id, with its vector (bit-for-bit as inserted) and payload, or `nil`.
    ///
    /// - Throws: ``VectorStoreError/notConnected(collection:)``.
    public nonisolated(nonsending) func get(_ id: VectorID) async throws -> VectorStoreResult? {
        try readState { state in
            state.slot(of: id).map { state.result(at: $0, score: nil, includeVector: true) }
        }
    }

    /// The first `limit` vectors whose payload matches `filter`, oldest first (without their
    /// vectors), and how many match in all.
    ///
    /// - Throws: ``VectorStoreError/notConnected(collection:)``,
    ///   ``VectorStoreError/invalidArgument(name:value:reason:)`` for a negative `limit`.
    public nonisolated(nonsending) func list(filter: SearchFilter?, limit: Int) async throws
        -> (results: [VectorStoreResult], total: Int)
    {
        try list(filter: filter, limit: limit, offset: 0)
    }

    /// A page of the vectors whose payload matches `filter`, oldest first: `limit` results after
    /// skipping `offset`, and how many match in all.
    public nonisolated func list(filter: SearchFilter?, limit: Int, offset: Int) throws
        -> (results: [VectorStoreResult], total: Int)
    {
        if limit < 0 {
            throw VectorStoreError.invalidArgument(name: "limit", value: String(limit), reason: "must not be negative")
        }
        if offset < 0 {
            throw VectorStoreError.invalidArgument(name: "offset", value: String(offset), reason: "must not be negative")
        }
        return try readState { state in
            var slots = state.slotsInInsertionOrder()
            if let filter {
                let matching = state.matchingSlots(filter)  // shared with search, cached until a write
                slots.removeAll { !matching.contains($0) }
            }
            let page = slots.dropFirst(offset).prefix(limit)
            return (page.map { state.result(at: $0, score: nil, includeVector: false) }, slots.count)
        }
    }
}
