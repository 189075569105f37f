import Testing
@testable import VectorIndex

@Suite struct HNSWMaintenanceTests {
    /// Small parameters keep debug builds fast while still exercising full lists and pruning.
    static let small = HNSWParameters(m: 6, efConstruction: 40, efSearch: 40, seed: 11)

    @Test(arguments: [Metric.cosine, .euclidean])
    func invariantsHoldThroughLongRandomSequences(metric: Metric) {
        let d = 12
        var rng = TestRandom(seed: 21)
        let index = HNSWIndex(dimension: d, metric: metric, parameters: Self.small)
        var live: [Int: [Float]] = [:]
        for slot in index.add(rng.clusteredVectors(rows: 300, dimension: d)) {
            live[slot] = index.vector(at: slot)
        }
        for step in 0 ..< 1500 {
            let roll = Int.random(in: 0 ..< 10, using: &rng)
            if roll < 4 || live.count < 20 {
                let v = rng.clusteredVectors(rows: 1, dimension: d, clusters: 4)
                let slot = index.add(v)[0]
                #expect(live[slot] == nil, "slot \(slot) handed out while live")
                live[slot] = v
            } else if roll < 7 {
                let slot = live.keys.sorted().randomElement(using: &rng)!
                index.remove(slot: slot)
                live[slot] = nil
            } else {
                let slot = live.keys.sorted().randomElement(using: &rng)!
                let v = rng.clusteredVectors(rows: 1, dimension: d, clusters: 4)
                v.withUnsafeBufferPointer { index.replace(slot: slot, with: $0) }
                live[slot] = v
            }
            if step % 250 == 249 {
                #expect(index.checkInvariants() == [], "after step \(step)")
            }
        }
        #expect(index.checkInvariants() == [])
        #expect(index.count == live.count)
        for (slot, v) in live {
            #expect(index.isLive(slot: slot))
            #expect(index.vector(at: slot) == v)
        }
        // Every live vector finds itself (with a wide beam: these small parameters trade recall
        // for speed); nothing removed ever comes back.
        for (slot, v) in live.sorted(by: { $0.key < $1.key }).prefix(80) {
            let hits = index.search(v, k: 5, ef: 100)
            #expect(hits.contains { $0.slot == slot }, "slot \(slot) does not find itself")
            #expect(hits.allSatisfy { live[$0.slot] != nil })
        }
    }

    /// Tiny lists (m = 4) in tight clusters stress the pruning: every node must stay reachable.
    @Test(arguments: 0 ..< 8)
    func reachabilitySurvivesHeavyChurnWithTinyLists(seed: Int) {
        let d = 6
        var rng = TestRandom(seed: UInt64(seed) * 7919 + 1)
        let params = HNSWParameters(m: 4, efConstruction: 16, efSearch: 16, seed: UInt64(seed),
                                    repairThreshold: seed % 2 == 0 ? 0.05 : 0.5)
        let index = HNSWIndex(dimension: d, metric: seed % 3 == 0 ? .euclidean : .cosine, parameters: params)
        var live: [Int] = index.add(rng.clusteredVectors(rows: 200, dimension: d, clusters: 3))
        for step in 0 ..< 2000 {
            let roll = Int.random(in: 0 ..< 10, using: &rng)
            if roll < 4 || live.count < 10 {
                live.append(index.add(rng.clusteredVectors(rows: 1, dimension: d, clusters: 2))[0])
            } else if roll < 7 {
                index.remove(slot: live.remove(at: Int.random(in: 0 ..< live.count, using: &rng)))
            } else {
                let v = rng.clusteredVectors(rows: 1, dimension: d, clusters: 2)
                v.withUnsafeBufferPointer { index.replace(slot: live.randomElement(using: &rng)!, with: $0) }
            }
            if step % 200 == 199 {
                let problems = index.checkInvariants()
                #expect(problems == [], "seed \(seed) step \(step)")
                if !problems.isEmpty { return }
            }
        }
        #expect(index.count == live.count)
    }

