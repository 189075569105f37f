import Testing
@testable import VectorIndex

@Suite struct HNSWLayoutTests {
    private static let params = HNSWParameters(m: 8, efConstruction: 48, efSearch: 32, seed: 5)

    private func source() -> (HNSWIndex, [Float]) {
        let f = MiniLMFixture.shared
        let rows = 1200
        let data = Array(f.base[0 ..< rows * f.dimension])
        let index = HNSWIndex(dimension: f.dimension, metric: .innerProduct, parameters: Self.params)
        _ = index.add(data)
        return (index, data)
    }

    @Test func exportImportRoundTripGivesIdenticalResults() throws {
        let (index, data) = source()
        let (slots, layout) = index.exportLayout()
        #expect(slots == Array(0 ..< 1200))
        #expect(layout.levels.count == 1200)
        #expect(layout.offsets.count == 1201 && layout.offsets.last == UInt64(layout.neighbors.count))
        let copy = try data.withUnsafeBufferPointer {
            try HNSWIndex(dimension: 384, metric: .innerProduct, parameters: Self.params, vectors: $0, layout: layout)
        }
        #expect(copy.checkInvariants() == [])
        #expect(copy.exportLayout().layout == layout)
        let f = MiniLMFixture.shared
        for q in 0 ..< f.queryCount {
            #expect(copy.search(Array(f.query(q)), k: 10) == index.search(Array(f.query(q)), k: 10))
        }
    }

    @Test func exportSkipsTombstonesAndRenumbersDensely() throws {
        let (index, data) = source()
        let removed: Set<Int> = [0, 5, 77, 1199]
        for s in removed { index.remove(slot: s) }
        let (slots, layout) = index.exportLayout()
        #expect(slots == (0 ..< 1200).filter { !removed.contains($0) })
        #expect(!layout.neighbors.contains { $0 >= Int32(slots.count) })
        var dense: [Float] = []
        for s in slots { dense.append(contentsOf: data[s * 384 ..< (s + 1) * 384]) }
        let copy = try dense.withUnsafeBufferPointer {
            try HNSWIndex(dimension: 384, metric: .innerProduct, parameters: Self.params, vectors: $0, layout: layout)
        }
        #expect(copy.count == slots.count)
        #expect(copy.checkInvariants() == [])
        let f = MiniLMFixture.shared
        var agree = 0
        for q in 0 ..< 50 {
            let a = copy.search(Array(f.query(q)), k: 10).map { slots[$0.slot] }
            let b = index.search(Array(f.query(q)), k: 10).map(\.slot)
            agree += Set(a).intersection(b).count
        }
        #expect(Double(agree) / 500 >= 0.95)
    }

    @Test func emptyIndexRoundTrips() throws {
        let empty = HNSWIndex(dimension: 3, metric: .cosine, parameters: Self.params)
        let (slots, layout) = empty.exportLayout()
        #expect(slots.isEmpty && layout.entryPoint == -1 && layout.maxLevel == -1)
        let copy = try HNSWIndex(dimension: 3, metric: .cosine, parameters: Self.params,
                                 vectors: UnsafeBufferPointer(start: nil, count: 0), layout: layout)
        #expect(copy.count == 0)
    }

