import CVectorKernels

extension HNSWIndex {
    /// Links a node whose row, level and (empty or old) lists are in place: the paper's INSERT from
    /// the greedy descent on. For a node already in the graph (a replaced vector) its old
    /// out-links are rewritten.
    ///
    /// The caller holds `rowsLock` shared and passes the storage capacity as `slotCount`.
    func linkNode(_ slot: Int, level nodeLevel: Int, context: SearchContext, slotCount: Int) {
        let g = graph
        var raisesEntry = false
        var entry = loadEntry()
        if entry == nil || nodeLevel > entry!.level {
            entryMutex.lock()
            entry = loadEntry()
            if entry == nil || nodeLevel > entry!.level {
                raisesEntry = true
            } else {
                entryMutex.unlock()
            }
        }
        defer {
            if raisesEntry {
                if let old = entry { makeRoot(slot, previousEntry: old.slot, graph: g) }
                storeEntry((slot, nodeLevel))
                entryMutex.unlock()
            }
        }
        guard let (entrySlot, topLevel) = entry else { return }

        let query = UnsafePointer(g.rows.vector(slot))
        let selfScale = g.queryScale(slot)
        var current = entrySlot
        var currentDistance = g.distance(query, entrySlot)
        var level = topLevel
        while level > nodeLevel {
            (current, currentDistance) = g.greedyClosest(query, from: current, distance: currentDistance,
                                                         level: level, context: context)
            level -= 1
        }
        let ef = parameters.efConstruction
        context.reserveScratch(ef + 1)
        level = min(nodeLevel, topLevel)
        while level >= 0 {
            _ = g.searchLayer(query, entry: current, entryDistance: currentDistance, level: level, ef: ef,
                              acceptor: AcceptGraphNode(excluded: slot), context: context, slotCount: slotCount)
            // Results leave the heap farthest first: fill the scratch from the back.
            var results = context.results
            let found = results.count
            let cd = context.scratchDistances, cs = context.scratchSlots
            var i = found - 1
            while !results.isEmpty {
                cd[i] = results.topDistance * selfScale
                cs[i] = results.topSlot
                results.pop()
                i -= 1
            }
            context.results = results
            if found > 0 {
                current = Int(cs[0])
                currentDistance = cd[0] / (selfScale == 0 ? 1 : selfScale)
            }
            let kept = g.selectNeighbors(candidateSlots: cs, candidateDistances: cd, count: found,
                                         limit: parameters.m, selected: context.selectedSlots,
                                         selectedDistances: context.selectedDistances)
            setOwnLinks(slot, level: level, selected: context.selectedSlots, count: kept, graph: g)
            // The entry point (current or becoming) is the root of the parent tree: no adoption.
            let adopt = !raisesEntry && slot != entrySlot
            for j in 0 ..< kept {
                addReverseLink(from: Int(context.selectedSlots[j]), to: slot, distance: context.selectedDistances[j],
                               level: level, adopt: adopt, graph: g, context: context)
            }
            if level == 0 && adopt && g.parent(slot) == HNSWGraphView.noParent {
                attachOrphan(slot, candidates: context.selectedSlots, count: kept, graph: g)
            }
            level -= 1
        }
    }

    /// Gives a node that no neighbour kept a parent, so it stays reachable: the nearest candidate
    /// with an unprotected link takes it in; if every candidate's list is all protected links,
    /// the node steps in between the nearest candidate and one of that candidate's children
    /// (candidate → node → child), which keeps the parent tree a tree.
    private func attachOrphan(_ slot: Int, candidates: UnsafePointer<UInt32>, count: Int, graph g: HNSWGraphView) {
        let target = UInt32(truncatingIfNeeded: slot)
        for j in 0 ..< count {
            let p = Int(candidates[j])
            g.lock(p)
            let linked = g.forceLink(p, to: target)
            if linked { _ = g.adoptIfOrphan(slot, parent: UInt32(truncatingIfNeeded: p)) }
            g.unlock(p)
            if linked { return }
        }
        for j in 0 ..< count {
            let p = Int(candidates[j])
            let list = g.rows.links(p)
            // Pick the child farthest from p; link the orphan to it first (no two locks at once).
            g.lock(p)
            var child: UInt32?
            var farthest = -Float.infinity
            for i in 0 ..< g.count(of: list) where g.isProtected(p, list[1 + i]) {
                let d = g.nodeDistance(p, Int(list[1 + i]))
                if d > farthest {
                    farthest = d
                    child = list[1 + i]
                }
            }
            g.unlock(p)
            guard let child, child != target else { continue }
            g.lock(slot)
            let linked = g.forceLink(slot, to: child)
            g.unlock(slot)
            guard linked else { continue }
            g.lock(p)
            defer { g.unlock(p) }
            guard g.isProtected(p, child), let i = (0 ..< g.count(of: list)).first(where: { list[1 + $0] == child }) else { continue }
            vk_store_u32_release(list + 1 + i, target)
            g.setParent(Int(child), target)
            _ = g.adoptIfOrphan(slot, parent: UInt32(truncatingIfNeeded: p))
            return
        }
    }

