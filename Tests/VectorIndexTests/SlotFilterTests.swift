import Testing
@testable import VectorIndex

@Suite struct SlotFilterTests {
    @Test func bothRepresentationsAnswerAlike() {
        var rng = TestRandom(seed: 41)
        let slots = (0 ..< 5000).filter { _ in Double.random(in: 0 ..< 1, using: &rng) < 0.03 }
        var set = SlotBitset(capacity: 5000)
        for s in slots { set.insert(s) }
        let fromSet = SlotFilter(set)
        let fromList = SlotFilter(sortedSlots: slots.map { Int32($0) })
        #expect(fromSet.matchCount == slots.count)
        #expect(fromList.matchCount == slots.count)
        for probe in [-1, 0, 1, 4999, 5000, 70_000] + slots.prefix(20) + slots.map({ $0 + 1 }).prefix(20) {
            #expect(fromSet.accepts(probe) == fromList.accepts(probe), "slot \(probe)")
            #expect(fromList.accepts(probe) == slots.contains(probe), "slot \(probe)")
        }
        var listed: [Int] = []
        fromList.forEach { listed.append($0) }
        #expect(listed == slots)
        var fromBits: [Int] = []
        fromSet.forEach { fromBits.append($0) }
        #expect(fromBits == slots)
        var rebuilt: [Int] = []
        fromList.allowed.forEach { rebuilt.append($0) }
        #expect(rebuilt == slots)
        #expect(fromList.allowed.count == set.count)
    }

    @Test func emptyListAcceptsNothing() {
        let filter = SlotFilter(sortedSlots: [])
        #expect(filter.matchCount == 0)
        #expect(!filter.accepts(0))
        #expect(filter.allowed.count == 0)
    }

    /// The plan switches once from scan to walk as the match count grows (for a fixed collection,
    /// k and ef), scans whenever no more than k match, and a larger ef never makes a walk of a
    /// scan.
    @Test func planIsMonotoneInMatches() {
        for slots in [1_000, 61_535, 1_000_000] {
            for ef in [10, 24, 100] {
                var sawWalk = false
                for matches in stride(from: 0, through: slots, by: max(1, slots / 500)) {
                    let plan = HNSWIndex.filteredSearchPlan(matches: matches, k: 10, ef: ef, slots: slots)
                    #expect(plan != .automatic)
                    if matches <= 10 { #expect(plan == .exactScan) }
                    if sawWalk { #expect(plan == .graphWalk, "scan after walk at \(matches) of \(slots), ef \(ef)") }
                    if plan == .graphWalk {
                        sawWalk = true
                        #expect(HNSWIndex.filteredSearchPlan(matches: matches, k: 10, ef: ef / 2, slots: slots) == .graphWalk)
                    }
                }
                #expect(sawWalk || slots <= 1_000, "never walks over \(slots) slots at ef \(ef)")
            }
        }
    }

    @Test func indexesAnswerThePlanWithoutAGraphOrWithOne() {
        let hnsw = SharedIndexes.fixtureHNSW
        let n = hnsw.slotUpperBound
        #expect(hnsw.filteredSearchPlan(matches: 5, k: 10, efSearch: nil) == .exactScan)
        #expect(hnsw.filteredSearchPlan(matches: n / 2, k: 10, efSearch: 24) == .graphWalk)
        #expect(hnsw.filteredSearchPlan(matches: n / 2, k: 10, efSearch: 24)
            == HNSWIndex.filteredSearchPlan(matches: n / 2, k: 10, ef: 24, slots: n))
        let flat: any NearestNeighborIndex = FlatIndex(dimension: 4, metric: .cosine)
        #expect(flat.filteredSearchPlan(matches: 1_000_000, k: 10, efSearch: 24) == .exactScan)
        let asProtocol: any NearestNeighborIndex = hnsw
        #expect(asProtocol.filteredSearchPlan(matches: n / 2, k: 10, efSearch: 24) == .graphWalk)
    }

    /// FlatIndex takes both filter forms and every strategy, and its answer is always the exact one.
    @Test func flatIndexHonoursBothFormsAndEveryStrategy() {
        let d = 16, rows = 2000
        var rng = TestRandom(seed: 52)
        let data = rng.clusteredVectors(rows: rows, dimension: d)
        let flat = FlatIndex(dimension: d, metric: .euclidean)
        _ = data.withUnsafeBufferPointer { flat.add($0, threads: 1) }
        flat.remove(slot: 10)
        let oracle = BruteForce(dimension: d, metric: .euclidean)
        for fraction in [0.002, 0.05, 0.5] {
            let list = (0 ..< rows).filter { $0 == 10 || Double.random(in: 0 ..< 1, using: &rng) < fraction }.map { Int32($0) }
            var set = SlotBitset(capacity: rows)
            for s in list { set.insert(Int(s)) }
            let q = rng.floats(d)
            let candidates = list.map(Int.init).filter { $0 != 10 }.map { (slot: $0, vector: data[$0 * d ..< ($0 + 1) * d]) }
            let truth = oracle.topK(q[...], k: 10, candidates: candidates).map(\.slot)
            for filter in [SlotFilter(set), SlotFilter(sortedSlots: list)] {
                for strategy in [FilterStrategy.automatic, .graphWalk, .exactScan] {
                    let hits = q.withUnsafeBufferPointer {
                        flat.search($0, k: 10, options: IndexSearchOptions(filter: filter, filterStrategy: strategy))
                    }
                    #expect(hits.map(\.slot) == truth, "fraction \(fraction), \(strategy)")
                }
            }
        }
    }

    /// A sorted list naming slots beyond the collection, or removed ones, is harmless.
    @Test func listNamingSlotsBeyondTheIndexIsHarmless() {
        let f = MiniLMFixture.shared
        let index = SharedIndexes.fixtureHNSW
        let list: [Int32] = [2, 40, 4998, 5000, 90_000]
        for strategy in [FilterStrategy.exactScan, .graphWalk, .automatic] {
            let hits = Array(f.query(1)).withUnsafeBufferPointer {
                index.search($0, k: 10, options: IndexSearchOptions(filter: SlotFilter(sortedSlots: list), filterStrategy: strategy))
            }
            #expect(Set(hits.map(\.slot)) == [2, 40, 4998], "\(strategy)")
        }
    }
}
