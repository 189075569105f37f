import Testing
@testable import VectorIndex

@Suite struct HNSWDeterminismTests {
    private func build(seed: UInt64) -> HNSWIndex {
        let f = MiniLMFixture.shared
        let index = HNSWIndex(dimension: f.dimension, metric: .cosine, parameters: HNSWParameters(efConstruction: 64, seed: seed))
        _ = index.add(Array(f.base[0 ..< 1500 * f.dimension]))
        index.remove(slot: 10)
        Array(f.query(0)).withUnsafeBufferPointer { index.replace(slot: 20, with: $0) }
        return index
    }

    @Test func identicalSeedsGiveIdenticalGraphsAndResults() {
        let a = build(seed: 7), b = build(seed: 7)
        #expect(a.exportLayout().layout == b.exportLayout().layout)
        let f = MiniLMFixture.shared
        for q in 0 ..< 20 {
            #expect(a.search(Array(f.query(q)), k: 10) == b.search(Array(f.query(q)), k: 10))
        }
    }

    @Test func differentSeedsGiveDifferentLevels() {
        let a = build(seed: 7), b = build(seed: 8)
        #expect(a.exportLayout().layout.levels != b.exportLayout().layout.levels)
    }

    @Test func levelTableMatchesFaiss() {
        // faiss HNSW::set_default_probas(16, 1/ln 16): 8 levels, 2M on level 0 then M per level.
        let g = HNSWLevelGenerator(m: 16, seed: 1)
        #expect(g.cumulativeNeighbors == [0, 32, 48, 64, 80, 96, 112, 128, 144])
        #expect(g.probabilities.count == 8)
        #expect(abs(g.probabilities[0] - 15.0 / 16.0) < 1e-6)
        #expect(abs(g.probabilities[1] - 15.0 / 256.0) < 1e-7)
        // Drawn levels follow the table (about 1/16 of nodes above level 0) and stay within it.
        var gen = HNSWLevelGenerator(m: 16, seed: 99)
        let levels = (0 ..< 20_000).map { _ in gen.next() }
        #expect(levels.allSatisfy { $0 <= g.maxLevel })
        let upper = Double(levels.filter { $0 > 0 }.count) / 20_000
        #expect(abs(upper - 1.0 / 16.0) < 0.01)
    }
}