    /// Makes a node that is about to become the entry point the root of the parent tree: it links
    /// to the previous entry point, which becomes its child.
    private func makeRoot(_ slot: Int, previousEntry: Int, graph g: HNSWGraphView) {
        g.lock(slot)
        _ = g.forceLink(slot, to: UInt32(truncatingIfNeeded: previousEntry))
        g.unlock(slot)
        g.setParent(previousEntry, UInt32(truncatingIfNeeded: slot))
        g.setParent(slot, HNSWGraphView.noParent)
    }

    /// Writes a node's own list on one level. On a re-link, links to the node's children (protected
    /// links) are kept (level 0 has room: the node selects at most m of 2·m).
    private func setOwnLinks(
        _ slot: Int, level: Int, selected: UnsafeMutablePointer<UInt32>, count: Int, graph g: HNSWGraphView
    ) {
        guard let list = g.list(slot, level) else { return }
        g.lock(slot)
        defer { g.unlock(slot) }
        // `selected` has room for 2·m entries: the commit may append protected old neighbours
        // after the `count` that the caller links back.
        g.commitList(list, node: slot, level: level, selected: selected, kept: count, limit: g.maxDegree(level))
    }

    /// Adds the link `from → to` on `level`; when the list is full, re-selects it with the
    /// heuristic over the old neighbours plus `to` (hnswlib's and FAISS's shrink step). With
    /// `adopt`, a kept level-0 link becomes `to`'s parent link if it has none.
    func addReverseLink(
        from node: Int, to newSlot: Int, distance: Float, level: Int, adopt: Bool, graph g: HNSWGraphView,
        context: SearchContext
    ) {
        guard let list = g.list(node, level) else { return }
        let limit = g.maxDegree(level)
        g.lock(node)
        defer { g.unlock(node) }
        let n = g.count(of: list)
        let target = UInt32(truncatingIfNeeded: newSlot)
        for i in 0 ..< n where list[1 + i] == target { return }
        if n < limit {
            vk_store_u32_relaxed(list + 1 + n, target)
            vk_store_u32_release(list, UInt32(n + 1))
            if level == 0 && adopt { _ = g.adoptIfOrphan(newSlot, parent: UInt32(truncatingIfNeeded: node)) }
            return
        }
        // Full: distances from `node` to its neighbours and the newcomer, then the heuristic.
        let cd = context.pruneDistances, cs = context.pruneSlots
        let rowPointers = context.neighborRows
        for i in 0 ..< n {
            cs[i] = list[1 + i]
            rowPointers[i] = UnsafePointer(g.rows.vector(Int(cs[i])))
        }
        let base = UnsafePointer(g.rows.vector(node))
        g.kernels.gather(base, rowPointers, n, dimension, cd)
        let cosine = g.kernels.usesInverseNorm
        let baseScale = cosine ? g.rows.inverseNorm(node).pointee : 1
        for i in 0 ..< n {
            var d = g.kernels.sign * cd[i]
            if cosine { d *= baseScale * g.rows.inverseNorm(Int(cs[i])).pointee }
            cd[i] = d
        }
        cs[n] = target
        cd[n] = distance
        sortByDistance(cd, cs, count: n + 1)
        let kept = g.selectNeighbors(candidateSlots: cs, candidateDistances: cd, count: n + 1, limit: limit,
                                     selected: context.pruneSelected, selectedDistances: context.pruneSelectedDistances)
        g.commitList(list, node: node, level: level, selected: context.pruneSelected, kept: kept, limit: limit)
        if level == 0 && adopt {
            for j in 0 ..< g.count(of: list) where list[1 + j] == target {
                _ = g.adoptIfOrphan(newSlot, parent: UInt32(truncatingIfNeeded: node))
                break
            }
        }
    }
}
