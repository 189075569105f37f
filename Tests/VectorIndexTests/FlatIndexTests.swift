import Testing
@testable import VectorIndex

@Suite struct FlatIndexTests {
    private func makeIndex(_ metric: Metric, rows: Int, dimension: Int, seed: UInt64) -> (FlatIndex, [Float]) {
        var rng = TestRandom(seed: seed)
        let data = rng.clusteredVectors(rows: rows, dimension: dimension)
        let index = FlatIndex(dimension: dimension, metric: metric)
        let slots = data.withUnsafeBufferPointer { index.add($0, threads: 1) }
        #expect(slots == Array(0 ..< rows))
        return (index, data)
    }

    @Test(arguments: Metric.allCases)
    func exactSearchMatchesOracle(metric: Metric) {
        let d = 19, rows = 700
        let (index, data) = makeIndex(metric, rows: rows, dimension: d, seed: 1)
        var rng = TestRandom(seed: 2)
        let oracle = BruteForce(dimension: d, metric: metric)
        let candidates = (0 ..< rows).map { (slot: $0, vector: data[$0 * d ..< ($0 + 1) * d]) }
        for _ in 0 ..< 10 {
            let q = rng.floats(d)
            let hits = q.withUnsafeBufferPointer { index.search($0, k: 10, options: .init()) }
            let truth = oracle.topK(q[...], k: 10, candidates: candidates)
            #expect(hits.map(\.slot) == truth.map(\.slot))
            for (h, t) in zip(hits, truth) { #expect(abs(Double(h.score) - t.score) < 1e-4) }
        }
    }

    @Test func removedSlotsDisappearAndAreReused() {
        let d = 8
        let (index, data) = makeIndex(.euclidean, rows: 50, dimension: d, seed: 3)
        index.remove(slot: 7)
        index.remove(slot: 7)  // idempotent
        index.remove(slot: 20)
        #expect(index.count == 48)
        #expect(!index.isLive(slot: 7) && index.isLive(slot: 8))
        let q = Array(data[7 * d ..< 8 * d])
        let hits = q.withUnsafeBufferPointer { index.search($0, k: 50, options: .init()) }
        #expect(hits.count == 48 && !hits.contains { $0.slot == 7 || $0.slot == 20 })
        let fresh = [Float](repeating: 0.5, count: 3 * d)
        let slots = fresh.withUnsafeBufferPointer { index.add($0, threads: 1) }
        #expect(Set(slots) == [7, 20, 50])
        #expect(index.slotUpperBound == 51 && index.count == 51)
        #expect(index.vector(at: slots[0]) == Array(repeating: 0.5, count: d))
    }

    @Test func replaceChangesTheVectorInPlace() {
        let d = 4
        let (index, _) = makeIndex(.innerProduct, rows: 10, dimension: d, seed: 4)
        let v: [Float] = [10, 10, 10, 10]
        v.withUnsafeBufferPointer { index.replace(slot: 3, with: $0) }
        #expect(index.vector(at: 3) == v)
        let hits = v.withUnsafeBufferPointer { index.search($0, k: 1, options: .init()) }
        #expect(hits.first?.slot == 3)
        #expect(index.count == 10)
    }

    @Test func filteredSearchIsExactAtEverySelectivity() {
        let d = 16, rows = 3000
        let (index, data) = makeIndex(.cosine, rows: rows, dimension: d, seed: 5)
        let oracle = BruteForce(dimension: d, metric: .cosine)
        var rng = TestRandom(seed: 6)
        for fraction in [0.5, 0.1, 0.01, 0.001] {
            var allowed = SlotBitset(capacity: rows)
            for s in 0 ..< rows where Double.random(in: 0 ..< 1, using: &rng) < fraction { allowed.insert(s) }
            if allowed.count == 0 { allowed.insert(17) }
            let q = rng.floats(d)
            let hits = q.withUnsafeBufferPointer {
                index.search($0, k: 10, options: .init(filter: SlotFilter(allowed)))
            }
            var candidates: [(slot: Int, vector: ArraySlice<Float>)] = []
            allowed.forEach { candidates.append(($0, data[$0 * d ..< ($0 + 1) * d])) }
            let truth = oracle.topK(q[...], k: 10, candidates: candidates)
            #expect(hits.count == min(10, allowed.count))
            #expect(hits.map(\.slot) == truth.map(\.slot), "fraction \(fraction)")
        }
    }

    @Test func batchSearchEqualsSingleSearches() {
        let d = 24
        let (index, _) = makeIndex(.innerProduct, rows: 900, dimension: d, seed: 7)
        index.remove(slot: 5)
        var rng = TestRandom(seed: 8)
        let queries = rng.floats(13 * d)
        let batch = queries.withUnsafeBufferPointer { index.search(batch: $0, k: 7) }
        for i in 0 ..< 13 {
            let single = queries[i * d ..< (i + 1) * d].withUnsafeBufferPointer { index.search($0, k: 7, options: .init()) }
            #expect(batch[i].map(\.slot) == single.map(\.slot))
        }
    }

    @Test func denseInitializerValidatesInput() throws {
        let good: [Float] = [1, 0, 0, 1, 1, 1]
        let index = try good.withUnsafeBufferPointer { try FlatIndex(dimension: 2, metric: .cosine, vectors: $0) }
        #expect(index.count == 3 && index.vector(at: 2) == [1, 1])
        #expect(throws: IndexImportError.self) {
            try [Float](repeating: 1, count: 5).withUnsafeBufferPointer { try FlatIndex(dimension: 2, metric: .cosine, vectors: $0) }
        }
        #expect(throws: IndexImportError.nonFiniteComponent(row: 1)) {
            try [1, 2, .nan, 4].withUnsafeBufferPointer { try FlatIndex(dimension: 2, metric: .cosine, vectors: $0) }
        }
    }

    @Test func removeAllEmptiesTheIndex() {
        let (index, _) = makeIndex(.euclidean, rows: 100, dimension: 5, seed: 9)
        index.removeAll()
        #expect(index.count == 0 && index.slotUpperBound == 0)
        let q: [Float] = [0, 0, 0, 0, 0]
        #expect(q.withUnsafeBufferPointer { index.search($0, k: 3, options: .init()) }.isEmpty)
        let slots = q.withUnsafeBufferPointer { index.add($0, threads: 1) }
        #expect(slots == [0])
    }

    @Test func concurrentSearchesAndWritesAreSafe() async {
        let d = 32
        let (index, data) = makeIndex(.cosine, rows: 2000, dimension: d, seed: 10)
        await withTaskGroup(of: Void.self) { group in
            for t in 0 ..< 3 {
                group.addTask {
                    var rng = TestRandom(seed: UInt64(100 + t))
                    for _ in 0 ..< 30 {
                        let q = rng.floats(d)
                        let hits = q.withUnsafeBufferPointer { index.search($0, k: 5, options: .init()) }
                        #expect(hits.count == 5)
                    }
                }
            }
            group.addTask {
                for i in 0 ..< 200 {
                    let row = Array(data[i * d ..< (i + 1) * d])
                    let slot = row.withUnsafeBufferPointer { index.add($0, threads: 1) }[0]
                    row.withUnsafeBufferPointer { index.replace(slot: slot, with: $0) }
                    index.remove(slot: i)
                }
            }
        }
        #expect(index.count == 2000)
    }
}
