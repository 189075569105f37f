import CVectorKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension HNSWIndex {
    /// A filtered search scans the accepted slots exactly, rather than walking the graph, when
    /// `matches × s^0.8 < selectiveScanFactor × ef`, with `s = matches / slots` the selectivity.
    ///
    /// Measured on 61,535 × 384 (`minilm-debian`): a walk costs about 3 µs × ef / s^0.8 (it has
    /// to visit more nodes to collect `ef` accepted ones), an exact scan of scattered rows about
    /// 50–130 ns per accepted row. The walk also gives up, and the search scans exactly, once it
    /// has computed as many distances as there are matches.
    static let selectiveScanFactor = 60.0

    /// Whether a filter accepting `matches` of `slots` slots is better served by an exact scan.
    static func prefersExactScan(matches: Int, slots: Int, ef: Int) -> Bool {
        guard slots > 0 else { return true }
        let selectivity = Double(matches) / Double(slots)
        return Double(matches) * pow(selectivity, 0.8) < selectiveScanFactor * Double(ef)
    }

    /// The `k` live vectors most similar to `query`, best first.
    ///
    /// - `options.efSearch` sets the beam width for this query (default
    ///   ``HNSWParameters/efSearch``; never below `k`).
    /// - With `options.filter`, only accepted slots are returned. The filter is applied during the
    ///   walk (rejected nodes still guide it); when the filter is selective, or the walk has
    ///   computed as many distances as the filter has matches, the search scans the accepted slots
    ///   exactly instead. Fewer than `k` results come back only when fewer than `k` live slots
    ///   match.
    /// - `options.exact` forces an exact scan.
    ///
    /// - Complexity: about O(ef × log n) distance computations; O(m) for an exact filtered scan
    ///   over m matches.
    public func search(_ query: UnsafeBufferPointer<Float>, k: Int, options: IndexSearchOptions = .init()) -> [SearchHit] {
        precondition(query.count == dimension, "query has \(query.count) components, expected \(dimension)")
        guard k > 0 else { return [] }
        let q = query.baseAddress!
        let queryInverseNorm = kernels.inverseNorm(q, count: dimension)
        let ef = max(options.efSearch ?? parameters.efSearch, k)
        let found: [(distance: Float, slot: UInt32)] = rowsLock.withShared {
            let slots = slotUpperBound
            if let filter = options.filter {
                let matches = filter.matchCount
                if options.exact || matches <= k || Self.prefersExactScan(matches: matches, slots: slots, ef: ef) {
                    return exactSearch(q, k: k, filter: filter.allowed, upperBound: slots)
                }
                let walked: [(distance: Float, slot: UInt32)]? = filter.allowed.words.withUnsafeBufferPointer { words in
                    graphSearch(q, k: k, ef: ef, acceptor: AcceptLiveInSet(words: words.baseAddress!, wordCount: words.count),
                                visitBudget: matches)
                }
                if let walked, walked.count >= min(k, matches) { return walked }
                return exactSearch(q, k: k, filter: filter.allowed, upperBound: slots)
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

    /// Greedy descent plus a level-0 beam; nil when the visit budget ran out. Caller holds
    /// `rowsLock` shared.
    @inline(__always)
    func graphSearch<A: SlotAcceptor>(
        _ query: UnsafePointer<Float>, k: Int, ef: Int, acceptor: A, visitBudget: Int
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
            let completed = g.searchLayer(query, entry: current, entryDistance: currentDistance, level: 0, ef: ef,
                                          acceptor: acceptor, context: context, slotCount: slotCount,
                                          visitBudget: visitBudget)
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
    func exactSearch(_ query: UnsafePointer<Float>, k: Int, filter: SlotBitset?, upperBound: Int) -> [(distance: Float, slot: UInt32)] {
        var heap = DistanceHeap<FarthestFirst>(capacity: k)
        defer { heap.deallocate() }
        ExactScan.scan(query: query, view: storage.view, rowsPerChunk: storage.rowsPerChunk, upperBound: upperBound,
                       kernels: kernels, filter: filter, k: k, into: &heap)
        return heap.drainAscending()
    }
}
