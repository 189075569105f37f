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

    /// Writes the new list of `node` on `level` (caller holds the node's spin lock).
    ///
    /// On level 0, a protected link (to a node whose parent is `node`) is never dropped: it goes
    /// back into free room or in place of the farthest unprotected entry. The list can always hold
    /// them, since they all come from the old list.
    ///
    /// - Parameters:
    ///   - selected: the new neighbours (closest first), `kept` of them, with room for `limit`.
    ///   - forceDrop: old neighbours to drop even when protected (tombstones being unlinked).
    func commitList(
        _ list: UnsafeMutablePointer<UInt32>, node: Int, level: Int, selected: UnsafeMutablePointer<UInt32>,
        kept: Int, limit: Int, forceDrop: (UInt32) -> Bool = { _ in false }
    ) {
        guard level == 0 else {
            write(list, from: selected, count: kept)
            return
        }
        var kept = kept
        let oldCount = count(of: list)
        for i in 0 ..< oldCount {
            let old = list[1 + i]
            guard isProtected(node, old), !forceDrop(old) else { continue }
            var present = false
            for j in 0 ..< kept where selected[j] == old {
                present = true
                break
            }
            if present { continue }
            if kept < limit {
                selected[kept] = old
                kept += 1
                continue
            }
            var j = kept - 1
            while j >= 0 && isProtected(node, selected[j]) { j -= 1 }
            if j >= 0 { selected[j] = old }
        }
        write(list, from: selected, count: kept)
    }

    /// Puts `target` into the full or partial level-0 list of `node` (caller holds its spin lock),
    /// replacing the farthest unprotected link when full. Returns false when every link is
    /// protected.
    func forceLink(_ node: Int, to target: UInt32) -> Bool {
        let list = rows.links(node)
        let n = count(of: list)
        for i in 0 ..< n where list[1 + i] == target { return true }
        if n < maxDegree(0) {
            vk_store_u32_relaxed(list + 1 + n, target)
            vk_store_u32_release(list, UInt32(n + 1))
            return true
        }
        var victim = -1
        var victimDistance = -Float.infinity
        for i in 0 ..< n where !isProtected(node, list[1 + i]) {
            let d = nodeDistance(node, Int(list[1 + i]))
            if d > victimDistance {
                victimDistance = d
                victim = i
            }
        }
        guard victim >= 0 else { return false }
        vk_store_u32_release(list + 1 + victim, target)
        return true
    }
}

/// Sorts `count` (distance, slot) pairs by increasing distance (ties by slot), in place:
/// insertion sort for short lists, the standard library's sort for long ones.
func sortByDistance(_ distances: UnsafeMutablePointer<Float>, _ slots: UnsafeMutablePointer<UInt32>, count: Int) {
    if count < 2 { return }
    if count > 48 {
        var pairs = (0 ..< count).map { (distances[$0], slots[$0]) }
        pairs.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        for (i, p) in pairs.enumerated() {
            distances[i] = p.0
            slots[i] = p.1
        }
        return
    }
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
