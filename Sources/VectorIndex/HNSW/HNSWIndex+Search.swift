import CVectorKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension HNSWIndex {
    /// The cost model behind ``filteredSearchPlan(matches:k:efSearch:)``: the one place that
    /// decides between the exact scan and the walk.
    ///
    /// Costs are counted in "scan rows" (one accepted row scored by the exact scan, about 145 ns
    /// for 384 dimensions on the machine measured). The scan costs `matches`. A filtered walk
    /// costs about `ef × (walkRowsPerEf + walkRowsPerEfAtLowSelectivity / s)` at selectivity
    /// `s = matches / slots`: measured on minilm-debian (61,535 × 384, M 16, efSearch 24, a random
    /// filter per query, `vectorstore bench --sections filtered-walk`), the two-hop walk costs
    /// 62–66 scan rows per unit of ef between 5 % and 20 %, 74 at 3 % and over 90 at 2 %, where it
    /// needs more hops, bridges and a wider beam per accepted node it finds. With ef 24 on 61,535
    /// slots the walk is chosen from 1,744 matches (2.8 %); the measured crossover lies between
    /// 2 % (scan 5,200 q/s, walk 3,100) and 3 % (scan 3,100, walk 3,900).
    ///
    /// The model knows only the match count. A filter whose matches all lie far from the query
    /// (clustered elsewhere) makes the walk cross rejected regions and cost more than this; an
    /// automatic walk gives up and scans once its work exceeds `matches` plus the expected walk
    /// cost (`filteredWalkBudget`), so a wrong choice costs at most about three times the scan,
    /// and a walk that merely costs a little more than expected goes on.
    ///
    /// ``filteredSearchPlan(matches:k:efSearch:)`` asks this with the index's own slot count and
    /// default efSearch; a planner without an index at hand may ask it directly.
    ///
    /// - Parameters:
    ///   - matches: slots the filter names (an estimate is fine).
    ///   - k: results wanted.
    ///   - ef: the query's efSearch, at least `k`.
    ///   - slots: the index's ``slotUpperBound``.
    /// - Returns: ``FilterStrategy/exactScan`` or ``FilterStrategy/graphWalk``.
    /// - Complexity: O(1).
    public static func filteredSearchPlan(matches: Int, k: Int, ef: Int, slots: Int) -> FilterStrategy {
        guard slots > 0, matches > k else { return .exactScan }
        return Double(matches) <= expectedWalkCost(matches: matches, ef: ef, slots: slots) ? .exactScan : .graphWalk
    }

    /// The expected cost of a filtered walk, in scan rows (see
    /// ``filteredSearchPlan(matches:k:ef:slots:)``).
    static func expectedWalkCost(matches: Int, ef: Int, slots: Int) -> Double {
        let selectivity = max(Double(matches) / Double(max(slots, 1)), 1e-9)
        return Double(ef) * (walkRowsPerEf + walkRowsPerEfAtLowSelectivity / selectivity)
    }

    /// The work after which an automatic walk gives up and scans.
    static func filteredWalkBudget(matches: Int, ef: Int, slots: Int) -> Int {
        matches + Int(min(expectedWalkCost(matches: matches, ef: ef, slots: slots), Double(Int.max / 4)))
    }

    /// Scan rows a filtered walk costs per unit of ef at middle selectivity (see
    /// ``filteredSearchPlan(matches:k:ef:slots:)``).
    static let walkRowsPerEf = 55.0
    /// The part of a walk's cost that grows as the filter gets selective, per unit of ef, times
    /// the selectivity.
    static let walkRowsPerEfAtLowSelectivity = 0.5

    /// Which walk a filtered walk uses at a selectivity of `matches / slots`.
    static func filteredWalk(matches: Int, slots: Int) -> FilteredWalk {
        Double(matches) < twoHopMaxSelectivity * Double(slots) ? .twoHop : .scoreEveryNode
    }

    /// The beam width of a two-hop walk for a query asking for `ef`: `ef × (1 + 0.01 / s)`, at most
    /// `2 × ef`. The beam holds only accepted nodes, and the sparser they are the fewer of them a
    /// two-hop expansion reaches, so the same `ef` finds less: on minilm-debian at efSearch 24,
    /// recall@10 0.958 at 5 % without the widening, 0.965 with it (×1.2), for about 10 % more work.
    static func twoHopEf(_ ef: Int, matches: Int, slots: Int) -> Int {
        guard slots > 0, matches > 0 else { return ef }
        let selectivity = Double(matches) / Double(slots)
        return Int((Double(ef) * min(2, 1 + 0.01 / selectivity)).rounded(.up))
    }

    /// From this share of accepted slots up, the score-every-node walk is used: most neighbours
    /// are accepted, so it wastes few distances, and the two-hop walk's extra link reads and
    /// wider expansions cost more than they save.
    static let twoHopMaxSelectivity = 0.35

    /// What a filtered search with ``FilterStrategy/automatic`` does for a filter naming `matches`
    /// slots: ``FilterStrategy/exactScan`` or ``FilterStrategy/graphWalk`` (never `.automatic`).
    ///
    /// Touches no vector: a planner can ask before it builds the filter, and choose the filter's
    /// representation from the answer (a sorted list for a scan, a bitset for a walk).
    ///
    /// - Parameters:
    ///   - matches: slots the filter will name (an estimate is fine).
    ///   - k: results wanted.
    ///   - efSearch: the query's efSearch, nil for the index default.
    /// - Complexity: O(1).
    public func filteredSearchPlan(matches: Int, k: Int, efSearch: Int?) -> FilterStrategy {
        Self.filteredSearchPlan(matches: matches, k: k, ef: max(efSearch ?? parameters.efSearch, k), slots: slotUpperBound)
    }

    /// The `k` live vectors most similar to `query`, best first.
    ///
    /// - `options.efSearch` sets the beam width for this query (default
    ///   ``HNSWParameters/efSearch``; never below `k`).
    /// - With `options.filter`, only live accepted slots are returned; `options.filterStrategy`
    ///   picks the exact scan of the accepted slots or a graph walk (``FilterStrategy``), by
    ///   default from ``filteredSearchPlan(matches:k:efSearch:)``. A walk over a selective filter
    ///   scores mostly accepted nodes and crosses rejected ones to their neighbours (ACORN-1's
    ///   two-hop expansion with bridges, see `HNSWFilteredWalk.swift`); a filter accepting most slots uses the
    ///   plain walk, where rejected nodes guide the walk but are never returned. Fewer than `k`
    ///   results come back only when fewer than `k` live slots match: a walk that finds fewer
    ///   falls back to the exact scan, as does an automatic walk that has done the work of
    ///   scanning every match on top of the work expected of it.
    /// - `options.exact` forces an exact scan.
    ///
    /// - Complexity: about O(ef × log n) distance computations; O(m) for an exact filtered scan
    ///   over m matches (plus O(n / 64) when the filter is a sparse bitset).
    public func search(_ query: UnsafeBufferPointer<Float>, k: Int, options: IndexSearchOptions = .init()) -> [SearchHit] {
        precondition(query.count == dimension, "query has \(query.count) components, expected \(dimension)")
        guard k > 0 else { return [] }
        let q = query.baseAddress!
        let queryInverseNorm = kernels.inverseNorm(q, count: dimension)
        let ef = max(options.efSearch ?? parameters.efSearch, k)
        let found: [(distance: Float, slot: UInt32)] = rowsLock.withShared {
            let slots = slotUpperBound
            if let filter = options.filter {
                return filteredSearch(q, k: k, ef: ef, filter: filter, options: options, slots: slots)
            }
            if !options.exact {
                let walked = tombstoneCount == 0
                    ? graphSearch(q, k: k, ef: ef, acceptor: AcceptAnyNode(), visitBudget: .max)
                    : graphSearch(q, k: k, ef: ef, acceptor: AcceptLive(), visitBudget: .max)
                if let walked, walked.count >= k || walked.count >= count { return walked }
            }
            return exactSearch(q, k: k, filter: nil, upperBound: slots)
        }
        return found.map {
            SearchHit(slot: Int($0.slot), score: kernels.score(distance: $0.distance, queryInverseNorm: queryInverseNorm))
        }
    }

    /// A filtered search: plan, walk, fall back. Caller holds `rowsLock` shared.
    private func filteredSearch(
        _ q: UnsafePointer<Float>, k: Int, ef: Int, filter: SlotFilter, options: IndexSearchOptions, slots: Int
    ) -> [(distance: Float, slot: UInt32)] {
        let matches = filter.matchCount
        if matches == 0 { return [] }
        let strategy: FilterStrategy
        switch options.exact ? .exactScan : options.filterStrategy {
        case .automatic: strategy = Self.filteredSearchPlan(matches: matches, k: k, ef: ef, slots: slots)
        case let forced: strategy = forced
        }
        if strategy == .exactScan { return exactSearch(q, k: k, filter: filter, upperBound: slots) }
        let walk = options.filteredWalk ?? Self.filteredWalk(matches: matches, slots: slots)
        // An automatic walk far over its expected cost is on a bad path (a filter whose matches lie
        // far from the query): scanning is then cheaper than going on.
        let budget = options.filterStrategy == .graphWalk ? Int.max : Self.filteredWalkBudget(matches: matches, ef: ef, slots: slots)
        let walked = graphSearch(q, k: k, ef: ef) { graph, context, entry, entryDistance, slotCount in
            func run(_ words: UnsafePointer<UInt64>, _ wordCount: Int) -> Bool {
                switch walk {
                case .twoHop:
                    return graph.searchLayerTwoHop(q, entry: entry, entryDistance: entryDistance,
                                                   ef: Self.twoHopEf(ef, matches: matches, slots: slots),
                                                   accepted: words, wordCount: wordCount, context: context,
                                                   slotCount: slotCount, workBudget: budget)
                case .scoreEveryNode:
                    return graph.searchLayer(q, entry: entry, entryDistance: entryDistance, level: 0, ef: ef,
                                             acceptor: AcceptLiveInSet(words: words, wordCount: wordCount),
                                             context: context, slotCount: slotCount, visitBudget: budget)
                }
            }
            switch filter.representation {
            case .bitset(let set):
                return set.words.withUnsafeBufferPointer { run($0.baseAddress!, $0.count) }
            case .sortedSlots(let list):
                return list.withUnsafeBufferPointer { list in
                    context.filterBits.mark(list, below: slotCount)
                    defer { context.filterBits.clear(list) }
                    return run(context.filterBits.words, context.filterBits.wordCount)
                }
            }
        }
        if let walked, walked.count >= min(k, matches) { return walked }
        return exactSearch(q, k: k, filter: filter, upperBound: slots)
    }

    /// Greedy descent plus a level-0 beam with an acceptor; nil when the visit budget ran out.
    /// Caller holds `rowsLock` shared.
    @inline(__always)
    func graphSearch<A: SlotAcceptor>(
        _ query: UnsafePointer<Float>, k: Int, ef: Int, acceptor: A, visitBudget: Int
    ) -> [(distance: Float, slot: UInt32)]? {
        graphSearch(query, k: k, ef: ef) { graph, context, entry, entryDistance, slotCount in
            graph.searchLayer(query, entry: entry, entryDistance: entryDistance, level: 0, ef: ef, acceptor: acceptor,
                              context: context, slotCount: slotCount, visitBudget: visitBudget)
        }
    }

    /// Greedy descent on the upper levels, then `level0(graph, context, entry, entryDistance,
    /// slotCount)`, which leaves its results in `context.results` and returns false to give up;
    /// nil then. Caller holds `rowsLock` shared.
    @inline(__always)
    func graphSearch(
        _ query: UnsafePointer<Float>, k: Int, ef: Int,
        level0: (HNSWGraphView, SearchContext, Int, Float, Int) -> Bool
    ) -> [(distance: Float, slot: UInt32)]? {
        guard let (entrySlot, topLevel) = loadEntry() else { return [] }
        let g = graph
        let slotCount = storage.capacity
        return contexts.with(slotCount: slotCount) { context in
            var current = entrySlot
            var currentDistance = g.distance(query, entrySlot)
            var level = topLevel
            while level > 0 {
                (current, currentDistance) = g.greedyClosest(query, from: current, distance: currentDistance,
                                                             level: level, context: context)
                level -= 1
            }
            let completed = level0(g, context, current, currentDistance, slotCount)
            if !completed { return nil }
            var results = context.results
            while results.count > k { results.pop() }
            var out = [(distance: Float, slot: UInt32)](repeating: (0, 0), count: results.count)
            var i = results.count - 1
            while !results.isEmpty {
                out[i] = (results.topDistance, results.topSlot)
                results.pop()
                i -= 1
            }
            context.results = results
            return out
        }
    }

    /// Exact top-k over live slots (optionally only those in `filter`). Caller holds `rowsLock`.
    func exactSearch(_ query: UnsafePointer<Float>, k: Int, filter: SlotFilter?, upperBound: Int) -> [(distance: Float, slot: UInt32)] {
        var heap = DistanceHeap<FarthestFirst>(capacity: k)
        defer { heap.deallocate() }
        ExactScan.scan(query: query, view: storage.view, rowsPerChunk: storage.rowsPerChunk, upperBound: upperBound,
                       kernels: kernels, filter: filter, k: k, into: &heap)
        return heap.drainAscending()
    }
}
