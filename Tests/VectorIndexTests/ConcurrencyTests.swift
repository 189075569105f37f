import Dispatch
import Testing
@testable import VectorIndex

/// Searches racing inserts, replacements and removals. Run under ThreadSanitizer with
/// `swift test --sanitize=thread --filter VectorIndexTests`.
@Suite struct ConcurrencyTests {
    @Test func searchesRunWhileAWriterChangesTheGraph() async {
        let d = 16
        var rng = TestRandom(seed: 77)
        let initial = rng.clusteredVectors(rows: 400, dimension: d)
        let extra = rng.clusteredVectors(rows: 400, dimension: d)
        let queries = rng.floats(40 * d)
        let index = HNSWIndex(dimension: d, metric: .cosine, parameters: HNSWParameters(m: 8, efConstruction: 40, efSearch: 24, repairThreshold: 0.05))
        _ = index.add(initial)
        var allowed = SlotBitset(capacity: 800)
        for s in stride(from: 0, to: 800, by: 4) { allowed.insert(s) }
        let filter = SlotFilter(allowed)
        await withTaskGroup(of: Void.self) { group in
            for t in 0 ..< 3 {
                group.addTask {
                    for round in 0 ..< 6 {
                        for q in 0 ..< 40 {
                            let query = Array(queries[q * d ..< (q + 1) * d])
                            let hits = index.search(query, k: 8, filter: (q + t + round) % 3 == 0 ? filter : nil)
                            #expect(hits.count <= 8)
                            #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score })
                        }
                    }
                }
            }
            group.addTask {
                for i in 0 ..< 200 {
                    let row = Array(extra[i * d ..< (i + 1) * d])
                    let slot = index.add(row)[0]
                    if i % 3 == 0 { row.reversed().withUnsafeBufferPointer { index.replace(slot: slot, with: $0) } }
                    if i % 2 == 0 { index.remove(slot: i) }
                    _ = index.isLive(slot: slot)
                }
            }
        }
        #expect(index.count == 400 + 200 - 100)
        #expect(index.checkInvariants() == [])
    }

    @Test func parallelBatchInsertBuildsASoundGraph() {
        let f = MiniLMFixture.shared
        let rows = 2500
        let index = HNSWIndex(dimension: f.dimension, metric: .innerProduct, parameters: HNSWParameters(efConstruction: 100))
        let slots = index.add(Array(f.base[0 ..< rows * f.dimension]), threads: 2)
        #expect(slots == Array(0 ..< rows))
        #expect(index.count == rows)
        #expect(index.checkInvariants() == [])
        let flat = FlatIndex(dimension: f.dimension, metric: .innerProduct)
        _ = f.base[0 ..< rows * f.dimension].withUnsafeBufferPointer { flat.add($0, threads: 1) }
        var total = 0.0
        for q in 0 ..< 50 {
            let query = Array(f.query(q))
            let truth = query.withUnsafeBufferPointer { flat.search($0, k: 10, options: .init()) }.map(\.slot)
            total += recall(found: index.search(query, k: 10).map(\.slot), truth: truth)
        }
        #expect(total / 50 >= 0.95)
    }

    @Test func concurrentParallelAddsAndSearches() {
        let d = 24
        var rng = TestRandom(seed: 9)
        let batches = (0 ..< 4).map { _ in rng.clusteredVectors(rows: 150, dimension: d) }
        let queries = rng.floats(30 * d)
        let index = HNSWIndex(dimension: d, metric: .euclidean, parameters: HNSWParameters(m: 8, efConstruction: 32))
        DispatchQueue.concurrentPerform(iterations: 3) { worker in
            if worker == 0 {
                for b in batches { _ = index.add(b, threads: 2) }
            } else {
                for q in 0 ..< 30 {
                    _ = index.search(Array(queries[q * d ..< (q + 1) * d]), k: 5)
                }
            }
        }
        #expect(index.count == 600)
        #expect(index.checkInvariants() == [])
    }
}
