import CVectorKernels

extension HNSWIndex {
    /// Rebuilds an index from dense vectors and a graph in FAISS's layout (the inverse of
    /// ``exportLayout()``), without re-running construction.
    ///
    /// Node `i` of the layout gets slot `i` and the vector `vectors[i·d ..< (i+1)·d]`. The layout is
    /// validated first; self-links and repeated links are dropped; live nodes that cannot be
    /// reached from the entry point are linked in (as ``repair()`` does).
    ///
    /// - Throws: ``IndexImportError`` when the dimension is not positive, the vector count does
    ///   not match the layout, a component is not finite, the layout's M differs from
    ///   `parameters.m`, or the layout is inconsistent (`levels` beyond the level table, offsets
    ///   that do not match the levels, links out of range or to a node absent from that level,
    ///   links after the -1 padding, a bad entry point). It never traps on bad input.
    /// - Complexity: O(n × (d + m)).
    public convenience init(
        dimension: Int, metric: Metric, parameters: HNSWParameters = HNSWParameters(),
        vectors: UnsafeBufferPointer<Float>, layout: HNSWGraphLayout
    ) throws {
        guard dimension > 0 else { throw IndexImportError.invalidDimension(dimension) }
        let n = layout.levels.count
        guard vectors.count == n * dimension else {
            throw IndexImportError.vectorCountMismatch(floats: vectors.count, dimension: dimension, expectedRows: n)
        }
        if let bad = firstNonFiniteRow(vectors, dimension: dimension) { throw IndexImportError.nonFiniteComponent(row: bad) }
        try Self.validate(layout, m: parameters.m)
        self.init(dimension: dimension, metric: metric, parameters: parameters)
        guard n > 0, let base = vectors.baseAddress else { return }
        if let tooHigh = layout.levels.firstIndex(where: { Int($0) - 1 > levelGenerator.maxLevel }) {
            throw IndexImportError.malformedLayout(reason: "levels[\(tooHigh)] = \(layout.levels[tooHigh]) exceeds this index's level table (\(levelGenerator.maxLevel + 1) levels for M = \(parameters.m))")
        }
        let cumulative = layout.cumulativeNeighborsPerLevel
        rowsLock.withExclusive {
            storage.grow(toCapacity: n)
            let view = storage.view
            let g = graph
            var scratch = [UInt32](repeating: 0, count: 2 * parameters.m)
            // seen[t] == mark while the list being copied already holds t: a repeated
            // link is found in O(1), not by scanning the list (O(m²) per node).
            var seen = [UInt32](repeating: 0, count: n)
            var mark: UInt32 = 0
            for i in 0 ..< n {
                let row = base + i * dimension
                view.writeVector(i, from: row, inverseNorm: kernels.inverseNorm(row, count: dimension))
                let level = Int(layout.levels[i]) - 1
                initializeNode(i, level: level, view: view)
                for l in 0 ... level {
                    let start = Int(layout.offsets[i]) + Int(cumulative[l])
                    let end = Int(layout.offsets[i]) + Int(cumulative[l + 1])
                    var count = 0
                    mark &+= 1
                    if mark == 0 {  // wrapped: forget every old mark
                        for k in seen.indices { seen[k] = 0 }
                        mark = 1
                    }
                    for j in start ..< end {
                        let t = layout.neighbors[j]
                        if t < 0 { break }
                        let slot = UInt32(t)
                        if Int(t) == i || seen[Int(t)] == mark { continue }
                        seen[Int(t)] = mark
                        scratch[count] = slot
                        count += 1
                    }
                    scratch.withUnsafeBufferPointer { g.write(g.list(i, l)!, from: $0.baseAddress!, count: count) }
                }
                vk_store_u8_release(view.state(i), SlotState.live)
            }
            vk_store_i64_release(upperBoundCell, Int64(n))
            storeEntry((Int(layout.entryPoint), Int(layout.maxLevel)))
        }
        allocator.withLock { liveCount = n }
        writersLock.withExclusive {
            rowsLock.withShared {
                restoreReachability(graph: graph, upperBound: n)
            }
        }
    }

