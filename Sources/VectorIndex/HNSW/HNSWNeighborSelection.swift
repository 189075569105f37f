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

    /// Keeps level-0 reachability when a list shrinks: a candidate that would lose its last
    /// incoming link (`indegree` minus the link from this list, if it had one) is put back, in
    /// free room or in place of the farthest kept neighbour that has another incoming link.
    ///
    /// - Parameters:
    ///   - inOldList: whether a candidate is currently linked from the list being rewritten.
    /// - Returns: the new number of kept neighbours.
    func protectLastLinks(
        candidateSlots: UnsafePointer<UInt32>, candidateDistances: UnsafePointer<Float>, count: Int,
        selected: UnsafeMutablePointer<UInt32>, selectedDistances: UnsafeMutablePointer<Float>, kept: Int,
        limit: Int, inOldList: (UInt32) -> Bool
    ) -> Int {
        var kept = kept
        for i in 0 ..< count {
            let c = candidateSlots[i]
            var isKept = false
            for j in 0 ..< kept where selected[j] == c {
                isKept = true
                break
            }
            if isKept { continue }
            let others = indegree(Int(c)) - (inOldList(c) ? 1 : 0)
            if others > 0 { continue }
            if kept < limit {
                selected[kept] = c
                selectedDistances[kept] = candidateDistances[i]
                kept += 1
                continue
            }
            var j = kept - 1
            while j >= 0 {
                let s = selected[j]
                if indegree(Int(s)) - (inOldList(s) ? 1 : 0) > 0 {
                    selected[j] = c
                    selectedDistances[j] = candidateDistances[i]
                    break
                }
                j -= 1
            }
        }
        return kept
    }

    /// Rewrites the level-`level` list of `slot` (caller holds its spin lock) and, on level 0,
    /// moves in-degree counts from dropped to added neighbours.
    func replaceList(
        _ list: UnsafeMutablePointer<UInt32>, level: Int, with newSlots: UnsafePointer<UInt32>, count newCount: Int
    ) {
        if level == 0 {
            let oldCount = count(of: list)
            for i in 0 ..< oldCount {
                let old = list[1 + i]
                var stays = false
                for j in 0 ..< newCount where newSlots[j] == old {
                    stays = true
                    break
                }
                if !stays { decrementIndegree(Int(old)) }
            }
            for j in 0 ..< newCount {
                let new = newSlots[j]
                var existed = false
                for i in 0 ..< oldCount where list[1 + i] == new {
                    existed = true
                    break
                }
                if !existed { incrementIndegree(Int(new)) }
            }
        }
        write(list, from: newSlots, count: newCount)
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
