import Testing
@testable import VectorIndex

/// Each filtered-search path forced on purpose (both walks, the exact scan; bitset and sorted-list
/// filters) at every selectivity, against a brute-force oracle over the fixture.
@Suite struct HNSWFilteredWalkTests {
    static let selectivities = [0.001, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5]
    /// The store's default efSearch.
    static let ef = 24
    static let k = 10

    /// A forced path: a strategy, and for walks which walk.
    struct Path: CustomStringConvertible, Sendable {
        let strategy: FilterStrategy
        let walk: FilteredWalk?
        let sortedList: Bool

        var description: String { "\(strategy) \(walk.map { "\($0)" } ?? "") \(sortedList ? "list" : "bitset")" }

        func options(bitset: SlotBitset, list: [Int32]) -> IndexSearchOptions {
            var o = IndexSearchOptions(efSearch: HNSWFilteredWalkTests.ef,
                                       filter: sortedList ? SlotFilter(sortedSlots: list) : SlotFilter(bitset),
                                       filterStrategy: strategy)
            o.filteredWalk = walk
            return o
        }
    }

    static let walks: [Path] = [
        Path(strategy: .graphWalk, walk: .twoHop, sortedList: false),
        Path(strategy: .graphWalk, walk: .twoHop, sortedList: true),
        Path(strategy: .graphWalk, walk: .scoreEveryNode, sortedList: false),
        Path(strategy: .graphWalk, walk: nil, sortedList: true),
    ]
    static let scans: [Path] = [
        Path(strategy: .exactScan, walk: nil, sortedList: false),
        Path(strategy: .exactScan, walk: nil, sortedList: true),
    ]

    /// A filter per query: each slot independently with probability `selectivity`.
    static func randomFilter(rows: Int, selectivity: Double, seed: UInt64) -> [Int32] {
        var rng = TestRandom(seed: seed)
        return (0 ..< rows).filter { _ in Double.random(in: 0 ..< 1, using: &rng) < selectivity }.map { Int32($0) }
    }

    static func bitset(_ list: [Int32], capacity: Int) -> SlotBitset {
        var set = SlotBitset(capacity: capacity)
        for s in list { set.insert(Int(s)) }
        return set
    }

