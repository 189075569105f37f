import Testing
@testable import VectorIndex

@Suite struct HNSWFilteredSearchTests {
    /// Filters over the 5,000 fixture rows at the four required selectivities, checked against an
    /// exact scan of the accepted rows.
    @Test(arguments: [0.5, 0.1, 0.01, 0.001])
    func filteredSearchFindsTheTrueTopK(selectivity: Double) {
        let f = MiniLMFixture.shared
        let index = SharedIndexes.fixtureHNSW
        var rng = TestRandom(seed: UInt64(selectivity * 10_000) + 1)
        var allowed = SlotBitset(capacity: f.rows)
        for s in 0 ..< f.rows where Double.random(in: 0 ..< 1, using: &rng) < selectivity { allowed.insert(s) }
        let filter = SlotFilter(allowed)
        let oracle = BruteForce(dimension: f.dimension, metric: .innerProduct)
        var candidates: [(slot: Int, vector: ArraySlice<Float>)] = []
        allowed.forEach { candidates.append(($0, f.base[$0 * f.dimension ..< ($0 + 1) * f.dimension])) }
        var total = 0.0
        for q in 0 ..< f.queryCount {
            let query = f.query(q)
            let truth = oracle.topK(query, k: 10, candidates: candidates).map(\.slot)
            let hits = index.search(Array(query), k: 10, filter: filter)
            #expect(hits.count == min(10, allowed.count), "fewer results than matches exist")
            #expect(hits.allSatisfy { allowed.contains($0.slot) }, "a result outside the filter")
            #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score })
            total += recall(found: hits.map(\.slot), truth: truth)
        }
        let r = total / Double(f.queryCount)
        #expect(r >= 0.95, "filtered recall@10 at \(selectivity): \(r)")
    }

    @Test func tinyFiltersReturnEveryMatch() {
        let f = MiniLMFixture.shared
        let index = SharedIndexes.fixtureHNSW
        var allowed = SlotBitset(capacity: f.rows)
        for s in [3, 1777, 4999] { allowed.insert(s) }
        let hits = index.search(Array(f.query(0)), k: 10, filter: SlotFilter(allowed))
        #expect(Set(hits.map(\.slot)) == [3, 1777, 4999])
        let none = index.search(Array(f.query(0)), k: 10, filter: SlotFilter(SlotBitset(capacity: 0)))
        #expect(none.isEmpty)
    }

    @Test func filterThatAcceptsRemovedSlotsStillReturnsOnlyLiveOnes() {
        let d = 8
        var rng = TestRandom(seed: 4)
        let index = HNSWIndex(dimension: d, metric: .euclidean, parameters: HNSWParameters(m: 8, efConstruction: 64, repairThreshold: 0.9))
        let slots = index.add(rng.clusteredVectors(rows: 600, dimension: d))
        var allowed = SlotBitset(capacity: 600)
        for s in slots where s % 3 == 0 { allowed.insert(s) }
        for s in slots where s % 6 == 0 { index.remove(slot: s) }
        for _ in 0 ..< 20 {
            let hits = index.search(rng.floats(d), k: 15, filter: SlotFilter(allowed))
            #expect(hits.count == 15)
            #expect(hits.allSatisfy { $0.slot % 3 == 0 && $0.slot % 6 != 0 })
        }
    }
}
