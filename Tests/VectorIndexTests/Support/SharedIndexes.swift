@testable import VectorIndex

/// Indexes over the fixture built once and shared by the tests that only read them.
enum SharedIndexes {
    /// HNSW over the 5,000 fixture rows, inner product (the vectors are unit length), default
    /// parameters, one thread.
    static let fixtureHNSW: HNSWIndex = {
        let f = MiniLMFixture.shared
        let index = HNSWIndex(dimension: f.dimension, metric: .innerProduct)
        _ = f.base.withUnsafeBufferPointer { index.add($0, threads: 1) }
        return index
    }()
}

extension HNSWIndex {
    /// Search with an array query (test convenience).
    func search(_ query: [Float], k: Int, ef: Int? = nil, filter: SlotFilter? = nil, exact: Bool = false) -> [SearchHit] {
        query.withUnsafeBufferPointer { search($0, k: k, options: IndexSearchOptions(efSearch: ef, filter: filter, exact: exact)) }
    }

    /// Adds vectors from an array (test convenience).
    func add(_ vectors: [Float], threads: Int = 1) -> [Int] {
        vectors.withUnsafeBufferPointer { add($0, threads: threads) }
    }
}

/// Mean recall@k of `index` over the fixture queries against the fixture ground truth.
func fixtureRecall(_ index: HNSWIndex, k: Int = 10, ef: Int? = nil, slotToRow: (Int) -> Int = { $0 }) -> Double {
    let f = MiniLMFixture.shared
    var total = 0.0
    for q in 0 ..< f.queryCount {
        let hits = index.search(Array(f.query(q)), k: k, ef: ef)
        total += recall(found: hits.map { slotToRow($0.slot) }, truth: f.truth(q, k: k))
    }
    return total / Double(f.queryCount)
}
