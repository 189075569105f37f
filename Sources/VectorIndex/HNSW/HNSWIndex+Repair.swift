import CVectorKernels

extension HNSWIndex {
    /// Unlinks every tombstone from the graph and frees its slot for reuse, then makes sure every
    /// live node is reachable from the entry point. Runs automatically from ``remove(slot:)``;
    /// callable directly (for example before ``exportLayout()``).
    ///
    /// Each node that linked to a tombstone re-selects its neighbours (heuristic) among its live
    /// neighbours and the tombstones' live neighbours, as in hnswlib's `repairConnectionsForUpdate`.
    /// Live slots never change. Other writers wait; searches keep running.
    ///
    /// - Complexity: O(n × m) to find the affected lists plus O(m²) distance computations per
    ///   affected list.
    public func repair() {
        writersLock.withExclusive {
            rowsLock.withShared {
                let slots = slotUpperBound
                let g = graph
                var dead = [Bool](repeating: false, count: slots)
                var deadSlots: [Int] = []
                for s in 0 ..< slots where g.state(s) == SlotState.tombstone {
                    dead[s] = true
                    deadSlots.append(s)
                }
                if !deadSlots.isEmpty {
                    contexts.with(slotCount: storage.capacity) { context in
                        for v in 0 ..< slots where g.state(v) == SlotState.live {
                            for level in 0 ... g.level(v) {
                                relinkAroundDead(v, level: level, dead: dead, graph: g, context: context)
                            }
                        }
                    }
                    if let entry = loadEntry(), dead[entry.slot] {
                        storeEntry(highestLiveNode(graph: g, upperBound: slots))
                    }
                    for t in deadSlots {
                        for level in 0 ... g.level(t) {
                            if let list = g.list(t, level) {
                                g.lock(t)
                                g.write(list, from: list, count: 0)
                                g.unlock(t)
                            }
                        }
                        vk_store_u8_release(g.rows.state(t), SlotState.free)
                    }
                    allocator.withLock {
                        // Lowest slots end up on top of the stack, so they are reused first.
                        freeSlots.append(contentsOf: deadSlots.reversed())
                        tombstoneCount -= deadSlots.count
                    }
                }
                restoreReachability(graph: g, upperBound: slots)
            }
        }
    }

    /// Replaces the dead links in the list of `v` on `level`. The live links stay (they were chosen
    /// by the heuristic or as reverse links, and re-pruning them would thin the graph); the freed
    /// room goes first to the dead neighbours' live neighbours that pass the neighbour heuristic
    /// against the kept links, then to the closest of the others, so the degree is kept.
    private func relinkAroundDead(_ v: Int, level: Int, dead: [Bool], graph g: HNSWGraphView, context: SearchContext) {
        guard let list = g.list(v, level) else { return }
        let n = g.count(of: list)
        var kept: [UInt32] = []
        kept.reserveCapacity(n)
        var deadNeighbors: [Int] = []
        for i in 0 ..< n {
            let s = g.neighbor(list, i)
            if dead[s] { deadNeighbors.append(s) } else { kept.append(UInt32(truncatingIfNeeded: s)) }
        }
        if deadNeighbors.isEmpty { return }
        // Candidates: the live neighbours of the dead ones; a second hop through dead nodes only
        // when the first gives too few.
        var candidates: [Int] = []
        var seen = context.visited
        seen.reset(slotCount: storage.capacity)
        defer { context.visited = seen }
        _ = seen.insert(v)
        for s in kept { _ = seen.insert(Int(s)) }
        for s in deadNeighbors { _ = seen.insert(s) }
        let limit = g.maxDegree(level)
        let room = limit - kept.count
        var frontier = deadNeighbors
        var hops = 0
        while !frontier.isEmpty && hops < 2 && (hops == 0 || candidates.count < room) {
            var next: [Int] = []
            for t in frontier where g.level(t) >= level {
                guard let tl = g.list(t, level) else { continue }
                for i in 0 ..< g.count(of: tl) {
                    let s = g.neighbor(tl, i)
                    if !seen.insert(s) { continue }
                    if dead[s] { next.append(s) } else if g.state(s) == SlotState.live { candidates.append(s) }
                }
            }
            frontier = next
            hops += 1
        }
        context.reserveScratch(max(candidates.count, limit) + 1)
        let cd = context.scratchDistances, cs = context.scratchSlots
        scoreFromNode(v, candidates, graph: g, context: context, distances: cd, slots: cs)
        sortByDistance(cd, cs, count: candidates.count)
        let selected = context.selectedSlots
        for (i, s) in kept.enumerated() { selected[i] = s }
        var count = kept.count
        var taken = [Bool](repeating: false, count: candidates.count)
        for i in 0 ..< candidates.count where count < limit {
            let c = Int(cs[i])
            var diverse = true
            for j in kept.count ..< count where g.nodeDistance(c, Int(selected[j])) < cd[i] {
                diverse = false
                break
            }
            if diverse {
                for k in kept where g.nodeDistance(c, Int(k)) < cd[i] {
                    diverse = false
                    break
                }
            }
            if diverse {
                selected[count] = cs[i]
                count += 1
                taken[i] = true
            }
        }
        for i in 0 ..< candidates.count where count < limit && !taken[i] {
            selected[count] = cs[i]
            count += 1
        }
        g.lock(v)
        defer { g.unlock(v) }
        g.commitList(list, node: v, level: level, selected: selected, kept: count, limit: limit,
                     forceDrop: { dead[Int($0)] })
    }

