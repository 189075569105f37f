import CVectorKernels

extension HNSWIndex {
    /// The graph over the live nodes in FAISS's layout (`faiss/impl/HNSW.h`), for writing an
    /// `IndexHNSWFlat` file.
    ///
    /// Live nodes are renumbered densely in increasing slot order: node `i` of the layout is
    /// `slots[i]`. Links to tombstones are replaced by the tombstones' live neighbours where room
    /// allows (call ``repair()`` first for the best graph). Writers wait while it runs.
    ///
    /// - Returns: `slots`, the slot of each layout node, and the layout.
    /// - Complexity: O(n × m).
    public func exportLayout() -> (slots: [Int], layout: HNSWGraphLayout) {
        writersLock.withExclusive {
            rowsLock.withShared {
                let upper = slotUpperBound
                let g = graph
                var dense = [Int32](repeating: -1, count: upper)
                var slots: [Int] = []
                for s in 0 ..< upper where g.state(s) == SlotState.live {
                    dense[s] = Int32(slots.count)
                    slots.append(s)
                }
                let cumulative = levelGenerator.cumulativeNeighbors
                var levels: [Int32] = []
                var offsets: [UInt64] = [0]
                levels.reserveCapacity(slots.count)
                offsets.reserveCapacity(slots.count + 1)
                for s in slots {
                    let level = g.level(s)
                    levels.append(Int32(level + 1))
                    offsets.append(offsets.last! + UInt64(cumulative[level + 1]))
                }
                var neighbors = [Int32](repeating: -1, count: Int(offsets.last!))
                for (i, s) in slots.enumerated() {
                    for level in 0 ... g.level(s) {
                        guard let list = g.list(s, level) else { continue }
                        let start = Int(offsets[i]) + Int(cumulative[level])
                        let capacity = Int(cumulative[level + 1] - cumulative[level])
                        var written: [Int32] = []
                        func take(_ t: Int) {
                            let d = dense[t]
                            if d >= 0 && t != s && written.count < capacity && !written.contains(d) { written.append(d) }
                        }
                        let n = g.count(of: list)
                        for j in 0 ..< n { take(g.neighbor(list, j)) }
                        for j in 0 ..< n {
                            let t = g.neighbor(list, j)
                            guard g.state(t) == SlotState.tombstone, let tl = g.list(t, level) else { continue }
                            for k in 0 ..< g.count(of: tl) { take(g.neighbor(tl, k)) }
                        }
                        for (j, d) in written.enumerated() { neighbors[start + j] = d }
                    }
                }
                var entryPoint: Int32 = -1
                var maxLevel: Int32 = -1
                if let entry = loadEntry(), dense[entry.slot] >= 0 {
                    entryPoint = dense[entry.slot]
                    maxLevel = Int32(entry.level)
                } else if let best = highestLiveNode(graph: g, upperBound: upper) {
                    entryPoint = dense[best.slot]
                    maxLevel = Int32(best.level)
                }
                let layout = HNSWGraphLayout(
                    assignProbabilities: levelGenerator.probabilities, cumulativeNeighborsPerLevel: cumulative,
                    levels: levels, offsets: offsets, neighbors: neighbors, entryPoint: entryPoint, maxLevel: maxLevel,
                    efConstruction: Int32(parameters.efConstruction), efSearch: Int32(parameters.efSearch))
                return (slots, layout)
            }
        }
    }
}