    /// Checks one search against the oracle: only live accepted slots, best first, never fewer
    /// than min(k, live matches); returns recall@k, or compares exactly for a scan.
    static func check(
        _ hits: [SearchHit], query: ArraySlice<Float>, accepted: [Int32], live: (Int) -> Bool,
        vectors: [Float], dimension: Int, exact: Bool, context: String
    ) -> Double {
        let oracle = BruteForce(dimension: dimension, metric: .innerProduct)
        let candidates = accepted.map(Int.init).filter(live).map { (slot: $0, vector: vectors[$0 * dimension ..< ($0 + 1) * dimension]) }
        let ranked = oracle.topK(query, k: k + 1, candidates: candidates)
        let truth = Array(ranked.prefix(k))
        let acceptedSet = Set(accepted.map(Int.init))
        #expect(hits.count == min(k, candidates.count), "\(context): \(hits.count) results, \(candidates.count) live matches")
        #expect(hits.allSatisfy { acceptedSet.contains($0.slot) && live($0.slot) }, "\(context): a result outside the filter or not live")
        #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score }, "\(context): not best first")
        if exact {
            // Equal unless the oracle's k-th and (k+1)-th scores tie within float rounding.
            let tie = ranked.count > k && abs(ranked[k - 1].score - ranked[k].score) < 1e-5
            if !tie { #expect(hits.map(\.slot) == truth.map(\.slot), "\(context): the scan differs from the oracle") }
        }
        return recall(found: hits.map(\.slot), truth: truth.map(\.slot))
    }

    @Test(arguments: selectivities)
    func forcedPathsMatchTheOracle(selectivity: Double) {
        let f = MiniLMFixture.shared
        let index = SharedIndexes.fixtureHNSW
        var walkRecall = [Double](repeating: 0, count: Self.walks.count)
        for q in 0 ..< f.queryCount {
            let list = Self.randomFilter(rows: f.rows, selectivity: selectivity, seed: UInt64(q) &* 31 &+ UInt64(selectivity * 1e6))
            let set = Self.bitset(list, capacity: f.rows)
            let query = Array(f.query(q))
            for (i, path) in (Self.walks + Self.scans).enumerated() {
                let hits = query.withUnsafeBufferPointer { index.search($0, k: Self.k, options: path.options(bitset: set, list: list)) }
                let r = Self.check(hits, query: f.query(q), accepted: list, live: { _ in true }, vectors: f.base,
                                   dimension: f.dimension, exact: path.strategy == .exactScan,
                                   context: "\(path) at \(selectivity), query \(q)")
                if i < Self.walks.count { walkRecall[i] += r }
            }
        }
        for (i, path) in Self.walks.enumerated() {
            let r = walkRecall[i] / Double(f.queryCount)
            #expect(r >= 0.95, "\(path) recall@10 at \(selectivity): \(r)")
        }
    }

    /// 30 % of the vectors removed and left in the graph as tombstones (no repair): walks route
    /// through removed nodes, and nothing removed comes back, though the filters name removed slots.
    @Test func forcedPathsAfterRemovingThirtyPercent() {
        let f = MiniLMFixture.shared
        let index = HNSWIndex(dimension: f.dimension, metric: .innerProduct, parameters: HNSWParameters(repairThreshold: 0.9))
        _ = f.base.withUnsafeBufferPointer { index.add($0, threads: 1) }
        var rng = TestRandom(seed: 303)
        var removed = Set<Int>()
        for slot in 0 ..< f.rows where Double.random(in: 0 ..< 1, using: &rng) < 0.3 {
            index.remove(slot: slot)
            removed.insert(slot)
        }
        #expect(index.tombstones == removed.count, "the removed nodes must still be in the graph")
        let live: (Int) -> Bool = { !removed.contains($0) }
        for selectivity in Self.selectivities {
            var walkRecall = [Double](repeating: 0, count: Self.walks.count)
            let queries = 50
            for q in 0 ..< queries {
                let list = Self.randomFilter(rows: f.rows, selectivity: selectivity, seed: UInt64(q) &+ 7_000)
                let set = Self.bitset(list, capacity: f.rows)
                let query = Array(f.query(q))
                for (i, path) in (Self.walks + Self.scans).enumerated() {
                    let hits = query.withUnsafeBufferPointer { index.search($0, k: Self.k, options: path.options(bitset: set, list: list)) }
                    let r = Self.check(hits, query: f.query(q), accepted: list, live: live, vectors: f.base,
                                       dimension: f.dimension, exact: path.strategy == .exactScan,
                                       context: "\(path) at \(selectivity) after removals, query \(q)")
                    if i < Self.walks.count { walkRecall[i] += r }
                }
            }
            for (i, path) in Self.walks.enumerated() {
                let r = walkRecall[i] / Double(queries)
                #expect(r >= 0.95, "\(path) recall@10 at \(selectivity) after removing 30 %: \(r)")
            }
        }
    }

    /// Filters that follow the query (its nearest slots accepted) and that avoid it (its nearest
    /// slots rejected, or the matches clustered around another row), where a walk starts far from
    /// every match and must cross rejected regions.
    @Test(arguments: ["correlated", "anti-correlated", "clustered elsewhere"], [0.05, 0.2])
    func correlatedAndAntiCorrelatedFilters(kind: String, selectivity: Double) {
        let f = MiniLMFixture.shared
        let index = SharedIndexes.fixtureHNSW
        let d = f.dimension
        let oracle = BruteForce(dimension: d, metric: .innerProduct)
        let all = (0 ..< f.rows).map { (slot: $0, vector: f.base[$0 * d ..< ($0 + 1) * d]) }
        let matches = Int(selectivity * Double(f.rows))
        var walkRecall = [Double](repeating: 0, count: Self.walks.count)
        let queries = 40
        for q in 0 ..< queries {
            let list: [Int32]
            switch kind {
            case "correlated":
                // The matches are the query's nearest slots, plus as many again at random.
                let near = oracle.topK(f.query(q), k: matches / 2, candidates: all).map { Int32($0.slot) }
                let random = Self.randomFilter(rows: f.rows, selectivity: selectivity / 2, seed: UInt64(q) &+ 11)
                list = Array(Set(near + random)).sorted()
            case "anti-correlated":
                // A random filter with the query's 10 / selectivity nearest slots taken out.
                let excluded = Set(oracle.topK(f.query(q), k: Int(10 / selectivity), candidates: all).map { Int32($0.slot) })
                list = Self.randomFilter(rows: f.rows, selectivity: selectivity, seed: UInt64(q) &+ 13).filter { !excluded.contains($0) }
            default:
                // The slots nearest a random other row.
                var rng = TestRandom(seed: UInt64(q) &+ 17)
                let centre = Int.random(in: 0 ..< f.rows, using: &rng)
                list = oracle.topK(f.base[centre * d ..< (centre + 1) * d], k: matches, candidates: all).map { Int32($0.slot) }.sorted()
            }
            let set = Self.bitset(list, capacity: f.rows)
            let query = Array(f.query(q))
            for (i, path) in (Self.walks + Self.scans).enumerated() {
                let hits = query.withUnsafeBufferPointer { index.search($0, k: Self.k, options: path.options(bitset: set, list: list)) }
                let r = Self.check(hits, query: f.query(q), accepted: list, live: { _ in true }, vectors: f.base, dimension: d,
                                   exact: path.strategy == .exactScan, context: "\(path), \(kind) at \(selectivity), query \(q)")
                if i < Self.walks.count { walkRecall[i] += r }
            }
        }
        for (i, path) in Self.walks.enumerated() {
            let r = walkRecall[i] / Double(queries)
            #expect(r >= 0.95, "\(path) recall@10, \(kind) filter at \(selectivity): \(r)")
        }
    }

    /// The automatic strategy: whichever path it takes, the same guarantees as the forced ones.
    @Test(arguments: selectivities)
    func automaticStrategyKeepsTheGuarantees(selectivity: Double) {
        let f = MiniLMFixture.shared
        let index = SharedIndexes.fixtureHNSW
        var total = 0.0
        for q in 0 ..< 50 {
            let list = Self.randomFilter(rows: f.rows, selectivity: selectivity, seed: UInt64(q) &+ 900)
            let plan = index.filteredSearchPlan(matches: list.count, k: Self.k, efSearch: Self.ef)
            let filter = plan == .exactScan ? SlotFilter(sortedSlots: list) : SlotFilter(Self.bitset(list, capacity: f.rows))
            let hits = Array(f.query(q)).withUnsafeBufferPointer {
                index.search($0, k: Self.k, options: IndexSearchOptions(efSearch: Self.ef, filter: filter))
            }
            total += Self.check(hits, query: f.query(q), accepted: list, live: { _ in true }, vectors: f.base,
                                dimension: f.dimension, exact: false, context: "automatic at \(selectivity), query \(q)")
        }
        #expect(total / 50 >= 0.95, "automatic recall@10 at \(selectivity): \(total / 50)")
    }

    /// A walk over an empty graph region still returns every match when fewer than k match.
    @Test func forcedWalkReturnsEveryMatchOfATinyFilter() {
        let f = MiniLMFixture.shared
        let index = SharedIndexes.fixtureHNSW
        let list: [Int32] = [3, 1777, 4999]
        for walk in [FilteredWalk.twoHop, .scoreEveryNode] {
            for sorted in [false, true] {
                var options = IndexSearchOptions(filter: sorted ? SlotFilter(sortedSlots: list) : SlotFilter(Self.bitset(list, capacity: f.rows)),
                                                 filterStrategy: .graphWalk)
                options.filteredWalk = walk
                let hits = Array(f.query(0)).withUnsafeBufferPointer { index.search($0, k: 10, options: options) }
                #expect(Set(hits.map(\.slot)) == [3, 1777, 4999], "\(walk), list \(sorted)")
            }
        }
    }
}
