import CVectorKernels

extension HNSWIndex {
    /// Checks the graph's structural invariants and returns one line per violation (empty when
    /// the graph is sound). Meant for tests and diagnostics; writers wait while it runs.
    ///
    /// Checked: live and tombstone counts match the slot states; the free-slot list holds exactly
    /// the free slots; each node's level is within the level table; every list respects its degree
    /// bound and links only to distinct other nodes that exist on that level and are not freed;
    /// the entry point is a graph node on the top level; every graph node but the entry point has a
    /// parent that links to it on level 0 (the protected links that keep the graph connected), and
    /// every live node is reachable from the entry point over level-0 links.
    ///
    /// - Complexity: O(n × m).
    public func checkInvariants() -> [String] {
        writersLock.withExclusive {
            rowsLock.withShared {
                var problems: [String] = []
                let slots = slotUpperBound
                let g = graph
                var live = 0, tombs = 0, graphNodes = 0
                var topLevel = -1
                for s in 0 ..< slots {
                    let state = g.state(s)
                    if state == SlotState.live { live += 1 }
                    if state == SlotState.tombstone { tombs += 1 }
                    if state == SlotState.pending { problems.append("slot \(s) is still pending") }
                    if state == SlotState.free { continue }
                    graphNodes += 1
                    let level = g.level(s)
                    topLevel = max(topLevel, level)
                    if level > levelGenerator.maxLevel {
                        problems.append("slot \(s) has level \(level) beyond the level table (max \(levelGenerator.maxLevel))")
                    }
                    for l in 0 ... level {
                        guard let list = g.list(s, l) else {
                            problems.append("slot \(s) has level \(level) but no link block for level \(l)")
                            continue
                        }
                        let n = g.count(of: list)
                        if n > g.maxDegree(l) {
                            problems.append("slot \(s) level \(l) has \(n) links, more than \(g.maxDegree(l))")
                            continue
                        }
                        var seen = Set<Int>()
                        for i in 0 ..< n {
                            let t = g.neighbor(list, i)
                            if t >= slots { problems.append("slot \(s) level \(l) links to \(t), beyond the slots"); continue }
                            if t == s { problems.append("slot \(s) level \(l) links to itself") }
                            if !seen.insert(t).inserted { problems.append("slot \(s) level \(l) links to \(t) twice") }
                            if g.state(t) == SlotState.free { problems.append("slot \(s) level \(l) links to freed slot \(t)") }
                            if g.level(t) < l { problems.append("slot \(s) level \(l) links to \(t), which is only on level \(g.level(t))") }
                        }
                    }
                }
                allocator.withLock {
                    if live != liveCount { problems.append("\(live) live slots but count says \(liveCount)") }
                    if tombs != tombstoneCount { problems.append("\(tombs) tombstones but the counter says \(tombstoneCount)") }
                    let free = Set(freeSlots)
                    if free.count != freeSlots.count { problems.append("the free-slot list has duplicates") }
                    for s in 0 ..< slots where (g.state(s) == SlotState.free) != free.contains(s) {
                        problems.append("slot \(s): state \(g.state(s)) disagrees with the free-slot list")
                    }
                }
                guard let entry = loadEntry() else {
                    if graphNodes > 0 { problems.append("no entry point but \(graphNodes) graph nodes") }
                    return problems
                }
                if entry.slot >= slots || g.state(entry.slot) == SlotState.free {
                    problems.append("entry point \(entry.slot) is not a graph node")
                    return problems
                }
                if g.level(entry.slot) != entry.level { problems.append("entry point level \(entry.level) differs from its node's level \(g.level(entry.slot))") }
                if topLevel != entry.level { problems.append("entry point is on level \(entry.level) but the top level is \(topLevel)") }
                if g.parent(entry.slot) != HNSWGraphView.noParent { problems.append("entry point \(entry.slot) has a parent") }
                for s in 0 ..< slots where g.state(s) != SlotState.free && s != entry.slot {
                    let p = Int(g.parent(s))
                    guard p < slots, g.state(p) != SlotState.free else {
                        problems.append("slot \(s) has no valid parent (\(p))")
                        continue
                    }
                    let list = g.rows.links(p)
                    if !(0 ..< g.count(of: list)).contains(where: { g.neighbor(list, $0) == s }) {
                        problems.append("slot \(s): its parent \(p) does not link to it")
                    }
                }
                var reached = [Bool](repeating: false, count: slots)
                var parents = [UInt32](repeating: HNSWGraphView.noParent, count: slots)
                walkLevel0(from: entry.slot, graph: g, reached: &reached, parents: &parents)
                let unreachable = (0 ..< slots).filter { g.state($0) == SlotState.live && !reached[$0] }
                if !unreachable.isEmpty {
                    problems.append("\(unreachable.count) live nodes unreachable from the entry point, e.g. \(unreachable.prefix(5))")
                }
                return problems
            }
        }
    }
}
