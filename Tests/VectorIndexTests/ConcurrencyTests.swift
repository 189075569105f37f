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

    /// Every filtered path (both walks, the scan; bitset and sorted-list filters) racing inserts,
    /// replacements and removals, on a graph large enough that the walks run.
    @Test func filteredSearchesRunWhileAWriterChangesTheGraph() async {
        let d = 16
        var rng = TestRandom(seed: 78)
        let initial = rng.clusteredVectors(rows: 2000, dimension: d)
        let extra = rng.clusteredVectors(rows: 400, dimension: d)
        let queries = rng.floats(30 * d)
        let index = HNSWIndex(dimension: d, metric: .euclidean,
                              parameters: HNSWParameters(m: 8, efConstruction: 40, efSearch: 24, repairThreshold: 0.05))
        _ = index.add(initial)
        // Filters of 2 %, 10 % and 40 % of the slots the run will hand out.
        let lists: [[Int32]] = [
            stride(from: 0, to: 2400, by: 50).map { Int32($0) },
            stride(from: 0, to: 2400, by: 10).map { Int32($0) },
            (0 ..< 2400).filter { $0 % 5 < 2 }.map { Int32($0) },
        ]
        let filters: [(SlotFilter, [Int32])] = lists.flatMap { list -> [(SlotFilter, [Int32])] in
            var set = SlotBitset(capacity: 2400)
            for s in list { set.insert(Int(s)) }
            return [(SlotFilter(set), list), (SlotFilter(sortedSlots: list), list)]
        }
        let paths: [(FilterStrategy, FilteredWalk?)] = [(.graphWalk, .twoHop), (.graphWalk, .scoreEveryNode), (.exactScan, nil), (.automatic, nil)]
        await withTaskGroup(of: Void.self) { group in
            for t in 0 ..< 3 {
                group.addTask {
                    for round in 0 ..< 4 {
                        for q in 0 ..< 30 {
                            let (filter, list) = filters[(q + t + round) % filters.count]
                            let (strategy, walk) = paths[(q + round) % paths.count]
                            var options = IndexSearchOptions(filter: filter, filterStrategy: strategy)
                            options.filteredWalk = walk
                            let hits = Array(queries[q * d ..< (q + 1) * d]).withUnsafeBufferPointer {
                                index.search($0, k: 8, options: options)
                            }
                            #expect(hits.count <= 8)
                            #expect(hits.allSatisfy { list.contains(Int32($0.slot)) })
                            #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score })
                        }
                    }
                }
            }
            group.addTask {
                for i in 0 ..< 400 {
                    let row = Array(extra[i * d ..< (i + 1) * d])
                    let slot = index.add(row)[0]
                    if i % 3 == 0 { row.reversed().withUnsafeBufferPointer { index.replace(slot: slot, with: $0) } }
                    if i % 2 == 0 { index.remove(slot: i * 5) }
                }
            }
        }
        #expect(index.count == 2000 + 400 - 200)
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
