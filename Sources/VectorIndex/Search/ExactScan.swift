import CVectorKernels

/// Exact (brute-force) top-k over the live slots of a ``SlotStorage``, optionally restricted to a
/// set of slots. Shared by ``FlatIndex`` and by ``HNSWIndex`` for exact and selective searches.
///
/// The caller holds the owner's lock in shared mode and passes a storage view taken under it.
enum ExactScan {
    /// Rows scored per kernel call in a dense scan (one chunk at most).
    static let blockRows = 1024

    /// Offers every live slot below `upperBound` (and accepted by `filter`, if given) to `heap`,
    /// which keeps the `k` smallest distances.
    ///
    /// A filter given as a sorted list is iterated directly; a bitset is iterated word by word
    /// when it is sparse. A filter accepting a third of the slots or more is checked row by row
    /// during a dense scan instead (contiguous rows score faster than gathered ones).
    ///
    /// - Complexity: O(`upperBound` × dimension) for a dense scan; O(matches × dimension) plus
    ///   O(`upperBound` / 64) for a sparse bitset; O(matches × dimension) for a sorted list.
    static func scan(
        query: UnsafePointer<Float>, view: SlotStorageView, rowsPerChunk: Int, upperBound: Int,
        kernels: MetricKernels, filter: SlotFilter?, k: Int, into heap: inout DistanceHeap<FarthestFirst>
    ) {
        guard upperBound > 0, k > 0 else { return }
        guard let filter else {
            scanDense(query: query, view: view, rowsPerChunk: rowsPerChunk, upperBound: upperBound,
                      kernels: kernels, accepts: { _ in true }, k: k, into: &heap)
            return
        }
        if filter.matchCount == 0 { return }
        let dense = filter.matchCount >= upperBound / 3
        switch filter.representation {
        case .bitset(let set):
            set.words.withUnsafeBufferPointer { words in
                if dense {
                    scanDense(query: query, view: view, rowsPerChunk: rowsPerChunk, upperBound: upperBound,
                              kernels: kernels, accepts: { slot in
                                  let w = slot &>> 6
                                  return w < words.count && words[w] & (1 &<< UInt64(slot & 63)) != 0
                              }, k: k, into: &heap)
                } else {
                    scanSparse(query: query, view: view, upperBound: upperBound, kernels: kernels, k: k, into: &heap) { visit in
                        let wordLimit = min(words.count, (upperBound + 63) >> 6)
                        for w in 0 ..< wordLimit {
                            var bits = words[w]
                            while bits != 0 {
                                visit(w << 6 | bits.trailingZeroBitCount)
                                bits &= bits &- 1
                            }
                        }
                    }
                }
            }
        case .sortedSlots(let list):
            list.withUnsafeBufferPointer { slots in
                if dense {
                    // Rows arrive in slot order: advance a cursor through the list alongside.
                    var cursor = 0
                    scanDense(query: query, view: view, rowsPerChunk: rowsPerChunk, upperBound: upperBound,
                              kernels: kernels, accepts: { slot in
                                  while cursor < slots.count && Int(slots[cursor]) < slot { cursor += 1 }
                                  return cursor < slots.count && Int(slots[cursor]) == slot
                              }, k: k, into: &heap)
                } else {
                    scanSparse(query: query, view: view, upperBound: upperBound, kernels: kernels, k: k, into: &heap) { visit in
                        for s in slots { visit(Int(s)) }
                    }
                }
            }
        }
    }

    /// Scores every row below `upperBound` and offers the live ones `accepts` takes (asked in
    /// increasing slot order, only for rows that would enter the heap).
    @inline(__always)
    private static func scanDense(
        query: UnsafePointer<Float>, view: SlotStorageView, rowsPerChunk: Int, upperBound: Int,
        kernels: MetricKernels, accepts: (Int) -> Bool, k: Int, into heap: inout DistanceHeap<FarthestFirst>
    ) {
        let block = min(blockRows, rowsPerChunk)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: block) { scores in
            let out = scores.baseAddress!
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
                    if !accepts(slot) { continue }
                    if vk_load_u8_acquire(view.state(slot)) != SlotState.live { continue }
                    heap.offer(d, UInt32(truncatingIfNeeded: slot), limit: k)
                }
                start += rows
            }
        }
    }

    /// Scores the slots `enumerate` visits (each once, any order), skipping those at or beyond
    /// `upperBound` and those not live, in gathered batches.
    @inline(__always)
    private static func scanSparse(
        query: UnsafePointer<Float>, view: SlotStorageView, upperBound: Int, kernels: MetricKernels, k: Int,
        into heap: inout DistanceHeap<FarthestFirst>, _ enumerate: ((Int) -> Void) -> Void
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
                    enumerate { slot in
                        guard slot < upperBound, vk_load_u8_acquire(view.state(slot)) == SlotState.live else { return }
                        rows[pending] = UnsafePointer(view.vector(slot))
                        slots[pending] = slot
                        pending += 1
                        if pending == batch { flush() }
                    }
                    if pending > 0 { flush() }
                }
            }
        }
    }
}
