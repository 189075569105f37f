import Testing
@testable import VectorIndex

@Suite struct HNSWRecallTests {
    @Test func recallAtDefaultEfSearchOnRealEmbeddings() {
        let index = SharedIndexes.fixtureHNSW
        #expect(index.count == MiniLMFixture.shared.rows)
        let r = fixtureRecall(index)
        #expect(r >= 0.95, "recall@10 = \(r) at efSearch \(index.parameters.efSearch)")
        #expect(index.checkInvariants() == [])
    }

    @Test func largerEfSearchDoesNotLowerRecall() {
        let index = SharedIndexes.fixtureHNSW
        let low = fixtureRecall(index, ef: 10), high = fixtureRecall(index, ef: 200)
        #expect(high >= low)
        #expect(high >= 0.99, "recall@10 = \(high) at efSearch 200")
    }

    @Test func cosineAndEuclideanGraphsAlsoReachRecall() {
        // The fixture is unit length, so all three metrics rank alike.
        let f = MiniLMFixture.shared
        let rows = 2000
        let data = Array(f.base[0 ..< rows * f.dimension])
        for metric in [Metric.cosine, .euclidean] {
            let index = HNSWIndex(dimension: f.dimension, metric: metric)
            _ = index.add(data)
            let flat = FlatIndex(dimension: f.dimension, metric: metric)
            _ = data.withUnsafeBufferPointer { flat.add($0, threads: 1) }
            var total = 0.0
            for q in 0 ..< 50 {
                let query = Array(f.query(q))
                let truth = query.withUnsafeBufferPointer { flat.search($0, k: 10, options: .init()) }.map(\.slot)
                let hits = index.search(query, k: 10)
                total += recall(found: hits.map(\.slot), truth: truth)
                // Scores use the metric's convention (cosine in [-1, 1], Euclidean negated).
                if let top = hits.first {
                    let oracle = BruteForce(dimension: f.dimension, metric: metric).score(query[...], f.base[top.slot * f.dimension ..< (top.slot + 1) * f.dimension])
                    #expect(abs(Double(top.score) - oracle) < 1e-4)
                }
            }
            #expect(total / 50 >= 0.95, "\(metric) recall \(total / 50)")
        }
    }

    @Test func exactOptionMatchesTheFlatIndex() {
        let f = MiniLMFixture.shared
        let index = SharedIndexes.fixtureHNSW
        for q in 0 ..< 10 {
            let hits = index.search(Array(f.query(q)), k: 10, exact: true)
            #expect(hits.map(\.slot) == f.truth(q, k: 10))
        }
    }
}
