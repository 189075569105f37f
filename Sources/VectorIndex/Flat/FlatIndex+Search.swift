import CVectorKernels

extension FlatIndex {
    /// The `k` live vectors most similar to `query`, best first (ties by lower slot).
    ///
    /// With `options.filter`, only accepted slots are considered, and the result is exact; a filter
    /// given as a sorted list (``SlotFilter/init(sortedSlots:)``) is scanned in O(matches).
    /// `options.efSearch`, `options.exact` and `options.filterStrategy` have no effect: there is no
    /// graph to walk, so every search is the exact scan (``FilterStrategy/graphWalk`` included).
    ///
    /// - Complexity: O(n·d) for an unfiltered search; O(m·d) for a filter accepting m slots when m
    ///   is small compared with n.
    public func search(_ query: UnsafeBufferPointer<Float>, k: Int, options: IndexSearchOptions = .init()) -> [SearchHit] {
        precondition(query.count == dimension, "query has \(query.count) components, expected \(dimension)")
        guard k > 0 else { return [] }
        let q = query.baseAddress!
        let queryInverseNorm = kernels.inverseNorm(q, count: dimension)
        var heap = DistanceHeap<FarthestFirst>(capacity: k)
        defer { heap.deallocate() }
        lock.withShared {
            let bound = upperBound
            ExactScan.scan(query: q, view: storage.view, rowsPerChunk: storage.rowsPerChunk,
                           upperBound: bound, kernels: kernels, filter: options.filter,
                           k: k, into: &heap)
        }
        return heap.drainAscending().map {
            SearchHit(slot: Int($0.slot), score: kernels.score(distance: $0.distance, queryInverseNorm: queryInverseNorm))
        }
    }

    /// Searches several queries (row-major in `queries`) in one pass over the vectors: each row is
    /// read from memory once per block of queries, so a batch is much faster than one call per
    /// query. Results are the same as ``search(_:k:options:)`` for each query.
    ///
    /// - Complexity: O(q·n·d) arithmetic, O(n·d·⌈q/8⌉) memory traffic.
    public func search(batch queries: UnsafeBufferPointer<Float>, k: Int, options: IndexSearchOptions = .init()) -> [[SearchHit]] {
        precondition(queries.count % dimension == 0, "query buffer is not a multiple of dimension \(dimension)")
        let nq = queries.count / dimension
        guard nq > 0, k > 0 else { return Array(repeating: [], count: nq) }
        if options.filter != nil || nq == 1 {
            return (0 ..< nq).map { i in
                search(UnsafeBufferPointer(rebasing: queries[i * dimension ..< (i + 1) * dimension]), k: k, options: options)
            }
        }
        let base = queries.baseAddress!
        let inverseNorms = (0 ..< nq).map { kernels.inverseNorm(base + $0 * dimension, count: dimension) }
        var heaps = (0 ..< nq).map { _ in DistanceHeap<FarthestFirst>(capacity: k) }
        defer { for h in heaps { h.deallocate() } }
        let block = min(ExactScan.blockRows, storage.rowsPerChunk)
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: nq * block)
        defer { scores.deallocate() }
        lock.withShared {
            let view = storage.view
            let bound = upperBound
            var start = 0
            while start < bound {
                let rows = min(block, bound - start)
                kernels.batch(base, dimension, nq, view.vector(start), view.rowStride, rows, dimension, scores, block)
                heaps.withUnsafeMutableBufferPointer { heaps in
                    for r in 0 ..< rows {
                        let slot = start + r
                        if vk_load_u8_acquire(view.state(slot)) != SlotState.live { continue }
                        let scale = kernels.usesInverseNorm ? kernels.sign * view.inverseNorm(slot).pointee : kernels.sign
                        for qi in 0 ..< nq {
                            let d = scale * scores[qi * block + r]
                            if heaps[qi].count >= k && !(d < heaps[qi].topDistance) { continue }
                            heaps[qi].offer(d, UInt32(truncatingIfNeeded: slot), limit: k)
                        }
                    }
                }
                start += rows
            }
        }
        return (0 ..< nq).map { qi in
            heaps[qi].drainAscending().map {
                SearchHit(slot: Int($0.slot), score: kernels.score(distance: $0.distance, queryInverseNorm: inverseNorms[qi]))
            }
        }
    }
}
