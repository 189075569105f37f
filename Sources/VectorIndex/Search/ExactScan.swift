import CVectorKernels

/// Exact (brute-force) top-k over the live slots of a ``SlotStorage``, optionally restricted to a
/// set of slots. Shared by ``FlatIndex`` and by ``HNSWIndex`` for exact and selective searches.
///
/// The caller holds the owner's lock in shared mode and passes a storage view taken under it.
enum ExactScan {
    /// Rows scored per kernel call in a dense scan (one chunk at most).
    static let blockRows = 1024

    /// Offers every live slot below `upperBound` (and in `filter`, if given) to `heap`, which keeps
    /// the `k` smallest distances.
    ///
    /// - Complexity: O(`upperBound` × dimension) for a dense scan; O(matches × dimension) when
    ///   the filter accepts few slots.
    static func scan(
        query: UnsafePointer<Float>, view: SlotStorageView, rowsPerChunk: Int, upperBound: Int,
        kernels: MetricKernels, filter: SlotBitset?, k: Int, into heap: inout DistanceHeap<FarthestFirst>
    ) {
        guard upperBound > 0, k > 0 else { return }
        if let filter {
            if filter.count == 0 { return }
            if filter.count < upperBound / 3 {
                scanSparse(query: query, view: view, upperBound: upperBound, kernels: kernels,
                           filter: filter, k: k, into: &heap)
                return
            }
        }
        scanDense(query: query, view: view, rowsPerChunk: rowsPerChunk, upperBound: upperBound,
                  kernels: kernels, filter: filter, k: k, into: &heap)
    }

    private static func scanDense(
        query: UnsafePointer<Float>, view: SlotStorageView, rowsPerChunk: Int, upperBound: Int,
        kernels: MetricKernels, filter: SlotBitset?, k: Int, into heap: inout DistanceHeap<FarthestFirst>
    ) {
        let block = min(blockRows, rowsPerChunk)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: block) { scores in
            let out = scores.baseAddress!
            let emptyWords: [UInt64] = []
            (filter?.words ?? emptyWords).withUnsafeBufferPointer { words in
                let useFilter = filter != nil
                let sign = kernels.sign
                let cosine = kernels.usesInverseNorm
                var start = 0
                while start < upperBound {
                    let rows = min(block, upperBound - start)
                    kernels.many(query, view.vector(start), view.rowStride, rows, view.dimension, out)
                    for r in 0 ..< rows {
                        let slot = start + r
                        var d = sign * out[r]
                        if cosine { d *= view.inverseNorm(slot).pointee }
                        if heap.count >= k && !(d < heap.topDistance) { continue }
                        if useFilter {
                            let w = slot &>> 6
                            if w >= words.count || words[w] & (1 &<< UInt64(slot & 63)) == 0 { continue }
                        }
                        if vk_load_u8_acquire(view.state(slot)) != SlotState.live { continue }
                        heap.offer(d, UInt32(truncatingIfNeeded: slot), limit: k)
                    }
                    start += rows
                }
            }
        }
    }

    private static func scanSparse(
        query: UnsafePointer<Float>, view: SlotStorageView, upperBound: Int,
        kernels: MetricKernels, filter: SlotBitset, k: Int, into heap: inout DistanceHeap<FarthestFirst>
    ) {
        let batch = 64
        withUnsafeTemporaryAllocation(of: UnsafePointer<Float>?.self, capacity: batch) { rowBuffer in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: batch) { slotBuffer in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: batch) { scoreBuffer in
                    let rows = rowBuffer.baseAddress!, slots = slotBuffer.baseAddress!
                    let scores = scoreBuffer.baseAddress!
                    var pending = 0
                    func flush() {
                        kernels.gather(query, rows, pending, view.dimension, scores)
                        for i in 0 ..< pending {
                            var d = kernels.sign * scores[i]
                            if kernels.usesInverseNorm { d *= view.inverseNorm(slots[i]).pointee }
                            heap.offer(d, UInt32(truncatingIfNeeded: slots[i]), limit: k)
                        }
                        pending = 0
                    }
                    filter.words.withUnsafeBufferPointer { words in
                        let wordLimit = min(words.count, (upperBound + 63) >> 6)
                        for w in 0 ..< wordLimit {
                            var bits = words[w]
                            while bits != 0 {
                                let slot = w << 6 | bits.trailingZeroBitCount
                                bits &= bits &- 1
                                if slot >= upperBound { break }
                                if vk_load_u8_acquire(view.state(slot)) != SlotState.live { continue }
                                rows[pending] = UnsafePointer(view.vector(slot))
                                slots[pending] = slot
                                pending += 1
                                if pending == batch { flush() }
                            }
                        }
                    }
                    if pending > 0 { flush() }
                }
            }
        }
    }
}