    /// Full-scale distances from node `v` to `candidates` (batched through the gather kernel).
    private func scoreFromNode(
        _ v: Int, _ candidates: [Int], graph g: HNSWGraphView, context: SearchContext,
        distances: UnsafeMutablePointer<Float>, slots: UnsafeMutablePointer<UInt32>
    ) {
        let base = UnsafePointer(g.rows.vector(v))
        let scale = g.queryScale(v)
        let batch = context.neighborCapacity
        var start = 0
        while start < candidates.count {
            let count = min(batch, candidates.count - start)
            for i in 0 ..< count {
                slots[start + i] = UInt32(truncatingIfNeeded: candidates[start + i])
                context.neighborRows[i] = UnsafePointer(g.rows.vector(candidates[start + i]))
            }
            g.kernels.gather(base, context.neighborRows, count, dimension, distances + start)
            for i in 0 ..< count {
                var d = g.kernels.sign * distances[start + i]
                if g.kernels.usesInverseNorm { d *= scale * g.rows.inverseNorm(candidates[start + i]).pointee }
                distances[start + i] = d
            }
            start += count
        }
    }

    /// The live node with the highest level (lowest slot among equals), or nil.
    func highestLiveNode(graph g: HNSWGraphView, upperBound: Int) -> (slot: Int, level: Int)? {
        var best: (slot: Int, level: Int)?
        for s in 0 ..< upperBound where g.state(s) == SlotState.live {
            let l = g.level(s)
            if best == nil || l > best!.level { best = (s, l) }
        }
        return best
    }

    /// Breadth-first walk over level-0 links from `start`, marking nodes in `reached` and noting
    /// for each newly reached node the node it was reached from.
    func walkLevel0(from start: Int, graph g: HNSWGraphView, reached: inout [Bool], parents: inout [UInt32]) {
        if reached[start] { return }
        reached[start] = true
        var queue = [start]
        var head = 0
        while head < queue.count {
            let v = queue[head]
            head += 1
            let list = g.rows.links(v)
            for i in 0 ..< g.count(of: list) {
                let s = g.neighbor(list, i)
                if s < reached.count && !reached[s] {
                    reached[s] = true
                    parents[s] = UInt32(truncatingIfNeeded: v)
                    queue.append(s)
                }
            }
        }
    }

    /// Makes every graph node reachable from the entry point over level-0 links and rebuilds the
    /// parent tree (protected links) as a breadth-first tree. A node that cannot be reached is
    /// linked from its nearest reachable node (free room, or in place of that node's farthest
    /// link; a node cut off that way is caught by the next round).
    /// Caller holds `writersLock` exclusive and `rowsLock` shared.
    ///
    /// - Complexity: O(n × m) per round; one round when nothing is cut off.
    func restoreReachability(graph g: HNSWGraphView, upperBound: Int) {
        guard let entry = loadEntry() else { return }
        for s in 0 ..< upperBound where g.state(s) != SlotState.free { g.setParent(s, HNSWGraphView.noParent) }
        var parents = [UInt32](repeating: HNSWGraphView.noParent, count: upperBound)
        var reached = [Bool](repeating: false, count: upperBound)
        for _ in 0 ..< 8 {
            parents = [UInt32](repeating: HNSWGraphView.noParent, count: upperBound)
            reached = [Bool](repeating: false, count: upperBound)
            walkLevel0(from: entry.slot, graph: g, reached: &reached, parents: &parents)
            let cutOff = (0 ..< upperBound).filter { g.state($0) != SlotState.free && !reached[$0] }
            if cutOff.isEmpty { break }
            let slotCount = storage.capacity
            contexts.with(slotCount: slotCount) { context in
                for u in cutOff where !reached[u] {
                    if let p = attach(u, entry: entry, reached: reached, graph: g, context: context, slotCount: slotCount) {
                        parents[u] = UInt32(truncatingIfNeeded: p)
                        walkLevel0(from: u, graph: g, reached: &reached, parents: &parents)
                    }
                }
            }
        }
        for s in 0 ..< upperBound where g.state(s) != SlotState.free && s != entry.slot && reached[s] {
            g.setParent(s, parents[s])
        }
    }

    /// Links `u` from the nearest node already reached; returns that node.
    private func attach(
        _ u: Int, entry: (slot: Int, level: Int), reached: [Bool], graph g: HNSWGraphView, context: SearchContext,
        slotCount: Int
    ) -> Int? {
        let query = UnsafePointer(g.rows.vector(u))
        var current = entry.slot
        var currentDistance = g.distance(query, current)
        var level = entry.level
        while level > 0 {
            (current, currentDistance) = g.greedyClosest(query, from: current, distance: currentDistance,
                                                         level: level, context: context)
            level -= 1
        }
        _ = g.searchLayer(query, entry: current, entryDistance: currentDistance, level: 0,
                          ef: max(parameters.efConstruction, 16), acceptor: AcceptGraphNode(excluded: u),
                          context: context, slotCount: slotCount)
        var results = context.results
        var found: [Int] = []
        while !results.isEmpty {
            found.append(Int(results.topSlot))
            results.pop()
        }
        context.results = results
        // Nearest first; only nodes reached over level 0 (the walk may use upper levels).
        let target = UInt32(truncatingIfNeeded: u)
        var fallback: Int?
        for p in found.reversed() where p < reached.count && reached[p] {
            if fallback == nil { fallback = p }
            let list = g.rows.links(p)
            g.lock(p)
            defer { g.unlock(p) }
            if g.count(of: list) < g.maxDegree(0) {
                _ = g.forceLink(p, to: target)
                return p
            }
        }
        let p = fallback ?? entry.slot
        g.lock(p)
        defer { g.unlock(p) }
        return g.forceLink(p, to: target) ? p : nil
    }
}
