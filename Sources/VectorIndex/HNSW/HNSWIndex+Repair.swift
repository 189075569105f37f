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
                recountIndegrees(graph: g, upperBound: slots)
                connectUnreachable(graph: g, upperBound: slots)
            }
        }
    }

    /// Re-selects the list of `v` on `level` if it links to a dead node.
    private func relinkAroundDead(_ v: Int, level: Int, dead: [Bool], graph g: HNSWGraphView, context: SearchContext) {
        guard let list = g.list(v, level) else { return }
        let n = g.count(of: list)
        var touchesDead = false
        for i in 0 ..< n where dead[g.neighbor(list, i)] {
            touchesDead = true
            break
        }
        if !touchesDead { return }
        // Candidates: live neighbours, plus live nodes up to two hops through dead ones.
        var candidates: [Int] = []
        var seen: Set<Int> = [v]
        var frontier: [Int] = []
        for i in 0 ..< n {
            let s = g.neighbor(list, i)
            if !seen.insert(s).inserted { continue }
            if dead[s] { frontier.append(s) } else { candidates.append(s) }
        }
        var hops = 0
        while !frontier.isEmpty && hops < 2 {
            var next: [Int] = []
            for t in frontier where g.level(t) >= level {
                guard let tl = g.list(t, level) else { continue }
                for i in 0 ..< g.count(of: tl) {
                    let s = g.neighbor(tl, i)
                    if !seen.insert(s).inserted { continue }
                    if dead[s] { next.append(s) } else if g.state(s) == SlotState.live { candidates.append(s) }
                }
            }
            frontier = next
            hops += 1
        }
        let limit = g.maxDegree(level)
        context.reserveScratch(candidates.count + 1)
        let cd = context.scratchDistances, cs = context.scratchSlots
        for (i, c) in candidates.enumerated() {
            cs[i] = UInt32(c)
            cd[i] = g.nodeDistance(v, c)
        }
        sortByDistance(cd, cs, count: candidates.count)
        let kept = g.selectNeighbors(candidateSlots: cs, candidateDistances: cd, count: candidates.count, limit: limit,
                                     selected: context.selectedSlots, selectedDistances: context.selectedDistances)
        g.lock(v)
        defer { g.unlock(v) }
        g.commitList(list, level: level, selected: context.selectedSlots, kept: kept, limit: limit,
                     forceDrop: { dead[Int($0)] })
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

    /// Sets every in-degree counter to the exact number of level-0 links to the node.
    func recountIndegrees(graph g: HNSWGraphView, upperBound: Int) {
        var counts = [UInt32](repeating: 0, count: upperBound)
        for s in 0 ..< upperBound where g.state(s) != SlotState.free {
            let list = g.rows.links(s)
            for i in 0 ..< g.count(of: list) { counts[g.neighbor(list, i)] += 1 }
        }
        for s in 0 ..< upperBound { vk_store_u32_relaxed(g.rows.indegree(s), counts[s]) }
    }

    /// Marks every node reachable from `start` (following links on every level) in `reached`.
    func markReachable(from start: Int, graph g: HNSWGraphView, reached: inout [Bool]) {
        if reached[start] { return }
        reached[start] = true
        var stack = [start]
        while let v = stack.popLast() {
            for level in 0 ... g.level(v) {
                guard let list = g.list(v, level) else { continue }
                for i in 0 ..< g.count(of: list) {
                    let s = g.neighbor(list, i)
                    if s < reached.count && !reached[s] {
                        reached[s] = true
                        stack.append(s)
                    }
                }
            }
        }
    }

    /// Links every live node that cannot be reached from the entry point from its nearest
    /// reachable node (taking free room, or the place of a neighbour that has another incoming
    /// link). Caller holds `writersLock` exclusive and `rowsLock` shared.
    func connectUnreachable(graph g: HNSWGraphView, upperBound: Int) {
        guard let entry = loadEntry() else { return }
        for _ in 0 ..< 4 {
            var reached = [Bool](repeating: false, count: upperBound)
            markReachable(from: entry.slot, graph: g, reached: &reached)
            var orphans: [Int] = []
            for s in 0 ..< upperBound where g.state(s) == SlotState.live && !reached[s] { orphans.append(s) }
            if orphans.isEmpty { return }
            let slotCount = storage.capacity
            contexts.with(slotCount: slotCount) { context in
                for u in orphans where !reached[u] {
                    attach(u, entry: entry, graph: g, context: context, slotCount: slotCount)
                    markReachable(from: u, graph: g, reached: &reached)
                }
            }
        }
    }

    private func attach(_ u: Int, entry: (slot: Int, level: Int), graph g: HNSWGraphView, context: SearchContext, slotCount: Int) {
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
        var found: [(distance: Float, slot: Int)] = []
        while !results.isEmpty {
            found.append((results.topDistance, Int(results.topSlot)))
            results.pop()
        }
        context.results = results
        found.reverse()
        guard let nearest = found.first else { return }
        let limit = g.maxDegree(0)
        let target = UInt32(truncatingIfNeeded: u)
        for (_, p) in found {
            let list = g.rows.links(p)
            g.lock(p)
            let n = g.count(of: list)
            if n < limit {
                vk_store_u32_relaxed(list + 1 + n, target)
                vk_store_u32_release(list, UInt32(n + 1))
                g.incrementIndegree(u)
                g.unlock(p)
                return
            }
            g.unlock(p)
        }
        // Every nearby list is full: replace the nearest node's farthest link that has a spare.
        let p = nearest.slot
        let list = g.rows.links(p)
        g.lock(p)
        defer { g.unlock(p) }
        let n = g.count(of: list)
        var victim = -1
        var victimDistance = -Float.infinity
        for i in 0 ..< n {
            let s = g.neighbor(list, i)
            if g.indegree(s) < 2 { continue }
            let d = g.nodeDistance(p, s)
            if d > victimDistance {
                victimDistance = d
                victim = i
            }
        }
        if victim < 0 { victim = n - 1 }
        g.decrementIndegree(g.neighbor(list, victim))
        vk_store_u32_release(list + 1 + victim, target)
        g.incrementIndegree(u)
    }
}
