import CVectorKernels

/// Decides which visited nodes may enter a walk's result list. Every node still guides the walk;
/// only accepted ones are results. Generic (not an existential) so each use is specialised.
protocol SlotAcceptor {
    func accepts(_ slot: Int, _ graph: HNSWGraphView) -> Bool
}

/// Live nodes only: what a search returns.
struct AcceptLive: SlotAcceptor {
    @inline(__always)
    func accepts(_ slot: Int, _ graph: HNSWGraphView) -> Bool { graph.state(slot) == SlotState.live }
}

/// Every node a walk meets. Used by unfiltered searches while the graph has no tombstones: a node
/// that is still being inserted is complete (its row is written before it is linked), and one
/// removed during the walk is returned as if the search had run just before the removal (its
/// slot cannot be reused before the walk ends).
struct AcceptAnyNode: SlotAcceptor {
    @inline(__always)
    func accepts(_ slot: Int, _ graph: HNSWGraphView) -> Bool { true }
}

/// Live nodes in a slot bitset: a filtered search.
struct AcceptLiveInSet: SlotAcceptor {
    let words: UnsafePointer<UInt64>
    let wordCount: Int

    @inline(__always)
    func accepts(_ slot: Int, _ graph: HNSWGraphView) -> Bool {
        let w = slot &>> 6
        guard w < wordCount, words[w] & (1 &<< UInt64(slot & 63)) != 0 else { return false }
        return graph.state(slot) == SlotState.live
    }
}

/// Any node in the graph except one (the node being linked): used while building, where removed
/// nodes still make good routing neighbours until the next repair.
struct AcceptGraphNode: SlotAcceptor {
    let excluded: Int

    @inline(__always)
    func accepts(_ slot: Int, _ graph: HNSWGraphView) -> Bool {
        slot != excluded && graph.state(slot) != SlotState.free
    }
}

extension HNSWGraphView {
    /// Greedy descent on one upper level: moves to the closest neighbour while that improves.
    ///
    /// - Complexity: O(steps × m) distance computations.
    @inline(__always)
    func greedyClosest(
        _ query: UnsafePointer<Float>, from entry: Int, distance entryDistance: Float, level: Int,
        context: SearchContext
    ) -> (slot: Int, distance: Float) {
        var current = entry, currentDistance = entryDistance
        let slots = context.neighborSlots, rowPointers = context.neighborRows, out = context.neighborDistances
        let limit = maxDegree(level)
        var changed = true
        while changed {
            changed = false
            guard let list = list(current, level) else { break }
            let n = min(Int(vk_load_u32_acquire(list)), limit)
            for i in 0 ..< n {
                let s = vk_load_u32_relaxed(list + 1 + i)
                slots[i] = s
                rowPointers[i] = UnsafePointer(rows.vector(Int(s)))
            }
            kernels.gather(query, rowPointers, n, dimension, out)
            for i in 0 ..< n {
                let s = Int(slots[i])
                var d = kernels.sign * out[i]
                if kernels.usesInverseNorm { d *= rows.inverseNorm(s).pointee }
                if d < currentDistance {
                    currentDistance = d
                    current = s
                    changed = true
                }
            }
        }
        return (current, currentDistance)
    }

    /// Best-first beam search on one level (the paper's SEARCH-LAYER): leaves up to `ef` accepted
    /// nodes closest to `query` in `context.results`.
    ///
    /// Nodes the acceptor rejects still guide the walk. The walk stops early, returning false,
    /// once it has computed more than `visitBudget` distances (the caller then scans exactly).
    ///
    /// - Parameter slotCount: an upper bound on every slot reachable now (the storage capacity).
    /// - Complexity: O(expanded nodes × degree) distance computations.
    @inline(__always)
    func searchLayer<A: SlotAcceptor>(
        _ query: UnsafePointer<Float>, entry: Int, entryDistance: Float, level: Int, ef: Int,
        acceptor: A, context: SearchContext, slotCount: Int, visitBudget: Int = .max
    ) -> Bool {
        var visited = context.visited
        var candidates = context.candidates
        var results = context.results
        defer {
            context.visited = visited
            context.candidates = candidates
            context.results = results
        }
        visited.reset(slotCount: slotCount)
        candidates.removeAll()
        results.removeAll()
        let slots = context.neighborSlots, rowPointers = context.neighborRows, out = context.neighborDistances
        let limit = maxDegree(level)
        let sign = kernels.sign, cosine = kernels.usesInverseNorm

        _ = visited.insert(entry)
        var computed = 1
        candidates.push(entryDistance, UInt32(truncatingIfNeeded: entry))
        var bound = Float.infinity
        if acceptor.accepts(entry, self) {
            results.push(entryDistance, UInt32(truncatingIfNeeded: entry))
            bound = entryDistance
        }
        while !candidates.isEmpty {
            if candidates.topDistance > bound && results.count >= ef { break }
            let current = Int(candidates.topSlot)
            candidates.pop()
            // The next candidate is likely the current top: start loading its links now.
            if level == 0 && !candidates.isEmpty { vk_prefetch(rows.links(Int(candidates.topSlot))) }
            guard let list = list(current, level) else { continue }
            let n = min(Int(vk_load_u32_acquire(list)), limit)
            var fresh = 0
            for i in 0 ..< n {
                let s = vk_load_u32_relaxed(list + 1 + i)
                if visited.insert(Int(s)) {
                    slots[fresh] = s
                    rowPointers[fresh] = UnsafePointer(rows.vector(Int(s)))
                    fresh += 1
                }
            }
            if fresh == 0 { continue }
            computed += fresh
            kernels.gather(query, rowPointers, fresh, dimension, out)
            for i in 0 ..< fresh {
                let s = slots[i]
                var d = sign * out[i]
                if cosine { d *= rows.inverseNorm(Int(s)).pointee }
                if results.count < ef || d < bound {
                    candidates.push(d, s)
                    if acceptor.accepts(Int(s), self) {
                        results.push(d, s)
                        if results.count > ef { results.pop() }
                        bound = results.topDistance
                    }
                }
            }
            if computed > visitBudget { return false }
        }
        return true
    }
}