    /// Checks every field of a layout against the others; throws on the first inconsistency.
    static func validate(_ layout: HNSWGraphLayout, m: Int) throws {
        func bad(_ reason: String) -> IndexImportError { .malformedLayout(reason: reason) }
        let probas = layout.assignProbabilities
        let cumulative = layout.cumulativeNeighborsPerLevel
        let n = layout.levels.count
        guard !probas.isEmpty else { throw bad("assignProbabilities is empty") }
        if let i = probas.firstIndex(where: { !($0 > 0 && $0 <= 1) }) {
            throw bad("assignProbabilities[\(i)] = \(probas[i]) is not in (0, 1]")
        }
        guard cumulative.count == probas.count + 1 else {
            throw bad("cumulativeNeighborsPerLevel has \(cumulative.count) entries; expected assignProbabilities.count + 1 = \(probas.count + 1)")
        }
        guard cumulative[0] == 0 else { throw bad("cumulativeNeighborsPerLevel[0] = \(cumulative[0]); expected 0") }
        let m0 = Int(cumulative[1])
        guard m0 > 0, m0 % 2 == 0 else { throw bad("cumulativeNeighborsPerLevel[1] = \(m0); expected 2·M > 0") }
        let layoutM = m0 / 2
        for l in 1 ..< probas.count where Int(cumulative[l + 1]) - Int(cumulative[l]) != layoutM {
            throw bad("cumulativeNeighborsPerLevel[\(l + 1)] - [\(l)] = \(Int(cumulative[l + 1]) - Int(cumulative[l])); expected M = \(layoutM)")
        }
        guard layoutM == m else { throw IndexImportError.parameterMismatch(layoutM: layoutM, parametersM: m) }
        for (i, level) in layout.levels.enumerated() where level < 1 || Int(level) > probas.count {
            throw bad("levels[\(i)] = \(level); expected 1...\(probas.count) (level + 1, within assignProbabilities)")
        }
        guard layout.offsets.count == n + 1 else {
            throw bad("offsets has \(layout.offsets.count) entries; expected levels.count + 1 = \(n + 1)")
        }
        guard layout.offsets[0] == 0 else { throw bad("offsets[0] = \(layout.offsets[0]); expected 0") }
        for i in 0 ..< n {
            let expected = UInt64(cumulative[Int(layout.levels[i])])
            let (next, overflow) = layout.offsets[i].addingReportingOverflow(expected)
            guard !overflow, layout.offsets[i + 1] == next else {
                throw bad("offsets[\(i + 1)] = \(layout.offsets[i + 1]); expected offsets[\(i)] + \(expected) for a node with levels = \(layout.levels[i])")
            }
        }
        guard layout.offsets[n] == UInt64(layout.neighbors.count) else {
            throw bad("offsets[\(n)] = \(layout.offsets[n]) but neighbors has \(layout.neighbors.count) entries")
        }
        for i in 0 ..< n {
            for l in 0 ..< Int(layout.levels[i]) {
                let start = Int(layout.offsets[i]) + Int(cumulative[l])
                let end = Int(layout.offsets[i]) + Int(cumulative[l + 1])
                var padded = false
                for j in start ..< end {
                    let t = layout.neighbors[j]
                    if t == -1 {
                        padded = true
                        continue
                    }
                    if padded { throw bad("neighbors[\(j)] = \(t) follows -1 padding in node \(i)'s level \(l) list") }
                    guard t >= 0, Int(t) < n else { throw bad("neighbors[\(j)] = \(t) (node \(i), level \(l)) is not a node in 0..<\(n) or -1") }
                    guard Int(layout.levels[Int(t)]) > l else {
                        throw bad("node \(i) links on level \(l) to node \(t), which has levels = \(layout.levels[Int(t)])")
                    }
                }
            }
        }
        if n == 0 {
            guard layout.entryPoint == -1, layout.maxLevel == -1 else {
                throw bad("empty graph needs entryPoint = -1 and maxLevel = -1, got \(layout.entryPoint) and \(layout.maxLevel)")
            }
            return
        }
        guard layout.entryPoint >= 0, Int(layout.entryPoint) < n else {
            throw bad("entryPoint = \(layout.entryPoint) is not a node in 0..<\(n)")
        }
        let top = Int(layout.levels.max()!) - 1
        guard Int(layout.maxLevel) == top else { throw bad("maxLevel = \(layout.maxLevel); the highest node level is \(top)") }
        guard Int(layout.levels[Int(layout.entryPoint)]) - 1 == top else {
            throw bad("entryPoint \(layout.entryPoint) is on level \(layout.levels[Int(layout.entryPoint)] - 1), not the top level \(top)")
        }
    }
}
