import CVectorKernels

extension HNSWGraphView {
    /// The paper's neighbour-selection heuristic (Algorithm 4, without extending candidates or
    /// keeping pruned ones): walking candidates from the closest, keep one only if it is closer
    /// to the base than to every neighbour kept so far. This favours links in diverse directions,
    /// which keeps clusters connected.
    ///
    /// - Parameters:
    ///   - candidateSlots, candidateDistances: `count` candidates sorted by increasing distance to
    ///     the base (full ``nodeDistance(_:_:)`` scale).
    ///   - selected, selectedDistances: receive the kept neighbours, closest first.
    /// - Returns: how many were kept (at most `limit`).
    /// - Complexity: O(count × limit) distance computations at worst.
    func selectNeighbors(
        candidateSlots: UnsafePointer<UInt32>, candidateDistances: UnsafePointer<Float>, count: Int,
        limit: Int, selected: UnsafeMutablePointer<UInt32>, selectedDistances: UnsafeMutablePointer<Float>
    ) -> Int {
        if count <= limit {
            // Fewer candidates than room: hnswlib and FAISS keep them all in this case as well.
            selected.update(from: candidateSlots, count: count)
            selectedDistances.update(from: candidateDistances, count: count)
            return count
        }
        var kept = 0
        for i in 0 ..< count {
            if kept >= limit { break }
            let c = Int(candidateSlots[i])
            let d = candidateDistances[i]
            var diverse = true
            for j in 0 ..< kept where nodeDistance(c, Int(selected[j])) < d {
                diverse = false
                break
            }
            if diverse {
                selected[kept] = candidateSlots[i]
                selectedDistances[kept] = d
                kept += 1
            }
        }
        return kept
    }

    /// Writes a node's new list on `level` (caller holds the node's spin lock).
    ///
    /// On level 0 it also keeps every node reachable in the common case: in-degree counters move
    /// from dropped to added neighbours, and a neighbour whose *last* incoming link this list holds
    /// is never dropped. The check-and-decrement is one atomic step, so two lists shrinking at once
    /// on different threads cannot both drop the same last link. A kept neighbour goes into free
    /// room, or replaces the farthest selected newcomer (which has other links) or the farthest
    /// old neighbour that can spare this link.
    ///
    /// - Parameters:
    ///   - selected: the new neighbours (closest first); `kept` of them; room for `limit`.
    ///   - protectedNewcomers: nodes not in the old list that must get this link if they have no
    ///     incoming link at all (the node being inserted).
    ///   - forceDrop: old neighbours to drop whatever their in-degree (tombstones being unlinked).
    func commitList(
        _ list: UnsafeMutablePointer<UInt32>, level: Int, selected: UnsafeMutablePointer<UInt32>, kept: Int, limit: Int,
        protectedNewcomers: UnsafeBufferPointer<UInt32> = UnsafeBufferPointer(start: nil, count: 0),
        forceDrop: (UInt32) -> Bool = { _ in false }
    ) {
        guard level == 0 else {
            write(list, from: selected, count: kept)
            return
        }
        let oldCount = count(of: list)
        withUnsafeTemporaryAllocation(of: Bool.self, capacity: max(oldCount, 1)) { dropped in
            dropped.initialize(repeating: false)
            commitLevel0(list, oldCount: oldCount, dropped: dropped.baseAddress!, selected: selected, kept: kept,
                         limit: limit, protectedNewcomers: protectedNewcomers, forceDrop: forceDrop)
        }
    }

    private func commitLevel0(
        _ list: UnsafeMutablePointer<UInt32>, oldCount: Int, dropped: UnsafeMutablePointer<Bool>,
        selected: UnsafeMutablePointer<UInt32>, kept: Int, limit: Int,
        protectedNewcomers: UnsafeBufferPointer<UInt32>, forceDrop: (UInt32) -> Bool
    ) {
        var kept = kept
        /// Index of `s` in the old list, or -1.
        func oldIndex(_ s: UInt32) -> Int {
            for i in 0 ..< oldCount where list[1 + i] == s { return i }
            return -1
        }
        func isSelected(_ s: UInt32) -> Bool {
            for j in 0 ..< kept where selected[j] == s { return true }
            return false
        }
        /// Puts `s` into the selection; returns false when no entry could give way.
        func keep(_ s: UInt32) -> Bool {
            if kept < limit {
                selected[kept] = s
                kept += 1
                return true
            }
            var j = kept - 1
            while j >= 0 {
                let other = selected[j]
                let o = oldIndex(other)
                if o >= 0 {
                    if vk_decrement_above_u32(rows.indegree(Int(other)), 1) != 0 {
                        dropped[o] = true
                        selected[j] = s
                        return true
                    }
                } else if indegree(Int(other)) > 0 {
                    selected[j] = s
                    return true
                }
                j -= 1
            }
            return false
        }
        // Dropped old neighbours give up this link, unless it is their last one.
        for i in 0 ..< oldCount {
            let old = list[1 + i]
            if dropped[i] || isSelected(old) { continue }
            dropped[i] = true
            if forceDrop(old) {
                decrementIndegree(Int(old))
            } else if vk_decrement_above_u32(rows.indegree(Int(old)), 1) == 0 && !keep(old) {
                decrementIndegree(Int(old))
            }
        }
        for s in protectedNewcomers where !isSelected(s) && indegree(Int(s)) == 0 {
            _ = keep(s)
        }
        // Newcomers gain this link.
        for j in 0 ..< kept where oldIndex(selected[j]) < 0 { incrementIndegree(Int(selected[j])) }
        write(list, from: selected, count: kept)
    }
}

/// Sorts `count` (distance, slot) pairs by increasing distance, in place (insertion sort: the
/// lists are short).
func sortByDistance(_ distances: UnsafeMutablePointer<Float>, _ slots: UnsafeMutablePointer<UInt32>, count: Int) {
    if count < 2 { return }
    for i in 1 ..< count {
        let d = distances[i], s = slots[i]
        var j = i - 1
        while j >= 0 && (distances[j] > d || (distances[j] == d && slots[j] > s)) {
            distances[j + 1] = distances[j]
            slots[j + 1] = slots[j]
            j -= 1
        }
        distances[j + 1] = d
        slots[j + 1] = s
    }
}