    @Test func removedNodesNeverAppearAndSlotsAreReusedAfterRepair() {
        let f = MiniLMFixture.shared
        let rows = 1000
        let index = HNSWIndex(dimension: f.dimension, metric: .innerProduct, parameters: HNSWParameters(repairThreshold: 0.2))
        _ = index.add(Array(f.base[0 ..< rows * f.dimension]))
        let removed = Set(stride(from: 0, to: rows, by: 7))
        for s in removed { index.remove(slot: s) }
        #expect(index.count == rows - removed.count)
        for q in 0 ..< 20 {
            let hits = index.search(Array(f.query(q)), k: 20)
            #expect(hits.count == 20)
            #expect(hits.allSatisfy { !removed.contains($0.slot) })
        }
        // Enough removals to cross the threshold: the graph repairs and frees slots.
        for s in stride(from: 1, to: rows, by: 5) where !removed.contains(s) { index.remove(slot: s) }
        #expect(index.tombstones == 0 || Double(index.tombstones) <= 0.2 * Double(index.count + index.tombstones))
        #expect(index.checkInvariants() == [])
        let before = index.slotUpperBound
        let slots = index.add(Array(f.base[0 ..< 10 * f.dimension]))
        #expect(slots.allSatisfy { $0 < before }, "freed slots are reused before new ones")
        #expect(index.slotUpperBound == before)
        #expect(index.checkInvariants() == [])
    }

    @Test func deleting30PercentAndReinsertingKeepsRecall() {
        let f = MiniLMFixture.shared
        let index = HNSWIndex(dimension: f.dimension, metric: .innerProduct)
        let slots = index.add(f.base)
        var rng = TestRandom(seed: 5)
        let victims = Array(slots.shuffled(using: &rng).prefix(slots.count * 3 / 10))
        for s in victims { index.remove(slot: s) }
        #expect(index.checkInvariants() == [])
        // Reinsert the same rows; they may land in other slots, so map slots back to rows.
        var rowOfSlot = Dictionary(uniqueKeysWithValues: slots.map { ($0, $0) })
        for s in victims { rowOfSlot[s] = nil }
        for row in victims.sorted() {
            let slot = index.add(Array(f.base[row * f.dimension ..< (row + 1) * f.dimension]))[0]
            rowOfSlot[slot] = row
        }
        #expect(index.count == f.rows)
        #expect(index.checkInvariants() == [])
        let r = fixtureRecall(index) { rowOfSlot[$0]! }
        #expect(r >= 0.95, "recall@10 after delete + reinsert: \(r)")
    }

    @Test func replaceRelinksWithoutDuplicates() {
        let f = MiniLMFixture.shared
        let rows = 800
        let index = HNSWIndex(dimension: f.dimension, metric: .cosine)
        _ = index.add(Array(f.base[0 ..< rows * f.dimension]))
        // Move 50 nodes onto query vectors: each must be found as the top hit for its query.
        for q in 0 ..< 50 {
            Array(f.query(q)).withUnsafeBufferPointer { index.replace(slot: q * 13, with: $0) }
        }
        #expect(index.count == rows)
        #expect(index.slotUpperBound == rows)
        #expect(index.checkInvariants() == [])
        for q in 0 ..< 50 {
            let hits = index.search(Array(f.query(q)), k: 3)
            #expect(hits.first?.slot == q * 13)
            #expect(abs((hits.first?.score ?? 0) - 1) < 1e-5)
            #expect(Set(hits.map(\.slot)).count == hits.count)
        }
    }

    @Test func removeAllResets() {
        let index = HNSWIndex(dimension: 4, metric: .euclidean, parameters: Self.small)
        var rng = TestRandom(seed: 3)
        _ = index.add(rng.floats(400))
        index.removeAll()
        #expect(index.count == 0 && index.slotUpperBound == 0)
        #expect(index.search([0, 0, 0, 0], k: 3).isEmpty)
        #expect(index.add([1, 2, 3, 4]) == [0])
        #expect(index.search([1, 2, 3, 4], k: 3).map(\.slot) == [0])
        #expect(index.checkInvariants() == [])
    }

    @Test func removingEverythingEmptiesTheGraph() {
        let index = HNSWIndex(dimension: 3, metric: .cosine, parameters: Self.small)
        let slots = index.add([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1])
        for s in slots { index.remove(slot: s) }
        #expect(index.count == 0)
        #expect(index.search([1, 0, 0], k: 2).isEmpty)
        #expect(index.checkInvariants() == [])
        #expect(index.add([0, 1, 1]).count == 1)
        #expect(index.search([0, 1, 1], k: 2).count == 1)
    }
}