    @Test func importRejectsMalformedLayouts() {
        let (index, data) = source()
        let good = index.exportLayout().layout
        func rejects(_ name: String, _ edit: (inout HNSWGraphLayout) -> Void, vectors: [Float]? = nil, m: Int = 8) {
            var layout = good
            edit(&layout)
            let params = HNSWParameters(m: m, efConstruction: 48, efSearch: 32, seed: 5)
            #expect(throws: IndexImportError.self, "\(name) must be rejected") {
                try (vectors ?? data).withUnsafeBufferPointer {
                    _ = try HNSWIndex(dimension: 384, metric: .innerProduct, parameters: params, vectors: $0, layout: layout)
                }
            }
        }
        let upperNode = good.levels.firstIndex { $0 > 1 }!
        rejects("neighbour out of range") { $0.neighbors[3] = 5000 }
        rejects("negative neighbour other than -1") { $0.neighbors[0] = -7 }
        rejects("link after -1 padding") { l in
            let start = Int(l.offsets[0])
            l.neighbors[start] = -1
            l.neighbors[start + 1] = 1
        }
        rejects("level 0 of levels") { $0.levels[2] = 0 }
        rejects("level beyond the probability table") { $0.levels[2] = Int32($0.assignProbabilities.count + 1) }
        rejects("offsets not matching levels") { $0.offsets[5] += 1 }
        rejects("offsets count") { $0.offsets.removeLast() }
        rejects("neighbors too short") { $0.neighbors.removeLast() }
        rejects("entry point out of range") { $0.entryPoint = 1200 }
        rejects("entry point below the top level") { l in l.entryPoint = Int32(l.levels.firstIndex { $0 == 1 }!) }
        rejects("wrong max level") { $0.maxLevel += 1 }
        rejects("cumulative table not starting at 0") { $0.cumulativeNeighborsPerLevel[0] = 1 }
        rejects("cumulative table size") { $0.cumulativeNeighborsPerLevel.removeLast() }
        rejects("probability out of range") { $0.assignProbabilities[0] = 1.5 }
        rejects("NaN probability") { $0.assignProbabilities[1] = .nan }
        rejects("link to a node absent from that level") { l in
            let lowNode = Int32(l.levels.firstIndex { $0 == 1 }!)
            let start = Int(l.offsets[upperNode]) + Int(l.cumulativeNeighborsPerLevel[1])
            l.neighbors[start] = lowNode
        }
        rejects("too few vectors", { _ in }, vectors: Array(data.dropLast(384)))
        rejects("non-finite vector", { _ in }, vectors: { var v = data; v[100] = .infinity; return v }())
        rejects("M differs from the parameters", { _ in }, m: 16)
        rejects("empty graph with an entry point") { l in
            l = HNSWGraphLayout(assignProbabilities: l.assignProbabilities, cumulativeNeighborsPerLevel: l.cumulativeNeighborsPerLevel,
                                levels: [], offsets: [0], neighbors: [], entryPoint: 0, maxLevel: 0, efConstruction: 1, efSearch: 1)
        } 
    }

    @Test func importRepairsUnreachableNodes() throws {
        let (index, data) = source()
        var layout = index.exportLayout().layout
        // Cut every link into node 42: it becomes unreachable until the import links it back.
        for i in 0 ..< layout.levels.count {
            for l in 0 ..< Int(layout.levels[i]) {
                let start = Int(layout.offsets[i]) + Int(layout.cumulativeNeighborsPerLevel[l])
                let end = Int(layout.offsets[i]) + Int(layout.cumulativeNeighborsPerLevel[l + 1])
                var list = layout.neighbors[start ..< end].filter { $0 >= 0 && $0 != 42 }
                list += Array(repeating: -1, count: end - start - list.count)
                layout.neighbors.replaceSubrange(start ..< end, with: list)
            }
        }
        let copy = try data.withUnsafeBufferPointer {
            try HNSWIndex(dimension: 384, metric: .innerProduct, parameters: Self.params, vectors: $0, layout: layout)
        }
        #expect(copy.checkInvariants() == [])
        let own = Array(data[42 * 384 ..< 43 * 384])
        #expect(copy.search(own, k: 1).first?.slot == 42)
    }

    @Test func invariantCheckDetectsDamage() {
        let (index, _) = source()
        #expect(index.checkInvariants() == [])
        // Point a link of node 0 at itself and another past the slots.
        index.rowsLock.withShared {
            let list = index.storage.view.links(0)
            list[1] = 0
            list[2] = 99_999
        }
        let problems = index.checkInvariants()
        #expect(problems.contains { $0.contains("links to itself") })
        #expect(problems.contains { $0.contains("beyond the slots") })
    }
}
